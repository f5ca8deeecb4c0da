/** Gradient clipping (torch.nn.utils.clip_grad_norm_ and clip_grad_value_). */
import { allocStorage } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

export interface ClipGradNormOptions {
  /** 2 (default), any p > 0, or Infinity (largest magnitude). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite rather than scaling by it. */
  errorIfNonfinite?: boolean;
}

/**
 * Scale the gradients of `params` together so that their total norm (the norm
 * of all gradients concatenated) is at most `maxNorm`: each is multiplied by
 * min(1, maxNorm / (total + 1e-6)). Parameters without a gradient are skipped.
 * Scaled gradients are new tensors (a gradient's storage may be shared with
 * another tensor's, so it is never scaled in place).
 * @returns the total norm before clipping.
 * @example const norm = clipGradNorm(model.parameters(), 1.0);
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, { normType = 2, errorIfNonfinite = false }: ClipGradNormOptions = {}): number {
  if (!(normType > 0)) throw new RangeError(`clipGradNorm: normType must be positive or Infinity, got ${normType}`);
  const withGrad = [...params].filter((p) => p.grad !== null);
  let total = 0;
  for (const p of withGrad) {
    const g = p.grad!.data;
    if (normType === Infinity) {
      // Math.max propagates NaN, as PyTorch's max norm does.
      for (let i = 0; i < g.length; i++) total = Math.max(total, Math.abs(g[i]));
    } else if (normType === 2) {
      for (let i = 0; i < g.length; i++) total += g[i] * g[i];
    } else {
      for (let i = 0; i < g.length; i++) total += Math.abs(g[i]) ** normType;
    }
  }
  if (normType !== Infinity) total = normType === 2 ? Math.sqrt(total) : total ** (1 / normType);
  if (!Number.isFinite(total) && errorIfNonfinite) {
    throw new Error(`clipGradNorm: the total norm of order ${normType} of the gradients is ${total}`);
  }
  const coef = maxNorm / (total + 1e-6);
  // A NaN total gives NaN gradients, as in PyTorch (unless errorIfNonfinite).
  if (coef < 1 || Number.isNaN(coef)) for (const p of withGrad) p.grad = scaled(p.grad!, coef);
  return total;
}

/** Clamp every gradient element into [−clipValue, clipValue] (new gradient tensors). */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new RangeError(`clipGradValue: clipValue must be non-negative, got ${clipValue}`);
  for (const p of params) {
    if (!p.grad) continue;
    const g = p.grad.data;
    const out = allocStorage(p.grad.dtype, g.length);
    for (let i = 0; i < g.length; i++) out[i] = Math.min(clipValue, Math.max(-clipValue, g[i]));
    p.grad = new Tensor(out, p.grad.shape, p.grad.dtype);
  }
}

function scaled(t: Tensor, k: number): Tensor {
  const out = allocStorage(t.dtype, t.size);
  const d = t.data;
  for (let i = 0; i < d.length; i++) out[i] = d[i] * k;
  return new Tensor(out, t.shape, t.dtype);
}
