/** Pooling layers over [N, C, H, W] (2d) and [N, C, L] (1d) inputs, with PyTorch's options. */
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d, type AvgPool2dOptions, type Pool2dOptions } from '../ops/conv.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { checkOptions } from '../util/options.js';

type Pair = number | readonly [number, number];

/** Maximum over each window; the stride defaults to the kernel size. */
export class MaxPool2d extends Module<[Tensor], Tensor> {
  constructor(readonly kernelSize: Pair, readonly opts: Pool2dOptions = {}) {
    super();
    checkOptions('MaxPool2d', opts, ['stride', 'padding', 'dilation', 'ceilMode']);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.opts);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, ${JSON.stringify(this.opts)}`;
  }
}

/** Mean over each window (padding counted in the divisor unless countIncludePad: false). */
export class AvgPool2d extends Module<[Tensor], Tensor> {
  constructor(readonly kernelSize: Pair, readonly opts: AvgPool2dOptions = {}) {
    super();
    checkOptions('AvgPool2d', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.opts);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, ${JSON.stringify(this.opts)}`;
  }
}

export interface Pool1dOptions {
  stride?: number | null;
  padding?: number;
  ceilMode?: boolean;
}

export class MaxPool1d extends Module<[Tensor], Tensor> {
  constructor(readonly kernelSize: number, readonly opts: Pool1dOptions & { dilation?: number } = {}) {
    super();
    checkOptions('MaxPool1d', opts, ['stride', 'padding', 'ceilMode', 'dilation']);
  }

  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, this.opts);
  }
}

export class AvgPool1d extends Module<[Tensor], Tensor> {
  constructor(readonly kernelSize: number, readonly opts: Pool1dOptions & { countIncludePad?: boolean } = {}) {
    super();
    checkOptions('AvgPool1d', opts, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, this.opts);
  }
}
