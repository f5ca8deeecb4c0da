/** Embedding: a lookup table of learned vectors. */
import type { Tensor } from '../tensor/tensor.js';
import { embedding } from './functional.js';
import { normal_ } from './init.js';
import { Module } from './module.js';
import { emptyParameter, type FactoryOptions, type Parameter } from './parameter.js';
import { checkInt, checkOptions } from '../util/options.js';

export interface EmbeddingOptions extends FactoryOptions {
  /** A row that stays as stored (zeros at init) and gets no gradient; negative counts from the end. */
  paddingIdx?: number | null;
}

/**
 * int32 indices of any shape → [...shape, embeddingDim]; weight
 * [numEmbeddings, embeddingDim], initialised N(0, 1) as PyTorch (the padding row zeroed).
 * @example new Embedding(1000, 64).forward(tensor([[1, 5, 7]], { dtype: 'int32' })).shape // [1, 3, 64]
 */
export class Embedding extends Module<[Tensor], Tensor> {
  readonly weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    checkOptions('Embedding', opts, ['paddingIdx', 'generator', 'dtype']);
    checkInt('Embedding', 'numEmbeddings', numEmbeddings);
    checkInt('Embedding', 'embeddingDim', embeddingDim);
    const p = opts.paddingIdx ?? null;
    if (p !== null && (!Number.isInteger(p) || p >= numEmbeddings || p < -numEmbeddings)) {
      throw new RangeError(`Embedding: paddingIdx ${p} is out of range for ${numEmbeddings} embeddings`);
    }
    this.paddingIdx = p === null ? null : p < 0 ? p + numEmbeddings : p;
    this.weight = emptyParameter([numEmbeddings, embeddingDim], opts.dtype);
    this.resetParameters(opts);
  }

  resetParameters(opts: FactoryOptions = {}): void {
    normal_(this.weight, 0, 1, opts);
    if (this.paddingIdx !== null) this.weight.data.fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim);
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}
