/**
 * Scaled dot-product attention (Vaswani et al., 2017), with PyTorch 2's
 * `F.scaled_dot_product_attention` signature and mask conventions:
 *
 *   attn = softmax(q·kᵀ · scale + mask) → dropout → attn·v
 *
 * q: [..., L, E], k: [..., S, E], v: [..., S, Ev] → [..., L, Ev]; the leading
 * dims broadcast. A boolean mask marks the pairs that take part (true = keep,
 * as PyTorch); a float mask is added to the scores. `isCausal` keeps j ≤ i
 * (the top-left aligned lower triangle, as PyTorch). `scale` defaults to 1/√E.
 *
 * This file holds the composed form: every step an engine op, so its gradient
 * (and createGraph) come from the ops' rules. It is the oracle for any fused
 * kernel that replaces it.
 */
import { broadcastShapes, shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { bmm } from './linalg.js';
import { where } from './elementwise.js';
import { softmax } from './reduce.js';
import { empty, requireFloat, uninit } from './util.js';

export interface AttentionOptions {
  /** Boolean (true = attend) or float (added to the scores) mask, broadcastable to [..., L, S]. */
  mask?: Tensor | null;
  /** Keep only key j ≤ query i. Cannot be combined with `mask`, as in PyTorch. */
  isCausal?: boolean;
  /** Dropout probability on the attention weights (apply it only while training). */
  dropout?: number;
  /** Multiplier of q·kᵀ; default 1/√E. */
  scale?: number;
  /** Source of the dropout draws. */
  generator?: Generator;
}

/** The lower-triangular [L, S] keep-mask of causal attention (j ≤ i). */
export function causalMask(l: number, s: number): Tensor {
  const m = empty([l, s], 'bool');
  for (let i = 0; i < l; i++) for (let j = 0; j <= Math.min(i, s - 1); j++) m.data[i * s + j] = 1;
  return m;
}

/** Checks shared by every form of attention; returns the broadcast batch dims and sizes. */
export function checkAttentionInputs(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions): { batch: number[]; l: number; s: number; e: number; ev: number } {
  const op = 'scaledDotProductAttention';
  for (const [n, t] of [['query', q], ['key', k], ['value', v]] as const) {
    if (t.ndim < 2) throw new Error(`${op}: ${n} must have at least 2 dims [..., seq, features], got ${shapeStr(t.shape)}`);
    requireFloat(t, op);
  }
  const [l, e] = q.shape.slice(-2);
  const [s, ek] = k.shape.slice(-2);
  const [sv, ev] = v.shape.slice(-2);
  if (ek !== e) throw new Error(`${op}: query ${shapeStr(q.shape)} and key ${shapeStr(k.shape)} differ in feature size (${e} vs ${ek})`);
  if (sv !== s) throw new Error(`${op}: key ${shapeStr(k.shape)} and value ${shapeStr(v.shape)} differ in sequence length (${s} vs ${sv})`);
  if (q.dtype !== k.dtype || q.dtype !== v.dtype) throw new Error(`${op}: query, key and value must share a dtype, got ${q.dtype}, ${k.dtype}, ${v.dtype}`);
  let batch: number[];
  try {
    batch = broadcastShapes(broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2), op), v.shape.slice(0, -2), op);
  } catch {
    throw new Error(`${op}: the batch dims of query ${shapeStr(q.shape)}, key ${shapeStr(k.shape)} and value ${shapeStr(v.shape)} do not broadcast`);
  }
  const { mask, isCausal = false, dropout = 0, scale } = opts;
  if (mask && isCausal) throw new Error(`${op}: give either mask or isCausal, not both (as PyTorch)`);
  if (mask) {
    const want = [...batch, l, s];
    let ok = mask.ndim <= want.length;
    if (ok) {
      try {
        ok = shapeStr(broadcastShapes(mask.shape, want, op)) === shapeStr(want);
      } catch {
        ok = false;
      }
    }
    if (!ok) throw new Error(`${op}: mask ${shapeStr(mask.shape)} does not broadcast to the scores' shape ${shapeStr(want)} (query ${shapeStr(q.shape)}, key ${shapeStr(k.shape)})`);
    if (mask.dtype !== 'bool' && mask.dtype !== q.dtype) throw new Error(`${op}: a float mask must have the query's dtype ${q.dtype}, got ${mask.dtype} (a keep-mask must be bool)`);
  }
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`${op}: dropout must be in [0, 1), got ${dropout}`);
  if (scale !== undefined && !Number.isFinite(scale)) throw new RangeError(`${op}: scale must be a finite number, got ${scale}`);
  return { batch, l, s, e, ev };
}

/** Attention as a composition of engine ops (the oracle, and the createGraph path). */
export function attentionComposed(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  const { batch, l, s, e, ev } = checkAttentionInputs(q, k, v, opts);
  const { mask = null, isCausal = false, dropout = 0, generator = defaultGenerator } = opts;
  const scale = opts.scale ?? 1 / Math.sqrt(e);
  const flat = (t: Tensor, r: number, c: number): Tensor => t.expand([...batch, r, c]).reshape([-1, r, c]);
  let scores = bmm(flat(q, l, e), flat(k, s, e), false, true).reshape([...batch, l, s]).mul(scale);
  const keep = isCausal ? causalMask(l, s) : mask?.dtype === 'bool' ? mask : null;
  if (keep) scores = where(keep, scores, -Infinity);
  else if (mask) scores = scores.add(mask);
  let attn = softmax(scores, -1);
  if (dropout > 0) {
    const f = uninit(attn.shape, attn.dtype);
    generator.bernoulliFill(f.data as Float32Array | Float64Array, 1 - dropout, 1 / (1 - dropout));
    attn = attn.mul(f);
  }
  return bmm(attn.reshape([-1, l, s]), flat(v, s, ev)).reshape([...batch, l, ev]);
}

/** Scaled dot-product attention; see the file header for shapes and masks. */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  return attentionComposed(q, k, v, opts);
}
