/**
 * Activation layers: parameter-free wrappers of elementwise ops, for
 * Sequential and for blocks that take an activation constructor.
 */
import { elu, leakyRelu } from '../ops/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';
import { geglu, glu, mish, squaredRelu, swiglu } from './functional.js';
import { Module } from './module.js';
import { describeValue } from '../util/options.js';

abstract class Activation extends Module<[Tensor], Tensor> {}

export class ReLU extends Activation {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** ReLU(x)² (Primer, So et al., 2021). */
export class SquaredReLU extends Activation {
  forward(x: Tensor): Tensor {
    return squaredRelu(x);
  }
}

/** GELU: exact x·Φ(x) (default) or the tanh approximation. */
export class GELU extends Activation {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    if (approximate !== 'none' && approximate !== 'tanh') throw new TypeError(`GELU: approximate must be 'none' or 'tanh', got ${describeValue(approximate)}`);
  }

  forward(x: Tensor): Tensor {
    return x.gelu(this.approximate);
  }

  override extraRepr(): string {
    return `approximate=${this.approximate}`;
  }
}

/** x·σ(x) (also called Swish). */
export class SiLU extends Activation {
  forward(x: Tensor): Tensor {
    return x.silu();
  }
}

export class Sigmoid extends Activation {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

export class Tanh extends Activation {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** log(1 + exp(βx))/β, linear above βx > threshold (PyTorch's defaults β = 1, threshold = 20). */
export class Softplus extends Activation {
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x.softplus(this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

export class LeakyReLU extends Activation {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

export class ELU extends Activation {
  constructor(readonly alpha = 1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
}

/** x·tanh(softplus(x)) (Misra, 2019). */
export class Mish extends Activation {
  forward(x: Tensor): Tensor {
    return mish(x);
  }
}

/**
 * The gated units split x in half along `dim` — value a first, gate b second,
 * as torch.nn.GLU — and return a ⊙ act(b): [..., 2n, ...] → [..., n, ...].
 * Put a Linear to 2·hidden before one to get the gated FFN of Shazeer (2020).
 */
abstract class Gated extends Activation {
  constructor(readonly dim = -1) {
    super();
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** a ⊙ σ(b) (Dauphin et al., 2017). */
export class GLU extends Gated {
  forward(x: Tensor): Tensor {
    return glu(x, this.dim);
  }
}

/** a ⊙ GELU(b) (Shazeer, 2020). */
export class GEGLU extends Gated {
  constructor(dim = -1, readonly approximate: 'none' | 'tanh' = 'none') {
    super(dim);
  }

  forward(x: Tensor): Tensor {
    return geglu(x, this.dim, this.approximate);
  }
}

/** a ⊙ SiLU(b) (Shazeer, 2020). */
export class SwiGLU extends Gated {
  forward(x: Tensor): Tensor {
    return swiglu(x, this.dim);
  }
}
