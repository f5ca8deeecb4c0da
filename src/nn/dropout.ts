/** Dropout (Srivastava et al., 2014), seeded. */
import { defaultGenerator, type Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropout } from './functional.js';
import { Module } from './module.js';

/**
 * In training, zeroes each element with probability p and scales the rest by
 * 1/(1 − p); in evaluation, the identity. Masks come from `generator`, so a
 * seeded model drops the same units on every run.
 */
export class Dropout extends Module<[Tensor], Tensor> {
  readonly generator: Generator;

  constructor(readonly p = 0.5, { generator = defaultGenerator }: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: probability must be in [0, 1], got ${p}`);
    this.generator = generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, { generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
