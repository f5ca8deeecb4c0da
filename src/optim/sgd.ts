/** Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay (PyTorch's rule). */
import type { Storage } from '../tensor/dtype.js';
import { Optimizer, type BaseHyperparameters, type ParamGroup, type ParamState, type Params } from './optimizer.js';

export interface SGDHyperparameters extends BaseHyperparameters {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
}

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
  constructor(params: Params<SGDHyperparameters>, opts: Partial<SGDHyperparameters> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...opts });
  }

  protected override validate(g: ParamGroup<SGDHyperparameters>): void {
    super.validate(g);
    if (!(g.momentum >= 0)) throw new RangeError(`SGD: invalid momentum ${g.momentum}`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new Error('SGD: Nesterov momentum needs momentum > 0 and dampening 0');
  }

  protected update(p: Storage, g: Storage, state: ParamState, group: ParamGroup<SGDHyperparameters>): void {
    const { lr, weightDecay: wd, momentum: mu, dampening, nesterov, maximize } = group;
    const sign = maximize ? -1 : 1;
    if (mu === 0) {
      for (let i = 0; i < p.length; i++) p[i] -= lr * (sign * g[i] + wd * p[i]);
      return;
    }
    const first = state.momentum_buffer === undefined;
    const buf = first ? (state.momentum_buffer = this.buffer(p)) : (state.momentum_buffer as Storage);
    const keep = 1 - dampening;
    for (let i = 0; i < p.length; i++) {
      const d = sign * g[i] + wd * p[i];
      const b = first ? d : mu * buf[i] + keep * d;
      buf[i] = b;
      p[i] -= lr * (nesterov ? d + mu * buf[i] : buf[i]);
    }
  }
}
