/**
 * Stochastic depth (Huang et al., 2016, "Deep Networks with Stochastic Depth",
 * https://arxiv.org/abs/1603.09382) in the per-sample form that residual
 * blocks use: the whole residual branch of a sample is dropped, and the kept
 * branches are scaled up so the expected output is unchanged (timm's DropPath).
 */
import { allocStorage } from '../tensor/dtype.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { checkOptions } from '../util/options.js';
import { checkProbability } from './dropout.js';

export interface DropPathOptions {
  /** Source of the keep/drop draws (default: mlpkit's default generator). */
  generator?: Generator;
  /** Divide kept samples by the keep probability (default true), as timm. */
  scaleByKeep?: boolean;
}

/**
 * Zero each sample of the batch (dim 0) with probability p, and scale the kept
 * ones by 1/(1 − p); the identity when not training or p = 0.
 * x: [B, ...] → [B, ...].
 */
export function dropPath(x: Tensor, p: number, training: boolean, { generator = defaultGenerator, scaleByKeep = true }: DropPathOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropPath: probability must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  if (x.ndim === 0) throw new Error('dropPath: expected an input with a batch dim, got a 0-d tensor');
  const keep = 1 - p;
  const b = x.shape[0];
  // One draw per sample, broadcast over the other dims: [B, 1, 1, ...].
  const mask = new Tensor(allocStorage(x.dtype, b), [b, ...x.shape.slice(1).map(() => 1)], x.dtype);
  const scale = keep > 0 && scaleByKeep ? 1 / keep : 1;
  for (let i = 0; i < b; i++) mask.data[i] = generator.random() < keep ? scale : 0;
  return x.mul(mask);
}

/**
 * Per-sample drop of a residual branch (stochastic depth).
 * @example
 * const dp = new DropPath(0.1);
 * x = x.add(dp.forward(branch(x))); // in training, ~10% of samples skip the branch
 */
export class DropPath extends Module<[Tensor], Tensor> {
  readonly generator: Generator;
  readonly scaleByKeep: boolean;

  constructor(readonly p = 0, opts: DropPathOptions = {}) {
    super();
    checkProbability('DropPath', p);
    checkOptions('DropPath', opts, ['generator', 'scaleByKeep']);
    const { generator = defaultGenerator, scaleByKeep = true } = opts;
    this.generator = generator;
    this.scaleByKeep = scaleByKeep;
  }

  forward(x: Tensor): Tensor {
    return dropPath(x, this.p, this.training, { generator: this.generator, scaleByKeep: this.scaleByKeep });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
