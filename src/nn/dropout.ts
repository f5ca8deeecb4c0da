/** Dropout (Srivastava et al., 2014), seeded. */
import { defaultGenerator, type Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { dropout } from './functional.js';
import { Module } from './module.js';
import { checkOptions, describeValue } from '../util/options.js';

export interface DropoutOptions {
  /** Source of the masks (default: mlpkit's default generator). */
  generator?: Generator;
}

/** A drop probability must be a number in [0, 1] (checked once, at construction). */
export function checkProbability(where: string, p: unknown): void {
  if (typeof p !== 'number') {
    const hint = typeof p === 'object' && p !== null ? ` (pass it first: new ${where}(0.1, opts))` : '';
    throw new TypeError(`${where}: probability must be a number in [0, 1], got ${describeValue(p)}${hint}`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${where}: probability must be in [0, 1], got ${p}`);
}

/**
 * In training, zeroes each element with probability p and scales the rest by
 * 1/(1 − p); in evaluation, the identity. Masks come from `generator`, so a
 * seeded model drops the same units on every run.
 */
export class Dropout extends Module<[Tensor], Tensor> {
  readonly generator: Generator;

  constructor(readonly p = 0.5, opts: DropoutOptions = {}) {
    super();
    checkProbability('Dropout', p);
    checkOptions('Dropout', opts, ['generator']);
    this.generator = opts.generator ?? defaultGenerator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, { generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
