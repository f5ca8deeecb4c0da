/**
 * Fused kernels against the compositions they replace, on every backend:
 * forward, gradient, and the higher-order gradient (which goes through the
 * composed rule).
 */
import { describe, expect, it } from 'vitest';
import { AdamW, enableGrad, grad, randn, tensor, withBackend, type Tensor } from '../../src/index.js';
import { geluComposed } from '../../src/ops/elementwise.js';
import { BACKENDS, expectClose } from '../helpers.js';

describe.each(BACKENDS)('fused kernels on %s', (backend) => {
  it('gelu: forward and gradient equal the composed x·Φ(x)', () => withBackend(backend, () => {
    for (const shape of [[5], [3, 7], [64, 513]]) {
      const x = randn(shape).mul(3).requiresGrad_();
      const g = randn(shape);
      const fused = x.gelu();
      const [gf] = grad([fused], [x], { gradOutputs: [g] });
      const composed = geluComposed(x);
      const [gc] = grad([composed], [x], { gradOutputs: [g] });
      expectClose(fused, composed.detach(), { atol: 1e-6, rtol: 1e-5 }, 'gelu');
      expectClose(gf!, gc!, { atol: 1e-6, rtol: 1e-5 }, 'gelu gradient');
    }
  }));

  it('gelu: second derivative through createGraph matches the composed one', () => withBackend(backend, () => {
    const x = tensor([-2, -0.5, 0, 0.3, 1.7]).requiresGrad_();
    const second = (f: (t: Tensor) => Tensor): Tensor => enableGrad(() => {
      const [d1] = grad([f(x).sum()], [x], { createGraph: true });
      return grad([d1!.sum()], [x])[0]!;
    });
    expectClose(second((t) => t.gelu()), second(geluComposed), { atol: 1e-5, rtol: 1e-4 }, 'gelu second derivative');
  }));

  it('AdamW step with the fused kernel follows the written-out update', () => withBackend(backend, () => {
    const p = randn([300]).requiresGrad_();
    const start = Float64Array.from(p.data);
    const opt = new AdamW([p], { lr: 0.01, weightDecay: 0.1 });
    const m = new Float64Array(300);
    const v = new Float64Array(300);
    const expected = Float64Array.from(start);
    for (let t = 1; t <= 3; t++) {
      p.grad = randn([300]);
      opt.step();
      for (let i = 0; i < 300; i++) {
        const gi = p.grad.data[i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        expected[i] = expected[i] * (1 - 0.01 * 0.1) - (0.01 / (1 - 0.9 ** t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
      }
    }
    expectClose(p.detach(), expected, { atol: 1e-5, rtol: 1e-4 }, 'AdamW parameters');
    expect(p.data[0]).not.toBe(start[0]);
  }));
});
