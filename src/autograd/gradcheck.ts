/**
 * Finite-difference gradient checking in float64 on the reference backend.
 */
import { withBackend } from '../backend/index.js';
import { Generator } from '../tensor/random.js';
import { randn } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { grad } from './engine.js';
import { noGrad } from './mode.js';

export interface GradcheckOptions {
  /** Central-difference step. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random projection of the outputs. */
  seed?: number;
}

/**
 * Compare the analytic gradient of `fn` with central finite differences.
 * Inputs are copied to float64; a random projection Σ vᵢ·outᵢ reduces the
 * outputs to one scalar whose gradient is checked element by element.
 * Throws, naming the input and element, on the first mismatch; returns true
 * otherwise.
 * @example gradcheck((x, w) => x.matmul(w).tanh(), [randn([3, 4]), randn([4, 2])]);
 */
export function gradcheck(fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: readonly Tensor[], opts: GradcheckOptions = {}): true {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0 } = opts;
  return withBackend('reference', () => {
    const xs = inputs.map((t) => {
      const c = noGrad(() => t.to('float64').clone()).detach();
      c.requiresGrad = true;
      return c;
    });
    const gen = new Generator(seed);
    let vs: Tensor[] | null = null;
    const objective = (): Tensor => {
      const out = fn(...xs);
      const outs = Array.isArray(out) ? out : [out];
      vs ??= outs.map((o) => randn(o.shape, { dtype: 'float64', generator: gen }));
      return outs.map((o, i) => o.to('float64').mul(vs![i]).sum()).reduce((a, b) => a.add(b));
    };
    const analytic = grad(objective(), xs, { allowUnused: true });
    xs.forEach((x, k) => {
      const a = analytic[k];
      for (let i = 0; i < x.size; i++) {
        const orig = x.data[i];
        x.data[i] = orig + eps;
        const fp = noGrad(objective).item();
        x.data[i] = orig - eps;
        const fm = noGrad(objective).item();
        x.data[i] = orig;
        const numeric = (fp - fm) / (2 * eps);
        const an = a ? a.data[i] : 0;
        if (!(Math.abs(an - numeric) <= atol + rtol * Math.abs(numeric))) {
          throw new Error(`gradcheck: input ${k} (shape ${shapeStr(x.shape)}) element ${i}: analytic ${an} vs numeric ${numeric}`);
        }
      }
    });
    return true as const;
  });
}
