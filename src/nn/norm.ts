/** Normalisation layers over features: LayerNorm, RMSNorm, GroupNorm (BatchNorm is in batchnorm.ts). */
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { groupNorm, layerNorm, rmsNorm } from './functional.js';
import { Module } from './module.js';
import { emptyParameter, type FactoryOptions, type Parameter } from './parameter.js';
import { checkOptions } from '../util/options.js';

const asShape = (s: number | readonly number[]): number[] => (typeof s === 'number' ? [s] : [...s]);

export interface LayerNormOptions extends Pick<FactoryOptions, 'dtype'> {
  eps?: number;
  /** Learn a per-element scale (weight) and shift (bias). Default true. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn the shift. Default true. */
  bias?: boolean;
}

/**
 * Layer normalisation (Ba et al., 2016) over the trailing `normalizedShape`
 * dims. weight (ones) and bias (zeros) have shape normalizedShape.
 * @example new LayerNorm(64).forward(randn([8, 10, 64])) // each row: mean 0, variance 1
 */
export class LayerNorm extends Module<[Tensor], Tensor> {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    checkOptions('LayerNorm', opts, ['eps', 'elementwiseAffine', 'bias', 'dtype']);
    this.normalizedShape = asShape(normalizedShape);
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? emptyParameter(this.normalizedShape, opts.dtype) : null;
    this.bias = affine && opts.bias !== false ? emptyParameter(this.normalizedShape, opts.dtype) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

export interface RMSNormOptions extends Pick<FactoryOptions, 'dtype'> {
  /** Added to the mean square; default the input dtype's machine epsilon (torch.nn.RMSNorm). */
  eps?: number;
  /** Learn a per-element scale (weight, ones). Default true. */
  elementwiseAffine?: boolean;
}

/**
 * Root-mean-square normalisation (Zhang & Sennrich, 2019):
 * x / √(mean(x²) + eps) · weight over the trailing dims (torch.nn.RMSNorm).
 */
export class RMSNorm extends Module<[Tensor], Tensor> {
  readonly normalizedShape: number[];
  readonly eps: number | undefined;
  readonly weight: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: RMSNormOptions = {}) {
    super();
    checkOptions('RMSNorm', opts, ['eps', 'elementwiseAffine', 'dtype']);
    this.normalizedShape = asShape(normalizedShape);
    this.eps = opts.eps;
    this.weight = opts.elementwiseAffine === false ? null : emptyParameter(this.normalizedShape, opts.dtype);
    this.resetParameters();
  }

  resetParameters(): void {
    this.weight?.data.fill(1);
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, this.weight, this.eps);
  }

  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.eps ?? 'machine epsilon'}, elementwiseAffine=${this.weight !== null}`;
  }
}

export interface GroupNormOptions extends Pick<FactoryOptions, 'dtype'> {
  eps?: number;
  /** Learn per-channel weight (ones) and bias (zeros). Default true. */
  affine?: boolean;
}

/**
 * Group normalisation (Wu & He, 2018) of x [N, C, …] in numGroups groups of
 * channels; weight and bias [C]. One group is LayerNorm over (C, …); C groups
 * is InstanceNorm.
 */
export class GroupNorm extends Module<[Tensor], Tensor> {
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(readonly numGroups: number, readonly numChannels: number, opts: GroupNormOptions = {}) {
    super();
    checkOptions('GroupNorm', opts, ['eps', 'affine', 'dtype']);
    if (!Number.isInteger(numGroups) || numGroups < 1 || numChannels % numGroups !== 0) {
      throw new Error(`GroupNorm: ${numChannels} channels are not divisible into ${numGroups} groups`);
    }
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.affine ?? true;
    this.weight = affine ? emptyParameter([numChannels], opts.dtype) : null;
    this.bias = affine ? emptyParameter([numChannels], opts.dtype) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new Error(`GroupNorm: expected input [N, ${this.numChannels}, …], got ${shapeStr(x.shape)}`);
    }
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight !== null}`;
  }
}
