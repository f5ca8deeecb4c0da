import type { Tensor } from '../tensor/tensor.js';

/**
 * One recorded op: its inputs and a rule that maps the output's gradient to
 * one gradient per input (null where an input gets none). Rules are written in
 * the engine's own differentiable ops, so running them with grad mode on
 * records a graph of the backward pass (higher-order gradients).
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (grad: Tensor) => (Tensor | null)[];
  /**
   * Set once a backward pass without `retainGraph` has run this node. Its rule
   * may then no longer be run: a second pass would add the same gradients
   * again, which is never what a training loop means.
   */
  released?: boolean;
}
