/** Adam and AdamW with PyTorch's exact update (bias correction, eps outside the square root, optional AMSGrad). */
import { getBackend } from '../backend/index.js';
import type { Storage } from '../tensor/dtype.js';
import { checkOptions, definedOptions, describeValue } from '../util/options.js';
import { checkNumber, Optimizer, type BaseHyperparameters, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface AdamHyperparameters extends BaseHyperparameters {
  betas: [number, number];
  eps: number;
  /** Keep the running maximum of the second moment (Reddi et al., 2018). */
  amsgrad: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** What Adam and AdamW take; unset fields keep PyTorch's defaults. */
export type AdamOptions = Partial<AdamHyperparameters>;

const ADAM_OPTIONS: readonly (keyof AdamHyperparameters)[] = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'];

/**
 * Adam (Kingma & Ba, 2015) as torch.optim.Adam. Per element at step t, with
 * g = ∇ (negated when maximising):
 *   g ← g + weightDecay·θ                      (Adam: L2 through the gradient)
 *   θ ← θ·(1 − lr·weightDecay)                 (AdamW: decoupled decay, instead)
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²  (v̂ = max(v̂, v) with AMSGrad)
 *   θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
 * State: step, exp_avg, exp_avg_sq (and max_exp_avg_sq), PyTorch's names.
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<AdamHyperparameters> {
  /** Decay θ directly (AdamW) rather than through the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: Params<AdamHyperparameters>, opts: AdamOptions = {}) {
    // new.target names AdamW too, whose constructor forwards its options here.
    checkOptions(new.target.name, opts, ADAM_OPTIONS);
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, ...definedOptions(opts) });
  }

  protected override validate(g: ParamGroup<AdamHyperparameters>): void {
    super.validate(g);
    const name = this.constructor.name;
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new TypeError(`${name}: betas must be a pair [beta1, beta2], got ${describeValue(g.betas)}`);
    const [b1, b2] = g.betas;
    checkNumber(name, 'beta parameter at index 0:', b1, (v) => v >= 0 && v < 1, 'in [0, 1)');
    checkNumber(name, 'beta parameter at index 1:', b2, (v) => v >= 0 && v < 1, 'in [0, 1)');
    checkNumber(name, 'epsilon', g.eps, (v) => v >= 0, '≥ 0');
  }

  protected update(p: Storage, g: Storage, state: ParamState, group: ParamGroup<AdamHyperparameters>): void {
    const { lr, weightDecay: wd, eps, amsgrad, maximize } = group;
    const [b1, b2] = group.betas;
    if (state.step === undefined) {
      state.step = 0;
      state.exp_avg = this.buffer(p);
      state.exp_avg_sq = this.buffer(p);
      if (amsgrad) state.max_exp_avg_sq = this.buffer(p);
    }
    const t = (state.step as number) + 1;
    state.step = t;
    const m = state.exp_avg as Storage;
    const v = state.exp_avg_sq as Storage;
    const vmax = amsgrad ? (state.max_exp_avg_sq as Storage | undefined) ?? (state.max_exp_avg_sq = this.buffer(p)) : null;
    // The update itself is one fused backend kernel (the loop lives in the
    // reference backend; the native one vectorises it).
    getBackend().kernels.adamStep(p, g, m, v, vmax, {
      beta1: b1,
      beta2: b2,
      stepSize: lr / (1 - b1 ** t),
      invBc2Sqrt: 1 / Math.sqrt(1 - b2 ** t),
      eps,
      l2: this.decoupled ? 0 : wd,
      shrink: this.decoupled ? 1 - lr * wd : 1,
      sign: maximize ? -1 : 1,
    });
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay
 * θ ← θ·(1 − lr·weightDecay), default weightDecay 0.01, as torch.optim.AdamW.
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: Params<AdamHyperparameters>, opts: AdamOptions = {}) {
    super(params, { weightDecay: 1e-2, ...definedOptions(opts) });
  }
}
