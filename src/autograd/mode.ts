/** Global grad mode: whether ops record the graph. */
let enabled = true;

export const isGradEnabled = (): boolean => enabled;

function withMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * Run `fn` without recording gradients (like `torch.no_grad()`).
 * @example const y = noGrad(() => model.forward(x));
 */
export const noGrad = <T>(fn: () => T): T => withMode(false, fn);

/** Run `fn` with gradient recording on, even inside `noGrad`. */
export const enableGrad = <T>(fn: () => T): T => withMode(true, fn);
