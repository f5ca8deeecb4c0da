/** Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay (PyTorch's rule). */
import type { Storage } from '../tensor/dtype.js';
import { checkOptions, definedOptions } from '../util/options.js';
import { checkNumber, Optimizer, type BaseHyperparameters, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface SGDHyperparameters extends BaseHyperparameters {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

/** What SGD takes: lr, and any other hyperparameter that differs from PyTorch's default. */
export type SGDOptions = Partial<SGDHyperparameters> & { lr: number };

const SGD_OPTIONS: readonly (keyof SGDHyperparameters)[] = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'];

/**
 * Per element, with d = ∇ (negated when maximising):
 *   d ← d + weightDecay·θ
 *   b ← d at the first step, else momentum·b + (1 − dampening)·d
 *   d ← d + momentum·b (Nesterov) or b
 *   θ ← θ − lr·d
 * (torch.optim.SGD; momentum 0 skips the buffer.)
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer<SGDHyperparameters> {
  constructor(params: Params<SGDHyperparameters>, opts: SGDOptions) {
    checkOptions(new.target.name, opts, SGD_OPTIONS);
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...definedOptions(opts) } as SGDHyperparameters);
  }

  protected override validate(g: ParamGroup<SGDHyperparameters>): void {
    super.validate(g);
    checkNumber('SGD', 'momentum', g.momentum, (v) => v >= 0, '≥ 0');
    checkNumber('SGD', 'dampening', g.dampening, Number.isFinite, 'finite');
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new Error('SGD: Nesterov momentum needs momentum > 0 and dampening 0');
  }

  protected update(p: Storage, g: Storage, state: ParamState, group: ParamGroup<SGDHyperparameters>): void {
    const { lr, weightDecay: wd, momentum: mu, dampening, nesterov, maximize } = group;
    const sign = maximize ? -1 : 1;
    const n = p.length;
    // One loop per case, without branches inside: this runs on every element at every step.
    if (mu === 0) {
      for (let i = 0; i < n; i++) {
        const pv = p[i];
        p[i] = pv - lr * (sign * g[i] + wd * pv);
      }
      return;
    }
    let buf = state.momentum_buffer as Storage | undefined;
    if (buf === undefined) {
      // First step: the buffer starts as the gradient itself (no dampening).
      buf = state.momentum_buffer = this.buffer(p);
      for (let i = 0; i < n; i++) {
        const pv = p[i];
        const d = sign * g[i] + wd * pv;
        buf[i] = d;
        p[i] = pv - lr * (nesterov ? d + mu * buf[i] : buf[i]);
      }
      return;
    }
    const keep = 1 - dampening;
    if (nesterov) {
      for (let i = 0; i < n; i++) {
        const pv = p[i];
        const d = sign * g[i] + wd * pv;
        buf[i] = mu * buf[i] + keep * d;
        p[i] = pv - lr * (d + mu * buf[i]);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const pv = p[i];
        buf[i] = mu * buf[i] + keep * (sign * g[i] + wd * pv);
        p[i] = pv - lr * buf[i];
      }
    }
  }
}
