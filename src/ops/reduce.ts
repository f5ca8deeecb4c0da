/** Reductions over any set of dims (with keepdim), softmax family and cumsum. */
import type { ReduceOp } from '../backend/types.js';
import { normDim, normDims, numel, sameShape, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty, kernels, record, requireFloat } from './util.js';
import { where } from './elementwise.js';

export type Dims = number | readonly number[];

/** Shape after reducing `dims` (kept as size 1). */
function keptShape(shape: Shape, dims: readonly number[]): number[] {
  return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

/**
 * Run a reduce kernel over `dims` of x, returning the keepdim-shaped result.
 * A contiguous block of dims is one kernel call; scattered dims reduce one at a time.
 */
function reduceRaw(op: ReduceOp, x: Tensor, dims: readonly number[]): Tensor {
  const outDType = op === 'argmax' || op === 'argmin' ? 'int32' : op === 'sum' && !(x.dtype === 'float32' || x.dtype === 'float64') ? 'int32' : x.dtype;
  const src = x.dtype === 'bool' ? x.to('int32') : x;
  const contiguousBlock = dims.length > 0 && dims[dims.length - 1] - dims[0] === dims.length - 1;
  if (dims.length === 0) {
    // Always a new tensor: callers record a graph node on the result, and
    // recording it on `x` itself would make x its own input.
    const out = empty(src.shape, outDType);
    kernels().cast(out.data, src.data);
    return out;
  }
  if (!contiguousBlock) {
    if (op === 'argmax' || op === 'argmin') throw new Error(`${op}: reduces over one dim only`);
    let y = src;
    for (let i = dims.length - 1; i >= 0; i--) y = reduceRaw(op, y, [dims[i]]);
    return y;
  }
  const shape = src.shape;
  const outer = numel(shape.slice(0, dims[0]));
  const n = numel(shape.slice(dims[0], dims[dims.length - 1] + 1));
  const inner = numel(shape.slice(dims[dims.length - 1] + 1));
  if (n === 0 && op !== 'sum') throw new Error(`${op}: cannot reduce over an empty dim`);
  const out = empty(keptShape(shape, dims), outDType);
  kernels()[op](out.data, src.data, outer, n, inner);
  return out;
}

function finish(y: Tensor, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  return keepdim ? y : y.reshape(x.shape.filter((_, i) => !dims.includes(i)));
}

/** Sum over `dims` (all when omitted). */
export function sum(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  const ds = normDims(dims, x.ndim, 'sum');
  const out = finish(reduceRaw('sum', x, ds), x, ds, keepdim);
  return record('sum', out, [x], (g) => [g.reshape(keptShape(x.shape, ds)).expand(x.shape)]);
}

export function mean(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  requireFloat(x, 'mean');
  const ds = normDims(dims, x.ndim, 'mean');
  const count = ds.reduce((n, d) => n * x.shape[d], 1);
  return sum(x, ds, keepdim).div(count);
}

/**
 * max/min over dims; the gradient is shared evenly among tied maxima (as
 * PyTorch's amax). For torch.max(x, dim)'s single-winner gradient use
 * `maxAlong`.
 */
function extremum(op: 'max' | 'min', x: Tensor, dims: Dims | undefined, keepdim: boolean): Tensor {
  const ds = normDims(dims, x.ndim, op);
  const kept = reduceRaw(op, x, ds);
  const out = finish(kept, x, ds, keepdim);
  return record(op, out, [x], (g) => {
    const mask = x.eq(kept).to(g.dtype);
    const count = mask.sum(ds, true);
    return [g.reshape(kept.shape).mul(mask).div(count)];
  });
}
export const max = (x: Tensor, dims?: Dims, keepdim = false): Tensor => extremum('max', x, dims, keepdim);
export const min = (x: Tensor, dims?: Dims, keepdim = false): Tensor => extremum('min', x, dims, keepdim);

function argExtremum(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (dim === undefined) {
    const y = reduceRaw(op, x.reshape([-1]), [0]);
    return keepdim ? y.reshape(x.shape.map(() => 1)) : y.reshape([]);
  }
  const d = normDim(dim, x.ndim, op);
  return finish(reduceRaw(op, x, [d]), x, [d], keepdim);
}
/** Index of the first maximum along `dim` (over the flattened tensor when omitted); int32. */
export const argmax = (x: Tensor, dim?: number, keepdim = false): Tensor => argExtremum('argmax', x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number, keepdim = false): Tensor => argExtremum('argmin', x, dim, keepdim);

/** torch.max(x, dim): values and indices; the gradient goes to the first maximum only. */
export function maxAlong(x: Tensor, dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
  const d = normDim(dim, x.ndim, 'max');
  const idx = reduceRaw('argmax', x, [d]);
  const values = x.gather(d, idx);
  return { values: keepdim ? values : values.squeeze(d), indices: keepdim ? idx : idx.squeeze(d) };
}
export function minAlong(x: Tensor, dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
  const d = normDim(dim, x.ndim, 'min');
  const idx = reduceRaw('argmin', x, [d]);
  const values = x.gather(d, idx);
  return { values: keepdim ? values : values.squeeze(d), indices: keepdim ? idx : idx.squeeze(d) };
}

export interface VarOptions {
  /** Divide by n − 1 (Bessel's correction) rather than n. Default true, as PyTorch. */
  unbiased?: boolean;
  keepdim?: boolean;
}

export function variance(x: Tensor, dims?: Dims, opts: VarOptions = {}): Tensor {
  requireFloat(x, 'var');
  const ds = normDims(dims, x.ndim, 'var');
  const n = ds.reduce((k, d) => k * x.shape[d], 1);
  const dof = opts.unbiased === false ? n : n - 1;
  const centered = x.sub(x.mean(ds, true));
  return centered.mul(centered).sum(ds, opts.keepdim ?? false).div(dof);
}

export const std = (x: Tensor, dims?: Dims, opts: VarOptions = {}): Tensor => variance(x, dims, opts).sqrt();

/** log Σ exp(x) over dims, stable (the shift by the max carries no gradient). */
export function logsumexp(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  requireFloat(x, 'logsumexp');
  const ds = normDims(dims, x.ndim, 'logsumexp');
  const m = reduceRaw('max', x, ds);
  // An all −∞ slice would give (−∞) − (−∞) = NaN; shift it by 0 instead.
  const shift = where(m.abs().eq(Infinity), 0, m);
  const y = x.sub(shift).exp().sum(ds, true).log().add(shift);
  return finish(y, x, ds, keepdim);
}

export function softmax(x: Tensor, dim: number): Tensor {
  requireFloat(x, 'softmax');
  const d = normDim(dim, x.ndim, 'softmax');
  const e = x.sub(reduceRaw('max', x, [d])).exp();
  return e.div(e.sum(d, true));
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  requireFloat(x, 'logSoftmax');
  const d = normDim(dim, x.ndim, 'logSoftmax');
  return x.sub(logsumexp(x, d, true));
}

/** Inclusive cumulative sum along `dim`. */
export function cumsum(x: Tensor, dim: number): Tensor {
  const d = normDim(dim, x.ndim, 'cumsum');
  const src = x.dtype === 'bool' ? x.to('int32') : x;
  const out = empty(x.shape, src.dtype);
  const shape = x.shape;
  if (x.ndim === 0) {
    out.data[0] = src.data[0];
  } else {
    kernels().cumsum(out.data, src.data, numel(shape.slice(0, d)), shape[d], numel(shape.slice(d + 1)));
  }
  // The adjoint of a prefix sum is a suffix sum.
  return record('cumsum', out, [x], (g) => [x.ndim === 0 ? g : g.flip([d]).cumsum(d).flip([d])]);
}

/**
 * Sum a broadcast gradient back to `shape` (the adjoint of broadcasting).
 * Used by every broadcasting op's backward.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  return g.sum(dims, true).reshape(shape);
}

