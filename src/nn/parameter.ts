/**
 * The two kinds of tensor a Module owns. A field holding a `Parameter` is a
 * trainable weight, a field holding a `Buffer` is state that is saved with the
 * model but not trained (BatchNorm's running statistics). Both are ordinary
 * tensors whose storage is updated in place (by optimisers, by
 * `loadStateDict`, by BatchNorm), so their identity is stable for the life of
 * the module and an optimiser can hold on to them.
 */
import { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { isFloat, type DType } from '../tensor/dtype.js';
import type { Generator } from '../tensor/random.js';
import { checkOptions, describeValue } from '../util/options.js';

/**
 * A trainable tensor: a leaf that requires grad (unless frozen with
 * `requiresGrad = false`). It shares storage with the tensor it wraps.
 * @example
 * this.weight = new Parameter(zeros([out, in]));
 */
export class Parameter extends Tensor {
  constructor(init: Tensor, requiresGrad = true) {
    if (!(init instanceof Tensor)) throw new TypeError(`Parameter: expected a tensor to wrap, got ${describeValue(init)}`);
    if (typeof requiresGrad !== 'boolean') throw new TypeError(`Parameter: requiresGrad must be a boolean, got ${describeValue(requiresGrad)}`);
    if (!isFloat(init.dtype)) throw new TypeError(`Parameter: only floating-point tensors can be parameters, got ${init.dtype}`);
    super(init.data, init.shape, init.dtype);
    this.requiresGrad = requiresGrad;
  }
}

/**
 * Non-trainable module state. `persistent = false` keeps it out of the state
 * dict (a cached mask, say), as PyTorch's `register_buffer(..., persistent=False)`.
 */
export class Buffer extends Tensor {
  readonly persistent: boolean;

  constructor(init: Tensor, opts: { persistent?: boolean } = {}) {
    if (!(init instanceof Tensor)) throw new TypeError(`Buffer: expected a tensor to wrap, got ${describeValue(init)}`);
    checkOptions('Buffer', opts, ['persistent']);
    super(init.data, init.shape, init.dtype);
    this.persistent = opts.persistent ?? true;
  }
}

/** Options every layer with weights accepts. */
export interface FactoryOptions {
  /** Source of the initial weights (default: the global generator). */
  generator?: Generator;
  /** Parameter dtype (default float32; float64 for gradient checks). */
  dtype?: 'float32' | 'float64';
}

/** A zero-filled parameter of `shape`, for an initialiser to fill. */
export function emptyParameter(shape: readonly number[], dtype: DType = 'float32'): Parameter {
  return new Parameter(zeros(shape, { dtype }));
}
