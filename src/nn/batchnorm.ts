/** Batch normalisation layers with running statistics (BatchNorm1d, BatchNorm2d). */
import { zeros, ones } from '../tensor/creation.js';
import { shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { batchNorm } from './functional.js';
import { Module } from './module.js';
import { Buffer, emptyParameter, type FactoryOptions, type Parameter } from './parameter.js';
import { checkInt, checkOptions } from '../util/options.js';

export interface BatchNormOptions extends Pick<FactoryOptions, 'dtype'> {
  eps?: number;
  /** Weight of each new batch in the running statistics; null for a cumulative (equal-weight) average. Default 0.1. */
  momentum?: number | null;
  /** Learn per-channel weight (ones) and bias (zeros). Default true. */
  affine?: boolean;
  /** Keep running statistics for evaluation; without them every mode uses batch statistics. Default true. */
  trackRunningStats?: boolean;
}

/**
 * Shared machinery: parameters weight/bias [C], buffers running_mean (zeros),
 * running_var (ones) and num_batches_tracked, with PyTorch's names. In training
 * it normalises with the batch statistics and updates the running ones (the
 * variance unbiased); in evaluation it uses the running ones.
 */
abstract class BatchNormBase extends Module<[Tensor], Tensor> {
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Buffer | null;
  readonly runningVar: Buffer | null;
  /** Training steps seen (int32 here; PyTorch stores int64, which loads into it). */
  readonly numBatchesTracked: Buffer | null;

  constructor(readonly numFeatures: number, opts: BatchNormOptions) {
    super();
    checkOptions(this.constructor.name, opts, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype']);
    checkInt(this.constructor.name, 'numFeatures', numFeatures, 1);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    const affine = opts.affine ?? true;
    this.weight = affine ? emptyParameter([numFeatures], opts.dtype) : null;
    this.bias = affine ? emptyParameter([numFeatures], opts.dtype) : null;
    const track = opts.trackRunningStats ?? true;
    const dtype = opts.dtype ?? 'float32';
    this.runningMean = track ? new Buffer(zeros([numFeatures], { dtype })) : null;
    this.runningVar = track ? new Buffer(ones([numFeatures], { dtype })) : null;
    this.numBatchesTracked = track ? new Buffer(zeros([], { dtype: 'int32' })) : null;
    this.weight?.data.fill(1);
  }

  /** Running statistics back to their initial values (mean 0, variance 1, no batches). */
  resetRunningStats(): void {
    this.runningMean?.data.fill(0);
    this.runningVar?.data.fill(1);
    this.numBatchesTracked?.data.fill(0);
  }

  resetParameters(): void {
    this.resetRunningStats();
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  protected abstract checkInput(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`${this.constructor.name}: input ${shapeStr(x.shape)} has ${x.shape[1]} channels, expected ${this.numFeatures}`);
    }
    const counting = this.training && this.numBatchesTracked !== null;
    const n = counting ? this.numBatchesTracked!.data[0] + 1 : 0;
    const factor = this.momentum ?? (counting ? 1 / n : 0);
    const useBatchStats = this.training || !this.runningMean;
    const y = batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: useBatchStats, momentum: factor, eps: this.eps });
    // Counted after the call, so a rejected input leaves the state untouched.
    if (counting) this.numBatchesTracked!.data[0] = n;
    return y;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.runningMean !== null}`;
  }
}

/** Batch normalisation of x [N, C] or [N, C, L] per channel C. */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, opts);
  }

  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`BatchNorm1d: expected input [N, C] or [N, C, L], got ${shapeStr(x.shape)}`);
  }
}

/** Batch normalisation of x [N, C, H, W] per channel C. */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, opts);
  }

  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) throw new Error(`BatchNorm2d: expected input [N, C, H, W], got ${shapeStr(x.shape)}`);
  }
}
