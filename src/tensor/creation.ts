/** Creating tensors: from data, constant fills, ranges and seeded random draws. */
import { allocStorage, type DType, type Storage, dtypeOfStorage, assertDType } from './dtype.js';
import { checkShape, numel, shapeStr, type Shape } from './shape.js';
import { defaultGenerator, type Generator } from './random.js';
import { Tensor } from './tensor.js';

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

function flattenInto(data: NestedArray, shape: readonly number[], depth: number, out: number[], path: number[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw new Error(`tensor: ragged nested array: element at [${path.join(', ')}] is a list but shape ${shapeStr(shape)} expects a number`);
    out.push(typeof data === 'boolean' ? (data ? 1 : 0) : (data as number));
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new Error(`tensor: ragged nested array: expected ${shape[depth]} elements at [${path.join(', ')}] (shape ${shapeStr(shape)})`);
  }
  data.forEach((d: NestedArray, i: number) => flattenInto(d, shape, depth + 1, out, [...path, i]));
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
  const nested = data as NestedArray;
  const shape = inferShape(nested);
  const flat: number[] = [];
  flattenInto(nested, shape, 0, flat, []);
  const isBool = typeof (Array.isArray(nested) ? flat.length && firstLeaf(nested) : nested) === 'boolean';
  const dtype = opts.dtype ? assertDType(opts.dtype) : isBool ? 'bool' : 'float32';
  if (opts.shape && numel(opts.shape) !== flat.length) throw new Error(`tensor: ${flat.length} values do not fill shape ${shapeStr(opts.shape)}`);
  const out = new Tensor(allocStorage(dtype, flat.length), opts.shape ?? shape, dtype);
  out.data.set(flat);
  return finish(out, opts);
}

function firstLeaf(d: NestedArray): NestedArray {
  let cur = d;
  while (Array.isArray(cur) && cur.length) cur = cur[0];
  return cur;
}

export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  const s = checkShape(shape, 'full');
  const dtype = opts.dtype ?? 'float32';
  const t = new Tensor(allocStorage(dtype, numel(s)), s, dtype);
  if (value !== 0) t.data.fill(value);
  return finish(t, opts);
}

export const zeros = (shape: Shape, opts: TensorOptions = {}): Tensor => full(shape, 0, opts);
export const ones = (shape: Shape, opts: TensorOptions = {}): Tensor => full(shape, 1, opts);

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

/** Uniform in [0, 1). */
export const rand = (shape: Shape, opts: RandomOptions = {}): Tensor => randomFill(shape, opts, 'rand', (g) => g.random());
/** Standard normal. */
export const randn = (shape: Shape, opts: RandomOptions = {}): Tensor => randomFill(shape, opts, 'randn', (g) => g.normal());
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
