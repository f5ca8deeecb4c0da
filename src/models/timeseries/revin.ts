/**
 * Reversible instance normalisation (Kim et al., "Reversible Instance
 * Normalization for Accurate Time-Series Forecasting against Distribution
 * Shift", ICLR 2022): each input window is z-scored over its own time axis
 * (statistics without gradient), an optional per-channel affine map is
 * applied, and the forecast is mapped back with the same statistics.
 *
 * The reference implementations differ in one detail, kept here as an option:
 *  - TSMixer (google-research `rev_in.py`): denorm divides by the raw affine weight;
 *  - TimeMixer (`layers/StandardNorm.py` Normalize): divides by weight + eps².
 * Both use the biased variance with eps inside the square root.
 *
 * State-dict names: `affine_weight` [C] (ones), `affine_bias` [C] (zeros).
 */
import { noGrad } from '../../autograd/mode.js';
import { Module } from '../../nn/module.js';
import { emptyParameter, type FactoryOptions, type Parameter } from '../../nn/parameter.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface RevINOptions extends Pick<FactoryOptions, 'dtype'> {
  eps?: number;
  affine?: boolean;
  /** Add eps² to the affine weight before dividing in denorm (TimeMixer) or not (TSMixer, default). */
  denormWeightEps?: boolean;
  /** Pass values through unchanged (TimeMixer's `use_norm 0`). */
  nonNorm?: boolean;
}

/** Per-window statistics, [B, 1, C] each; kept by the caller between norm and denorm. */
export interface RevINStats {
  mean: Tensor;
  stdev: Tensor;
}

/**
 * x [B, T, C] → normalised x and its statistics; `denormalize(y, stats)` maps
 * a forecast y [B, H, C] back.
 * @example
 * const revin = new RevIN(7);
 * const { y: xn, stats } = revin.normalize(x);      // x [32, 96, 7]
 * const out = revin.denormalize(model(xn), stats);   // [32, 96, 7]
 */
export class RevIN extends Module<[Tensor], Tensor> {
  readonly eps: number;
  readonly affineWeight: Parameter | null;
  readonly affineBias: Parameter | null;
  readonly denormWeightEps: boolean;
  readonly nonNorm: boolean;
  /** Statistics of the last `forward` call (the reference layers keep them as attributes). */
  last: RevINStats | null = null;

  constructor(readonly numFeatures: number, opts: RevINOptions = {}) {
    super();
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.affine ?? true;
    this.affineWeight = affine ? emptyParameter([numFeatures], opts.dtype) : null;
    this.affineBias = affine ? emptyParameter([numFeatures], opts.dtype) : null;
    this.affineWeight?.data.fill(1);
    this.denormWeightEps = opts.denormWeightEps ?? false;
    this.nonNorm = opts.nonNorm ?? false;
  }

  private check(x: Tensor, what: string): void {
    if (x.ndim !== 3 || x.shape[2] !== this.numFeatures) {
      throw new Error(`RevIN.${what}: expected [B, T, ${this.numFeatures}], got ${shapeStr(x.shape)}`);
    }
  }

  /** x [B, T, C] → (x − mean) / stdev · w + b, and the statistics (mean/stdev over T, no gradient). */
  normalize(x: Tensor): { y: Tensor; stats: RevINStats } {
    this.check(x, 'normalize');
    const stats = noGrad(() => {
      const d = x.detach();
      const mean = d.mean(1, true); // (B, 1, C)
      const stdev = d.var(1, { keepdim: true, unbiased: false }).add(this.eps).sqrt(); // (B, 1, C)
      return { mean, stdev };
    });
    if (this.nonNorm) return { y: x, stats };
    let y = x.sub(stats.mean).div(stats.stdev);
    if (this.affineWeight && this.affineBias) y = y.mul(this.affineWeight).add(this.affineBias);
    return { y, stats };
  }

  /** y [B, H, C] in normalised units → original units, with the statistics of its input window. */
  denormalize(y: Tensor, stats: RevINStats): Tensor {
    this.check(y, 'denormalize');
    if (this.nonNorm) return y;
    let out = y;
    if (this.affineWeight && this.affineBias) {
      const w = this.denormWeightEps ? this.affineWeight.add(this.eps * this.eps) : this.affineWeight;
      out = out.sub(this.affineBias).div(w);
    }
    return out.mul(stats.stdev).add(stats.mean);
  }

  /** Normalise and remember the statistics for a later `denormalize(y, this.last!)`. */
  forward(x: Tensor): Tensor {
    const { y, stats } = this.normalize(x);
    this.last = stats;
    return y;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, affine=${this.affineWeight !== null}`;
  }
}
