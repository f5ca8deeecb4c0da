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
  /** Replaced by a stub when the node is released (see `released`). */
  backward: (grad: Tensor) => (Tensor | null)[];
  /**
   * Set once a backward pass without `retainGraph` has run this node, as
   * PyTorch frees a graph's saved tensors. Running it again throws (a second
   * pass would add the same gradients again). The rule is dropped, and with
   * it whatever its closure saved beyond the inputs (masks, outputs); the
   * inputs stay, so later passes still see the graph's shape.
   */
  released?: boolean;
}
