/** Linear (fully connected) layer, and the shape-only layers Identity and Flatten. */
import type { Tensor } from '../tensor/tensor.js';
import { linear } from './functional.js';
import { kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';
import { emptyParameter, type FactoryOptions, type Parameter } from './parameter.js';
import { checkInt, checkOptions } from '../util/options.js';

export interface LinearOptions extends FactoryOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

const LINEAR_OPTIONS: readonly (keyof LinearOptions)[] = ['bias', 'generator', 'dtype'];

/**
 * y = x·Wᵀ + b. x: [..., inFeatures] → [..., outFeatures]; weight
 * [outFeatures, inFeatures], bias [outFeatures] (PyTorch's names and shapes).
 * Initialised as PyTorch: weight by kaiming_uniform(a = √5), i.e. U(±1/√in),
 * bias U(±1/√in).
 * @example new Linear(784, 256).forward(randn([32, 784])).shape // [32, 256]
 */
export class Linear extends Module<[Tensor], Tensor> {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkOptions(this.constructor.name, opts, LINEAR_OPTIONS);
    checkInt(this.constructor.name, 'inFeatures', inFeatures);
    checkInt(this.constructor.name, 'outFeatures', outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, inFeatures], opts.dtype);
    this.bias = opts.bias === false ? null : emptyParameter([outFeatures], opts.dtype);
    this.resetParameters(opts);
  }

  /** PyTorch's default initialisation (see the class comment). */
  resetParameters(opts: FactoryOptions = {}): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator: opts.generator });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound, opts);
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Returns its input; a placeholder where a block takes an optional layer. */
export class Identity extends Module<[Tensor], Tensor> {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Flattens dims startDim…endDim into one (default: all but the batch dim), as nn.Flatten. */
export class Flatten extends Module<[Tensor], Tensor> {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
