/** Shape arithmetic shared by the front end and the backends. Shapes are plain number arrays. */
import { describeValue } from '../util/options.js';

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-contiguous) strides of a shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export const shapeStr = (shape: Shape): string => `[${shape.join(', ')}]`;

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Normalise a possibly negative dim against rank `ndim`; names the op on failure. */
export function normDim(dim: number, ndim: number, op: string): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${op}: dim ${dim} is out of range for a tensor of rank ${ndim} (expected ${lo}..${hi})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalise a list of dims (undefined = all), sorted and deduplicated. */
export function normDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normDim(d, ndim, op));
  const uniq = [...new Set(out)].sort((x, y) => x - y);
  if (uniq.length !== out.length) throw new Error(`${op}: dims ${JSON.stringify(list)} contain a repeated dim`);
  return uniq;
}

/** NumPy/PyTorch broadcasting of two shapes; throws naming the op and both shapes. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read a contiguous tensor of shape `from` as if it had the
 * broadcast shape `to` (stride 0 along broadcast dims).
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const strides = contiguousStrides(from);
  const out = new Array<number>(to.length).fill(0);
  const off = to.length - from.length;
  for (let i = 0; i < from.length; i++) out[i + off] = from[i] === 1 && to[i + off] !== 1 ? 0 : strides[i];
  return out;
}

/** A copy of `shape` after checking every size is a non-negative integer (the error names the first bad one). */
export function checkShape(shape: readonly number[], op: string): number[] {
  checkSizeList(shape, op);
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: size ${d} at index ${i} of ${shapeStr(shape)} is not a non-negative integer`);
  });
  return [...shape];
}

/**
 * Throw unless `list` is an array of numbers, naming the first element that
 * is not (the ops take shapes and dims as arrays; a string or a nested array
 * here would otherwise fail deep inside with an internal message).
 */
export function checkSizeList(list: unknown, op: string, what = 'shape'): asserts list is readonly number[] {
  if (!Array.isArray(list)) throw new TypeError(`${op}: expected the ${what} as an array of numbers like [2, 3], got ${describeValue(list)}`);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'number') throw new TypeError(`${op}: ${what} element at index ${i} is ${describeValue(list[i])}; expected an integer`);
  }
}

/** Sizes as PyTorch accepts them: one array (`[2, 3]`) or separate numbers (`2, 3`). */
export type SizeArgs = [shape: Shape] | number[];

/** Sizes in either spelling, then an optional options object: `f([2, 3], opts)` or `f(2, 3, opts)`. */
export type SizeArgsWithOptions<O> = [shape: Shape, opts?: O] | number[] | [...sizes: number[], opts: O];

function isOptionsObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Split the arguments of a sizes-taking function or method (`zeros(2, 3)`,
 * `zeros([2, 3], { dtype })`, `x.view(16, 320)`) into the size list and the
 * options object, if `takesOptions`. Only the form is checked here (numbers,
 * nothing stray after them); each op checks the values it allows (-1 in
 * reshape and expand, negative dims in permute).
 */
export function parseSizeArgs<O>(
  args: readonly unknown[],
  op: string,
  { takesOptions = false, noun = 'sizes' }: { takesOptions?: boolean; noun?: string } = {},
): { sizes: readonly number[]; opts: O | undefined } {
  // The common internal call, f([..]) or f([..], opts), takes no copy.
  const first = args[0];
  const optsOk = (rest: readonly unknown[]): boolean => takesOptions && rest.length === 1 && (rest[0] === undefined || isOptionsObject(rest[0]));
  if (Array.isArray(first)) {
    checkSizeList(first, op);
    if (args.length === 1) return { sizes: first, opts: undefined };
    const rest = args.slice(1);
    if (optsOk(rest)) return { sizes: first, opts: rest[0] as O | undefined };
    throw new TypeError(`${op}: unexpected argument ${describeValue(rest[0])} after the shape ${shapeStr(first)} (give the sizes either as one array or as separate numbers)`);
  }
  let n = 0;
  while (n < args.length && typeof args[n] === 'number') n++;
  if (n === 0) {
    const example = noun === 'dims' ? `${op}([1, 0]) or ${op}(1, 0)` : `${op}([2, 3]) or ${op}(2, 3)`;
    if (args.length === 0 || (takesOptions && isOptionsObject(first))) {
      throw new TypeError(`${op}: no ${noun} given (write ${example}${takesOptions ? '; [] gives a 0-d tensor' : ''})`);
    }
    throw new TypeError(`${op}: expected ${noun} as ${example}, got ${describeValue(first)}`);
  }
  const sizes = args.slice(0, n) as number[];
  const rest = args.slice(n);
  if (rest.length === 0 || optsOk(rest)) return { sizes, opts: rest[0] as O | undefined };
  throw new TypeError(`${op}: argument ${n} is ${describeValue(rest[0])}; expected an integer${takesOptions ? ' (or, last, an options object)' : ''}`);
}
