/**
 * Views and data movement. Storage is always contiguous, so reshape shares
 * storage and everything else is a copy through two primitives:
 * `stridedCopy` (read a strided window: permute, expand, slice, flip, unfold)
 * and its adjoint `stridedScatterAdd`. `asStrided` and `stridedScatter` are the
 * differentiable pair that all of them reduce to.
 */
import { contiguousStrides, normDim, normDims, numel, sameShape, shapeStr, checkShape, checkSizeList, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { empty, kernels, record, requireInt, checkIndexRange, uninit } from './util.js';
import { where } from './elementwise.js';
import { sumTo } from './reduce.js';

// ---------------------------------------------------------------- the strided pair

/** Read `x` (as flat storage) through `strides` from `offset` into a new tensor of `shape`. */
export function asStrided(x: Tensor, shape: Shape, strides: readonly number[], offset = 0): Tensor {
  const out = uninit(shape, x.dtype);
  if (out.size > 0) kernels().stridedCopy(out.data, shape, x.data, strides, offset);
  return record('asStrided', out, [x], (g) => [stridedScatter(g, x.shape, strides, offset)]);
}

/** Zeros of `baseShape` with `src` added at the strided positions (the adjoint of asStrided). */
export function stridedScatter(src: Tensor, baseShape: Shape, strides: readonly number[], offset = 0): Tensor {
  const out = empty(baseShape, src.dtype);
  if (src.size > 0) kernels().stridedScatterAdd(out.data, strides, offset, src.data, src.shape);
  return record('stridedScatter', out, [src], (g) => [asStrided(g, src.shape, strides, offset)]);
}

// ---------------------------------------------------------------- reshaping (shares storage)

function inferShape(size: number, shape: readonly number[], op: string, from: Shape): number[] {
  if (!Array.isArray(shape)) checkSizeList(shape, op);
  // One pass, as reshape runs many times per step: count the -1s, multiply the rest.
  let neg = 0;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1) {
      neg++;
      continue;
    }
    if (!Number.isInteger(d) || d < 0) {
      checkSizeList(shape, op); // a non-number gets its own message
      throw new RangeError(`${op}: size ${d} at index ${i} of ${shapeStr(shape)} is not a non-negative integer (or -1, inferred)`);
    }
    known *= d;
  }
  if (neg > 1) throw new Error(`${op}: only one dimension can be -1, got ${shapeStr(shape)}`);
  const inferred = known === 0 ? 0 : size / known;
  const out = neg ? shape.map((d) => (d === -1 ? inferred : d)) : [...shape];
  if ((neg && (known === 0 || !Number.isInteger(inferred))) || numel(out) !== size) {
    throw new Error(`${op}: cannot reshape a tensor of shape ${shapeStr(from)} (${size} elements) into ${shapeStr(shape)}`);
  }
  return out;
}

export function reshape(x: Tensor, shape: readonly number[], op = 'reshape'): Tensor {
  const s = inferShape(x.size, shape, op, x.shape);
  if (sameShape(s, x.shape)) return x;
  const out = x._withShape(s);
  return record('reshape', out, [x], (g) => [g.reshape(x.shape)]);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return x.reshape([1]);
  const s = normDim(startDim, x.ndim, 'flatten');
  const e = normDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  return x.reshape([...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim(dim, x.ndim + 1, 'unsqueeze');
  return x.reshape([...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** Remove size-1 dims (all of them, or those listed; listed dims of other sizes are left, as PyTorch). */
export function squeeze(x: Tensor, dims?: number | readonly number[]): Tensor {
  const ds = dims === undefined ? x.shape.map((_, i) => i) : normDims(dims, x.ndim, 'squeeze');
  return x.reshape(x.shape.filter((d, i) => !(d === 1 && ds.includes(i))));
}

// ---------------------------------------------------------------- permutations and broadcasting

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkSizeList(dims, 'permute', 'dims');
  if (dims.length !== x.ndim) throw new Error(`permute: got ${dims.length} dims ${JSON.stringify(dims)} for a tensor of rank ${x.ndim}`);
  const ds = dims.map((d) => normDim(d, x.ndim, 'permute'));
  if (new Set(ds).size !== ds.length) throw new Error(`permute: dims ${JSON.stringify(dims)} repeat a dim`);
  if (ds.every((d, i) => d === i)) return x;
  const st = contiguousStrides(x.shape);
  return asStrided(x, ds.map((d) => x.shape[d]), ds.map((d) => st[d]));
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normDim(dim0, x.ndim, 'transpose');
  const b = normDim(dim1, x.ndim, 'transpose');
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Broadcast to `shape` (−1 keeps a dim), copying. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkSizeList(shape, 'expand');
  if (shape.length < x.ndim) throw new Error(`expand: cannot expand shape ${shapeStr(x.shape)} to fewer dims ${shapeStr(shape)}`);
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 ? (i < lead ? -1 : x.shape[i - lead]) : d));
  const st = contiguousStrides(x.shape);
  const strides = target.map((d, i) => {
    if (i < lead) {
      if (d < 0) throw new Error(`expand: -1 is not allowed for the new leading dim ${i} in ${shapeStr(shape)}`);
      return 0;
    }
    const src = x.shape[i - lead];
    if (src === d) return st[i - lead];
    if (src === 1) return 0;
    throw new Error(`expand: cannot expand shape ${shapeStr(x.shape)} to ${shapeStr(shape)} (dim ${i}: ${src} vs ${d})`);
  });
  if (sameShape(target, x.shape)) return x;
  checkShape(target, 'expand');
  const out = uninit(target, x.dtype);
  if (out.size > 0) kernels().stridedCopy(out.data, target, x.data, strides, 0);
  return record('expand', out, [x], (g) => [sumTo(g, x.shape)]);
}

// ---------------------------------------------------------------- slicing

// normDim accepts dim 0 of a 0-d tensor (reductions allow it, as PyTorch); slicing has no dim to cut.
function requireDims(x: Tensor, op: string): void {
  if (x.ndim === 0) throw new Error(`${op}: cannot be applied to a 0-d tensor`);
}

/** Elements start..start+length−1 along dim. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  requireDims(x, 'narrow');
  const d = normDim(dim, x.ndim, 'narrow');
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new RangeError(`narrow: start ${start} and length ${length} are out of range for dim ${d} of size ${size}`);
  }
  return slice(x, d, s, s + length);
}

/** The slice at `index` along dim, with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  requireDims(x, 'select');
  const d = normDim(dim, x.ndim, 'select');
  const size = x.shape[d];
  const i = index < 0 ? index + size : index;
  if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`select: index ${index} is out of range for dim ${d} of size ${size}`);
  const st = contiguousStrides(x.shape);
  return asStrided(x, x.shape.filter((_, k) => k !== d), st.filter((_, k) => k !== d), i * st[d]);
}

/**
 * Python-style slice `start:end:step` along dim. Negative start/end count from
 * the end; a negative step walks backwards (like NumPy — PyTorch forbids it).
 * Out-of-range bounds are clipped, as in Python.
 * @example x.slice(1, -3)          // last three columns
 * @example x.slice(0, null, null, -1)  // rows reversed
 */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  requireDims(x, 'slice');
  const d = normDim(dim, x.ndim, 'slice');
  const n = x.shape[d];
  if (!Number.isInteger(step) || step === 0) throw new Error(`slice: step must be a non-zero integer, got ${step}`);
  const clip = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  let s: number;
  let e: number;
  if (step > 0) {
    s = start == null ? 0 : clip(start < 0 ? start + n : start, 0, n);
    e = end == null ? n : clip(end < 0 ? end + n : end, 0, n);
  } else {
    s = start == null ? n - 1 : clip(start < 0 ? start + n : start, -1, n - 1);
    e = end == null ? -1 : clip(end < 0 ? end + n : end, -1, n - 1);
  }
  const len = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
  if (step === 1 && s === 0 && len === n) return x;
  const st = contiguousStrides(x.shape);
  const shape = x.shape.slice();
  shape[d] = len;
  const strides = st.slice();
  strides[d] = st[d] * step;
  return asStrided(x, shape, strides, len > 0 ? s * st[d] : 0);
}

export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const ds = normDims(dims, x.ndim, 'flip');
  const st = contiguousStrides(x.shape);
  let offset = 0;
  const strides = st.map((s, i) => {
    if (!ds.includes(i)) return s;
    offset += (x.shape[i] - 1) * s;
    return -s;
  });
  return asStrided(x, x.shape, strides, x.size > 0 ? offset : 0);
}

// ---------------------------------------------------------------- indexing

/** Rows of `x` along `dim` picked by the int32 vector `index` (torch.index_select). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim(dim, x.ndim, 'indexSelect');
  requireInt(index, 'indexSelect');
  if (index.ndim > 1) throw new Error(`indexSelect: index must be 0-d or 1-d, got shape ${shapeStr(index.shape)}`);
  checkIndexRange(index, x.shape[d], 'indexSelect', d);
  const shape = x.shape.slice();
  shape[d] = index.size;
  const out = uninit(shape, x.dtype);
  kernels().indexSelect(out.data, x.data, index.data as Int32Array, numel(x.shape.slice(0, d)), x.shape[d], numel(x.shape.slice(d + 1)));
  return record('indexSelect', out, [x], (g) => [indexAdd(x.zerosLike(), d, index, g)]);
}

/** `x` with `src`'s slices added at positions `index` along dim (torch.index_add). */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normDim(dim, x.ndim, 'indexAdd');
  requireInt(index, 'indexAdd');
  const expect = x.shape.slice();
  expect[d] = index.size;
  if (!sameShape(src.shape, expect)) throw new Error(`indexAdd: source shape ${shapeStr(src.shape)} does not match ${shapeStr(expect)} (input ${shapeStr(x.shape)} with ${index.size} indices on dim ${d})`);
  checkIndexRange(index, x.shape[d], 'indexAdd', d);
  const out = x.clone();
  const s = src.dtype === x.dtype ? src : src.to(x.dtype);
  kernels().indexAdd(out.data, s.data, index.data as Int32Array, numel(x.shape.slice(0, d)), x.shape[d], numel(x.shape.slice(d + 1)));
  return record('indexAdd', out, [x, src], (g) => [g, src.requiresGrad ? indexSelect(g, d, index) : null]);
}

function checkGatherShapes(op: string, x: Tensor, d: number, index: Tensor): void {
  requireInt(index, op);
  if (index.ndim !== x.ndim) throw new Error(`${op}: index of shape ${shapeStr(index.shape)} must have the same rank as input ${shapeStr(x.shape)}`);
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) throw new Error(`${op}: index shape ${shapeStr(index.shape)} exceeds input shape ${shapeStr(x.shape)} at dim ${i}`);
  }
  checkIndexRange(index, x.shape[d], op, d);
}

/** out[...i...] = x[...index[...i...]...] along dim (torch.gather). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normDim(dim, x.ndim, 'gather');
  checkGatherShapes('gather', x, d, index);
  const out = uninit(index.shape, x.dtype);
  if (out.size > 0) kernels().gather(out.data, index.shape, x.data, contiguousStrides(x.shape), index.data as Int32Array, d);
  return record('gather', out, [x], (g) => [scatterAdd(x.zerosLike(), d, index, g)]);
}

/** `x` with src[...i...] added at x[...index[...i...]...] along dim (torch.scatter_add). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normDim(dim, x.ndim, 'scatterAdd');
  checkGatherShapes('scatterAdd', x, d, index);
  for (let i = 0; i < x.ndim; i++) {
    if (index.shape[i] > src.shape[i]) throw new Error(`scatterAdd: index shape ${shapeStr(index.shape)} exceeds source shape ${shapeStr(src.shape)} at dim ${i}`);
  }
  // Only the part of src covered by index takes part, as in PyTorch.
  const used = sameShape(src.shape, index.shape) ? src : asStrided(src, index.shape, contiguousStrides(src.shape));
  const s = used.dtype === x.dtype ? used : used.to(x.dtype);
  const out = x.clone();
  if (index.size > 0) kernels().scatterAdd(out.data, contiguousStrides(x.shape), s.data, index.shape, index.data as Int32Array, d);
  return record('scatterAdd', out, [x, used], (g) => [g, used.requiresGrad ? gather(g, d, index) : null]);
}

// ---------------------------------------------------------------- joining and splitting

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('cat: expected a non-empty list of tensors');
  const first = tensors[0];
  const scalar = tensors.findIndex((t) => t.ndim === 0);
  if (scalar >= 0) throw new Error(`cat: tensor ${scalar} is 0-d and cannot be concatenated (use stack)`);
  const d = normDim(dim, first.ndim, 'cat');
  tensors.forEach((t, i) => {
    const ok = t.ndim === first.ndim && t.shape.every((s, k) => k === d || s === first.shape[k]);
    if (!ok) throw new Error(`cat: tensor ${i} has shape ${shapeStr(t.shape)}, incompatible with tensor 0's ${shapeStr(first.shape)} for concatenation along dim ${d}`);
  });
  const dtype = tensors.reduce((dt, t) => (t.dtype === 'float64' || dt === 'float64' ? 'float64' : t.dtype === 'float32' || dt === 'float32' ? 'float32' : dt), tensors[0].dtype);
  const shape = first.shape.slice();
  shape[d] = tensors.reduce((n, t) => n + t.shape[d], 0);
  const out = empty(shape, dtype);
  const st = contiguousStrides(shape);
  let offset = 0;
  for (const t of tensors) {
    const src = t.dtype === dtype ? t : t.to(dtype);
    if (t.size > 0) kernels().stridedScatterAdd(out.data, st, offset * st[d], src.data, t.shape);
    offset += t.shape[d];
  }
  return record('cat', out, tensors, (g) => {
    let start = 0;
    return tensors.map((t) => {
      const piece = t.requiresGrad ? g.narrow(d, start, t.shape[d]) : null;
      start += t.shape[d];
      return piece;
    });
  });
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  const d = normDim(dim, tensors[0].ndim + 1, 'stack');
  tensors.forEach((t, i) => {
    if (!sameShape(t.shape, tensors[0].shape)) throw new Error(`stack: tensor ${i} has shape ${shapeStr(t.shape)} but tensor 0 has ${shapeStr(tensors[0].shape)}`);
  });
  return cat(tensors.map((t) => t.unsqueeze(d)), d);
}

/** Split into pieces of `size` (the last may be smaller) or of the given sizes. */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  const d = normDim(dim, x.ndim, 'split');
  const n = x.shape[d];
  let list: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0) throw new Error(`split: size must be a positive integer, got ${sizes}`);
    list = [];
    for (let s = 0; s < n; s += sizes) list.push(Math.min(sizes, n - s));
    if (n === 0) list.push(0);
  } else {
    list = [...sizes];
    const total = list.reduce((a, b) => a + b, 0);
    if (total !== n) throw new Error(`split: sizes ${JSON.stringify(sizes)} sum to ${total} but dim ${d} has size ${n}`);
  }
  let start = 0;
  return list.map((len) => {
    const piece = x.narrow(d, start, len);
    start += len;
    return piece;
  });
}

/** `chunks` pieces of ceil(n/chunks) (PyTorch: the last is smaller and there may be fewer). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normDim(dim, x.ndim, 'chunk');
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

// ---------------------------------------------------------------- padding, rolling, repeating

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/**
 * Pad like torch.nn.functional.pad: `pads` lists (left, right) pairs starting
 * from the last dim. Negative pads crop.
 */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new Error(`pad: expected an even number of pads covering at most ${x.ndim} dims, got ${JSON.stringify(pads)}`);
  }
  let y = x;
  const k = pads.length / 2;
  // Crop first for negative pads.
  for (let i = 0; i < k; i++) {
    const d = x.ndim - 1 - i;
    const l = pads[2 * i];
    const r = pads[2 * i + 1];
    if (l < 0 || r < 0) y = y.narrow(d, Math.max(0, -l), y.shape[d] - Math.max(0, -l) - Math.max(0, -r));
  }
  const before = y.shape.map(() => 0);
  const after = y.shape.map(() => 0);
  for (let i = 0; i < k; i++) {
    before[x.ndim - 1 - i] = Math.max(0, pads[2 * i]);
    after[x.ndim - 1 - i] = Math.max(0, pads[2 * i + 1]);
  }
  if (mode === 'constant') return padConstant(y, before, after, value);
  for (let d = 0; d < y.ndim; d++) {
    if (before[d] === 0 && after[d] === 0) continue;
    const n = y.shape[d];
    if (mode === 'reflect' && (before[d] >= n || after[d] >= n)) {
      throw new Error(`pad: reflect padding (${before[d]}, ${after[d]}) must be smaller than dim ${d} of size ${n}`);
    }
    if (mode === 'circular' && (before[d] > n || after[d] > n)) {
      throw new Error(`pad: circular padding (${before[d]}, ${after[d]}) must not exceed dim ${d} of size ${n}`);
    }
    if (n === 0) throw new Error(`pad: cannot ${mode}-pad an empty dim ${d}`);
    const idx: number[] = [];
    for (let p = -before[d]; p < n + after[d]; p++) {
      if (mode === 'reflect') idx.push(p < 0 ? -p : p >= n ? 2 * (n - 1) - p : p);
      else if (mode === 'replicate') idx.push(Math.min(Math.max(p, 0), n - 1));
      else idx.push(((p % n) + n) % n);
    }
    y = indexSelect(y, d, tensor(idx, { dtype: 'int32' }));
  }
  return y;
}

function padConstant(x: Tensor, before: readonly number[], after: readonly number[], value: number): Tensor {
  if (before.every((b) => b === 0) && after.every((a) => a === 0)) return x;
  const shape = x.shape.map((n, d) => n + before[d] + after[d]);
  const st = contiguousStrides(shape);
  const offset = before.reduce((o, b, d) => o + b * st[d], 0);
  const out = empty(shape, x.dtype);
  if (x.size > 0) kernels().stridedScatterAdd(out.data, st, offset, x.data, x.shape);
  if (value !== 0) {
    // Mark the interior (scatter ones) and fill the rest. Adding x − value onto
    // a fill of `value` would round x away, and give NaN for value = ±∞.
    const inside = empty(shape, x.dtype);
    const ones = empty(x.shape, x.dtype);
    ones.data.fill(1);
    if (x.size > 0) kernels().stridedScatterAdd(inside.data, st, offset, ones.data, x.shape);
    for (let i = 0; i < inside.data.length; i++) if (inside.data[i] === 0) out.data[i] = value;
  }
  return record('pad', out, [x], (g) => [asStrided(g, x.shape, st, offset)]);
}

/** Roll elements along dims (torch.roll); without dims, rolls the flattened tensor. */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  if (dims === undefined) {
    if (typeof shifts !== 'number') throw new Error('roll: several shifts need as many dims');
    return roll(x.reshape([-1]), shifts, 0).reshape(x.shape);
  }
  const sh = typeof shifts === 'number' ? [shifts] : shifts;
  const ds = typeof dims === 'number' ? [dims] : dims;
  if (sh.length !== ds.length) throw new Error(`roll: ${sh.length} shifts for ${ds.length} dims`);
  let y = x;
  sh.forEach((s, i) => {
    const d = normDim(ds[i], x.ndim, 'roll');
    const n = x.shape[d];
    if (n === 0) return;
    const k = ((s % n) + n) % n;
    if (k === 0) return;
    y = cat([y.narrow(d, n - k, k), y.narrow(d, 0, n - k)], d);
  });
  return y;
}

/** Tile `x` (torch.Tensor.repeat). */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  checkSizeList(reps, 'repeat', 'repeats');
  const bad = reps.findIndex((r) => !Number.isInteger(r) || r < 0);
  if (bad >= 0) throw new RangeError(`repeat: repeat count ${reps[bad]} at index ${bad} of ${shapeStr(reps)} is not a non-negative integer`);
  if (reps.length < x.ndim) throw new Error(`repeat: ${reps.length} repeats given for a tensor of rank ${x.ndim}`);
  const shape = [...new Array<number>(reps.length - x.ndim).fill(1), ...x.shape];
  const interleaved: number[] = [];
  const expanded: number[] = [];
  shape.forEach((n, i) => {
    interleaved.push(1, n);
    expanded.push(reps[i], n);
  });
  return x.reshape(interleaved).expand(expanded).reshape(shape.map((n, i) => n * reps[i]));
}

function triangle(x: Tensor, k: number, lower: boolean, op: string): Tensor {
  if (x.ndim < 2) throw new Error(`${op}: expected a tensor of rank ≥ 2, got shape ${shapeStr(x.shape)}`);
  const [r, c] = x.shape.slice(-2);
  const mask = empty([r, c], 'bool');
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) mask.data[i * c + j] = (lower ? j - i <= k : j - i >= k) ? 1 : 0;
  return where(mask, x, 0);
}
/** Lower triangle (j − i ≤ k) of the last two dims; the rest zero. */
export const tril = (x: Tensor, k = 0): Tensor => triangle(x, k, true, 'tril');
/** Upper triangle (j − i ≥ k) of the last two dims. */
export const triu = (x: Tensor, k = 0): Tensor => triangle(x, k, false, 'triu');

/** One-hot encoding of an int32 tensor: shape [...x.shape, numClasses], int32. */
export function oneHot(x: Tensor, numClasses = -1): Tensor {
  requireInt(x, 'oneHot', 'input');
  let n = numClasses;
  if (n < 0) {
    n = 0;
    for (let i = 0; i < x.size; i++) n = Math.max(n, x.data[i] + 1);
  }
  checkIndexRange(x, n, 'oneHot', x.ndim);
  const out = empty([...x.shape, n], 'int32');
  for (let i = 0; i < x.size; i++) out.data[i * n + x.data[i]] = 1;
  return out;
}
