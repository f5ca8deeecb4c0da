/** Creating tensors: from data, constant fills, ranges and seeded random draws. */
import { allocStorage, type DType, type Storage, dtypeOfStorage, assertDType } from './dtype.js';
import { checkShape, numel, parseSizeArgs, shapeStr, type Shape, type SizeArgsWithOptions } from './shape.js';
import { defaultGenerator, type Generator } from './random.js';
import { Tensor } from './tensor.js';
import { describeValue } from '../util/options.js';

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

/** Nested arrays of numbers/booleans, a typed array, or a single number. */
export type NestedArray = number | boolean | readonly NestedArray[];

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

/** Where a bad element sits, as an index path: `[1, 0]`. */
const at = (path: readonly number[]): string => `[${path.join(', ')}]`;

/**
 * Flatten nested arrays of `shape` into `out`, checking that every leaf is a
 * number or a boolean. `path` is one array reused as the index stack, so a
 * large nested array costs no allocation per element. Returns how many
 * leaves were booleans.
 */
function flattenInto(data: NestedArray, shape: readonly number[], depth: number, out: number[], path: number[]): number {
  if (depth === shape.length) {
    if (typeof data === 'number') {
      out.push(data);
      return 0;
    }
    if (typeof data === 'boolean') {
      out.push(data ? 1 : 0);
      return 1;
    }
    if (Array.isArray(data)) throw new Error(`tensor: ragged nested array: element at ${at(path)} is a list but shape ${shapeStr(shape)} expects a number`);
    const where = path.length ? `element ${at(path)}` : 'the data';
    const hint = ArrayBuffer.isView(data) ? ' (nest plain arrays, e.g. Array.from(row), or pass one typed array with a shape)' : '';
    throw new TypeError(`tensor: ${where} is ${describeValue(data)}; expected numbers or booleans${hint}`);
  }
  if (!Array.isArray(data)) {
    throw new Error(`tensor: ragged nested array: element ${at(path)} is ${describeValue(data)} but shape ${shapeStr(shape)} (read from the first elements) expects a list of ${shape[depth]}`);
  }
  if (data.length !== shape[depth]) {
    throw new Error(`tensor: ragged nested array: the list at ${at(path)} has ${data.length} elements but shape ${shapeStr(shape)} (read from the first elements) expects ${shape[depth]}`);
  }
  let bools = 0;
  path.push(0);
  for (let i = 0; i < data.length; i++) {
    path[depth] = i;
    bools += flattenInto(data[i], shape, depth + 1, out, path);
  }
  path.pop();
  return bools;
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * A tensor from nested arrays, a typed array (with an optional shape) or a number.
 * Float data defaults to float32, integer typed arrays keep their type.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true })
 */
export function tensor(data: NestedArray | Storage | ArrayLike<number>, opts: TensorOptions & { shape?: Shape } = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const storage = data as Storage;
    const shape = opts.shape ?? [storage.length];
    if (numel(shape) !== storage.length) throw new Error(`tensor: ${storage.length} values do not fill shape ${shapeStr(shape)}`);
    const dtype = opts.dtype ?? dtypeOfStorage(storage);
    const out = new Tensor(allocStorage(dtype, storage.length), shape, dtype);
    out.data.set(storage as ArrayLike<number>);
    return finish(out, opts);
  }
  // Any other array-like ({ length, 0: …, 1: … }) reads as a plain array.
  const nested = (typeof data === 'object' && data !== null && !Array.isArray(data) && typeof (data as ArrayLike<number>).length === 'number'
    ? Array.from(data as ArrayLike<number>)
    : data) as NestedArray;
  const shape = inferShape(nested);
  const flat: number[] = [];
  const bools = flattenInto(nested, shape, 0, flat, []);
  // As PyTorch: bool only when every element is a boolean; mixed with numbers, true and false are 1 and 0.
  const isBool = flat.length > 0 && bools === flat.length;
  const dtype = opts.dtype ? assertDType(opts.dtype) : isBool ? 'bool' : 'float32';
  if (opts.shape && numel(opts.shape) !== flat.length) throw new Error(`tensor: ${flat.length} values do not fill shape ${shapeStr(opts.shape)}`);
  const out = new Tensor(allocStorage(dtype, flat.length), opts.shape ?? shape, dtype);
  out.data.set(flat);
  return finish(out, opts);
}

/** `value` everywhere in `shape` (an array: the argument after it is the value, so sizes cannot be listed separately). */
export function full(shape: Shape, value: number | boolean, opts: TensorOptions = {}): Tensor {
  if (typeof value === 'boolean') return filled(shape, value ? 1 : 0, { dtype: 'bool', ...opts }, 'full');
  if (typeof value !== 'number') throw new TypeError(`full: the fill value must be a number or a boolean, got ${describeValue(value)}`);
  return filled(shape, value, opts, 'full');
}

function filled(shape: Shape, value: number, opts: TensorOptions = {}, op: string): Tensor {
  const s = checkShape(shape, op);
  const dtype = opts.dtype ?? 'float32';
  const t = new Tensor(allocStorage(dtype, numel(s)), s, dtype);
  if (value !== 0) t.data.fill(value);
  return finish(t, opts);
}

/**
 * Zeros of the given shape, as one array or as separate sizes (PyTorch takes both).
 * @example zeros([2, 3]); zeros(2, 3); zeros(2, 3, { dtype: 'int32' })
 */
export function zeros(...args: SizeArgsWithOptions<TensorOptions>): Tensor {
  const { sizes, opts } = parseSizeArgs<TensorOptions>(args, 'zeros', { takesOptions: true });
  return filled(sizes, 0, opts, 'zeros');
}

/** Ones of the given shape (one array or separate sizes, then options). */
export function ones(...args: SizeArgsWithOptions<TensorOptions>): Tensor {
  const { sizes, opts } = parseSizeArgs<TensorOptions>(args, 'ones', { takesOptions: true });
  return filled(sizes, 1, opts, 'ones');
}

/** Values start, start+step, … below end (like torch.arange; int32 when all arguments are integers). */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0) throw new Error('arange: step must be non-zero');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = opts.dtype ?? (allInt ? 'int32' : 'float32');
  const t = new Tensor(allocStorage(dtype, n), [n], dtype);
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return finish(t, opts);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = opts.dtype ?? 'float32';
  const t = new Tensor(allocStorage(dtype, steps), [steps], dtype);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends, as PyTorch, so the last value is exactly `end`
  // (a single step is `start`).
  const half = Math.max(1, Math.floor(steps / 2));
  for (let i = 0; i < steps; i++) t.data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return finish(t, opts);
}

export function eye(n: number, m = n, opts: TensorOptions = {}): Tensor {
  const t = zeros([n, m], opts);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

function randomFill(shape: Shape, opts: RandomOptions, op: string, draw: (g: Generator) => number): Tensor {
  const s = checkShape(shape, op);
  const dtype = opts.dtype ?? 'float32';
  const g = opts.generator ?? defaultGenerator;
  const t = new Tensor(allocStorage(dtype, numel(s)), s, dtype);
  for (let i = 0; i < t.data.length; i++) t.data[i] = draw(g);
  return finish(t, opts);
}

/** Uniform in [0, 1), of the given shape (one array or separate sizes, then options). */
export function rand(...args: SizeArgsWithOptions<RandomOptions>): Tensor {
  const { sizes, opts } = parseSizeArgs<RandomOptions>(args, 'rand', { takesOptions: true });
  return randomFill(sizes, opts ?? {}, 'rand', (g) => g.random());
}

/**
 * Standard normal, of the given shape (one array or separate sizes, then options).
 * @example randn([2, 3]); randn(2, 3, { generator: new Generator(0) })
 */
export function randn(...args: SizeArgsWithOptions<RandomOptions>): Tensor {
  const { sizes, opts } = parseSizeArgs<RandomOptions>(args, 'randn', { takesOptions: true });
  return randomFill(sizes, opts ?? {}, 'randn', (g) => g.normal());
}
/** Uniform integers in [low, high), int32. */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  if (!(high > low)) throw new RangeError(`randint: empty range [${low}, ${high})`);
  return randomFill(shape, { dtype: 'int32', ...opts }, 'randint', (g) => g.randint(low, high));
}
/** A random permutation of 0..n−1 (int32). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  const g = opts.generator ?? defaultGenerator;
  const t = arange(0, n, 1, { dtype: opts.dtype ?? 'int32' });
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    const tmp = t.data[i];
    t.data[i] = t.data[j];
    t.data[j] = tmp;
  }
  return t;
}
