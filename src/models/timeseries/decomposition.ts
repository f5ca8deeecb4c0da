/**
 * Series decomposition (Autoformer, Wu et al. NeurIPS 2021;
 * `layers/Autoformer_EncDec.py` moving_avg / series_decomp, reused by
 * TimeMixer): the trend is a moving average over time of the series padded at
 * both ends by repeating its first and last rows ((k − 1)/2 each side), the
 * seasonal part is the remainder. No parameters.
 */
import { cat } from '../../ops/movement.js';
import { Module } from '../../nn/module.js';
import { zeros } from '../../tensor/creation.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Moving average over time of x [B, T, D] with replicate padding; output
 * [B, T + 2⌊(k−1)/2⌋ − k + 1, D] (= T for odd k), as AvgPool1d(k, stride 1)
 * on the padded series. Computed as a difference of prefix sums rather than
 * by unfolding k-wide windows: the same averages (up to float32 rounding of
 * the running sum) in O(T) work and memory instead of O(T·k).
 */
export function movingAverage(x: Tensor, kernelSize: number): Tensor {
  if (x.ndim !== 3) throw new Error(`movingAverage: expected [B, T, D], got ${shapeStr(x.shape)}`);
  if (!Number.isInteger(kernelSize) || kernelSize < 1) throw new Error(`movingAverage: kernel size must be a positive integer, got ${kernelSize}`);
  const [b, t, d] = x.shape;
  const pad = Math.floor((kernelSize - 1) / 2);
  const out = t + 2 * pad - kernelSize + 1;
  if (out < 1) throw new Error(`movingAverage: kernel ${kernelSize} is longer than the padded series (${t} + 2·${pad} steps)`);
  // Repeat the end rows as the reference does (x[:, 0:1].repeat); a zero row in front makes S[j] = Σ_{i<j}.
  const parts = [zeros([b, 1, d], { dtype: x.dtype })];
  if (pad > 0) parts.push(x.narrow(1, 0, 1).expand([b, pad, d]));
  parts.push(x);
  if (pad > 0) parts.push(x.narrow(1, t - 1, 1).expand([b, pad, d]));
  const prefix = cat(parts, 1).cumsum(1); // (B, 1 + T + 2·pad, D)
  return prefix.narrow(1, kernelSize, out).sub(prefix.narrow(1, 0, out)).div(kernelSize); // (B, out, D)
}

/** x [B, T, D] → { seasonal: x − trend, trend: movingAverage(x) } (the reference returns (res, moving_mean)). */
export class SeriesDecomp extends Module<[Tensor], { seasonal: Tensor; trend: Tensor }> {
  constructor(readonly kernelSize: number) {
    super();
  }

  forward(x: Tensor): { seasonal: Tensor; trend: Tensor } {
    const trend = movingAverage(x, this.kernelSize);
    return { seasonal: x.sub(trend), trend };
  }

  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}`;
  }
}
