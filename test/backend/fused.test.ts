/**
 * Fused kernels against the compositions they replace, on every backend:
 * forward, gradient, and the higher-order gradient (which goes through the
 * composed rule).
 */
import { describe, expect, it } from 'vitest';
import { AdamW, enableGrad, grad, randn, tensor, withBackend, type Tensor } from '../../src/index.js';
import { geluComposed } from '../../src/ops/elementwise.js';
import { layerNormLastDims } from '../../src/ops/norm.js';

/** The composition the fused layer norm replaces. */
function layerNormComposed(x: Tensor, dims: number[], w: Tensor | null, b: Tensor | null, eps: number): Tensor {
  const centered = x.sub(x.mean(dims, true));
  let y = centered.mul(centered.mul(centered).mean(dims, true).add(eps).rsqrt());
  if (w) y = y.mul(w);
  if (b) y = y.add(b);
  return y;
}
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

  it('layerNorm: forward and gradients (input, weight, bias) equal the composition', () => withBackend(backend, () => {
    for (const [shape, norm, affine] of [
      [[4, 7], [7], true], [[3, 5, 33], [33], true], [[2, 6, 4, 5], [4, 5], true], [[64, 130], [130], false], [[2, 3], [3], true],
    ] as [number[], number[], boolean][]) {
      const dims = norm.map((_, i) => shape.length - norm.length + i);
      const x = randn(shape).mul(2).add(0.5).requiresGrad_();
      const w = affine ? randn(norm).requiresGrad_() : null;
      const b = affine ? randn(norm).requiresGrad_() : null;
      const g = randn(shape);
      const cols = norm.reduce((p, d) => p * d, 1);
      const leaves = [x, ...(w ? [w, b!] : [])];
      const fused = layerNormLastDims(x, cols, w, b, 1e-5);
      const composed = layerNormComposed(x, dims, w, b, 1e-5);
      expectClose(fused, composed.detach(), { atol: 1e-5, rtol: 1e-4 }, `layerNorm ${shape}`);
      const gf = grad([fused], leaves, { gradOutputs: [g] });
      const gc = grad([composed], leaves, { gradOutputs: [g] });
      gf.forEach((t, i) => expectClose(t!, gc[i]!, { atol: 1e-4, rtol: 1e-4 }, `layerNorm ${shape} gradient ${i}`));
    }
  }));

  it('layerNorm: second derivative through createGraph matches the composition', () => withBackend(backend, () => {
    const x = randn([3, 6]).requiresGrad_();
    const w = randn([6]).requiresGrad_();
    const v = randn([3, 6]);
    const second = (f: () => Tensor): Tensor[] => enableGrad(() => {
      const [dx] = grad([f().mul(v).sum()], [x], { createGraph: true });
      return grad([dx!.mul(dx!).sum()], [x, w]).map((t) => t!);
    });
    const a = second(() => layerNormLastDims(x, 6, w, null, 1e-5));
    const c = second(() => layerNormComposed(x, [1], w, null, 1e-5));
    a.forEach((t, i) => expectClose(t, c[i], { atol: 1e-4, rtol: 1e-3 }, `layerNorm second derivative ${i}`));
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
