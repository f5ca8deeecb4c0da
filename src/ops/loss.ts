/** Losses as compositions of differentiable ops, with PyTorch's conventions. */
import { shapeStr, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireFloat } from './util.js';
import { where } from './elementwise.js';

export type Reduction = 'mean' | 'sum' | 'none';

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}

function checkSame(op: string, input: Tensor, target: Tensor): void {
  if (!sameShape(input.shape, target.shape)) throw new Error(`${op}: input shape ${shapeStr(input.shape)} and target shape ${shapeStr(target.shape)} differ`);
}

export interface NllOptions {
  reduction?: Reduction;
  /** Targets equal to this contribute nothing (and are left out of the mean). Default −100. */
  ignoreIndex?: number;
  /** Per-class weight [C]. */
  weight?: Tensor | null;
}

/** Move the class dim (1) last and flatten: [N, C, d...] → [N·d..., C]. */
function classesLast(x: Tensor): Tensor {
  if (x.ndim <= 2) return x.ndim === 1 ? x.unsqueeze(0) : x;
  const perm = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), 1];
  return x.permute(perm).reshape([-1, x.shape[1]]);
}

function checkTarget(op: string, input: Tensor, target: Tensor): void {
  if (target.dtype !== 'int32') throw new TypeError(`${op}: class targets must be int32, got ${target.dtype} (for class probabilities use a float target of the input's shape)`);
  const want = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (!sameShape(target.shape, want)) throw new Error(`${op}: input of shape ${shapeStr(input.shape)} expects a target of shape ${shapeStr(want)}, got ${shapeStr(target.shape)}`);
}

/**
 * Negative log-likelihood of int32 class targets given log-probabilities
 * [N, C] or [N, C, d...] (or [C] with a 0-d target).
 */
export function nllLoss(logProbs: Tensor, target: Tensor, opts: NllOptions = {}): Tensor {
  requireFloat(logProbs, 'nllLoss');
  checkTarget('nllLoss', logProbs, target);
  const { reduction = 'mean', ignoreIndex = -100, weight = null } = opts;
  const C = logProbs.ndim === 1 ? logProbs.shape[0] : logProbs.shape[1];
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== C)) throw new Error(`nllLoss: weight of shape ${shapeStr(weight.shape)} does not match ${C} classes`);
  const lp = classesLast(logProbs); // [M, C]
  const t = target.reshape([-1]);
  const valid = t.ne(ignoreIndex);
  const safeT = where(valid, t, 0);
  for (let i = 0; i < safeT.size; i++) {
    if (safeT.data[i] < 0 || safeT.data[i] >= C) throw new RangeError(`nllLoss: target ${safeT.data[i]} is out of range for ${C} classes`);
  }
  const picked = lp.gather(1, safeT.unsqueeze(1)).squeeze(1); // [M]
  let w = valid.to(lp.dtype);
  if (weight) w = w.mul(weight.indexSelect(0, safeT));
  const loss = picked.mul(w).neg();
  if (reduction === 'none') return loss.reshape(target.shape);
  if (reduction === 'sum') return loss.sum();
  return weightedMean(loss.sum(), w.sum());
}

/**
 * total / weight, where a zero weight (every target ignored) gives a NaN loss
 * but a zero gradient, as in PyTorch, rather than NaN gradients that would
 * poison the parameters.
 */
function weightedMean(total: Tensor, weight: Tensor): Tensor {
  const none = weight.eq(0);
  return where(none, NaN, total.div(where(none, 1, weight)));
}

export interface CrossEntropyOptions extends NllOptions {
  /** Mix the target with the uniform distribution: (1−ε)·target + ε/C. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of raw logits [N, C] / [N, C, d...] against int32 class
 * targets or float class probabilities of the input's shape.
 */
export function crossEntropy(logits: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  requireFloat(logits, 'crossEntropy');
  const { labelSmoothing = 0, reduction = 'mean', ignoreIndex = -100, weight = null } = opts;
  if (labelSmoothing < 0 || labelSmoothing > 1) throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  const classDim = logits.ndim === 1 ? 0 : 1;
  const C = logits.shape[classDim];
  const logp = logits.logSoftmax(classDim);
  if (target.dtype !== 'int32') {
    // Class probabilities.
    checkSame('crossEntropy', logits, target);
    let tgt = target;
    if (labelSmoothing > 0) tgt = tgt.mul(1 - labelSmoothing).add(labelSmoothing / C);
    let prod = logp.mul(tgt);
    if (weight) prod = prod.mul(weight.reshape([C, ...new Array<number>(logits.ndim - classDim - 1).fill(1)]));
    const loss = prod.sum(classDim).neg();
    return reduce(loss, reduction);
  }
  checkTarget('crossEntropy', logits, target);
  const nll = nllLoss(logp, target, { reduction, ignoreIndex, weight });
  if (labelSmoothing === 0) return nll;
  // Smoothing term: −Σ_c w_c·logp_c / C over non-ignored targets, reduced like the NLL.
  const lp = classesLast(logp);
  const t = target.reshape([-1]);
  const valid = t.ne(ignoreIndex).to(lp.dtype);
  const wl = weight ? lp.mul(weight) : lp;
  const smooth = wl.sum(1).neg().div(C).mul(valid);
  let smoothRed: Tensor;
  if (reduction === 'none') smoothRed = smooth.reshape(target.shape);
  else if (reduction === 'sum') smoothRed = smooth.sum();
  else {
    const denom = weight ? valid.mul(weight.indexSelect(0, where(t.ne(ignoreIndex), t, 0))).sum() : valid.sum();
    smoothRed = weightedMean(smooth.sum(), denom);
  }
  return nll.mul(1 - labelSmoothing).add(smoothRed.mul(labelSmoothing));
}

export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSame('mseLoss', input, target);
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSame('l1Loss', input, target);
  return reduce(input.sub(target).abs(), reduction);
}

/** Smooth L1: 0.5·d²/β where |d| < β, else |d| − 0.5β. */
export function smoothL1Loss(input: Tensor, target: Tensor, beta = 1, reduction: Reduction = 'mean'): Tensor {
  checkSame('smoothL1Loss', input, target);
  if (beta === 0) return l1Loss(input, target, reduction);
  const d = input.sub(target).abs();
  return reduce(where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta)), reduction);
}

/** Huber: 0.5·d² where |d| < δ, else δ·(|d| − 0.5δ). */
export function huberLoss(input: Tensor, target: Tensor, delta = 1, reduction: Reduction = 'mean'): Tensor {
  checkSame('huberLoss', input, target);
  const d = input.sub(target).abs();
  return reduce(where(d.lt(delta), d.mul(d).mul(0.5), d.sub(0.5 * delta).mul(delta)), reduction);
}

export interface BceOptions {
  reduction?: Reduction;
  weight?: Tensor | null;
  /** Weight of positive examples, broadcast over the class dim. */
  posWeight?: Tensor | null;
}

/** Binary cross-entropy on logits, in the stable form max(x,0) − x·y + log(1 + e^−|x|). */
export function bceWithLogits(logits: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  checkSame('bceWithLogits', logits, target);
  const { reduction = 'mean', weight = null, posWeight = null } = opts;
  const softTerm = logits.abs().neg().exp().log1p();
  let loss: Tensor;
  if (posWeight) {
    const lw = posWeight.sub(1).mul(target).add(1);
    loss = target.rsub(1).mul(logits).add(lw.mul(softTerm.add(logits.neg().relu())));
  } else {
    loss = logits.relu().sub(logits.mul(target)).add(softTerm);
  }
  if (weight) loss = loss.mul(weight);
  return reduce(loss, reduction);
}

/** Binary cross-entropy on probabilities (log clamped at −100, as PyTorch). */
export function binaryCrossEntropy(probs: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkSame('binaryCrossEntropy', probs, target);
  const lp = probs.log().clamp(-100);
  const lq = probs.rsub(1).log().clamp(-100);
  return reduce(target.mul(lp).add(target.rsub(1).mul(lq)).neg(), reduction);
}
