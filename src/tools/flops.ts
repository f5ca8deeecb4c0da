/**
 * FLOPs of a computation, counted by running it: every matmul (and so every
 * linear layer and convolution, which lower to matmul) adds 2·m·k·n.
 * Elementwise ops, norms and activations are not counted, as in the usual
 * FLOP tables of papers (fvcore, thop count multiply-adds of GEMM-like ops).
 */
import { noGrad } from '../autograd/mode.js';
import { flopCounter } from '../ops/util.js';

/** FLOPs (2 × multiply-adds) of the matmuls `fn` performs; runs `fn` once without recording gradients. */
export function countFlops(fn: () => unknown): number {
  const wasActive = flopCounter.active;
  const before = flopCounter.flops;
  flopCounter.active = true;
  try {
    noGrad(fn);
    return flopCounter.flops - before;
  } finally {
    flopCounter.active = wasActive;
    if (!wasActive) flopCounter.flops = 0;
  }
}
