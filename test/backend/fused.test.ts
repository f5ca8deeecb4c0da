/**
 * Fused kernels against the compositions they replace, on every backend:
 * forward, gradient, and the higher-order gradient (which goes through the
 * composed rule).
 */
import { describe, expect, it } from 'vitest';
import { AdamW, enableGrad, Generator, grad, gradcheck, rand, randn, tensor, withBackend, type Tensor } from '../../src/index.js';
import { dropout, linear, reluMlp } from '../../src/nn/functional.js';
import { geluComposed } from '../../src/ops/elementwise.js';
import { reluMlpFused } from '../../src/ops/mlp.js';
import { layerNormLastDims } from '../../src/ops/norm.js';
import { getBackend } from '../../src/backend/index.js';

/** The composition the fused layer norm replaces. */
function layerNormComposed(x: Tensor, dims: number[], w: Tensor | null, b: Tensor | null, eps: number): Tensor {
  const centered = x.sub(x.mean(dims, true));
  let y = centered.mul(centered.mul(centered).mean(dims, true).add(eps).rsqrt());
  if (w) y = y.mul(w);
  if (b) y = y.add(b);
  return y;
}
import { BACKENDS, expectClose } from '../helpers.js';

/** The composition the fused MLP replaces: linear → relu → ·(keep·scale) → linear. */
function reluMlpComposed(x: Tensor, w1: Tensor, b1: Tensor | null, w2: Tensor, b2: Tensor | null, keep: Tensor | null, scale: number): Tensor {
  const h = linear(x, w1, b1).relu();
  return linear(keep ? h.mul(keep.to(h.dtype).mul(scale)) : h, w2, b2);
}

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

  it('reluMlp: forward and every gradient equal the composition (tails, biases, masks, several threads)', () => withBackend(backend, () => {
    const cases: [number[], number, number, boolean, boolean][] = [
      [[4, 33, 7], 37, 5, true, true], [[2, 3], 3, 2, false, true], [[3, 9, 20], 64, 20, true, false], [[4, 512, 7], 37, 5, true, true], [[1, 7], 512, 7, false, false],
    ];
    for (const [shape, f, o, bias, masked] of cases) {
      const c = shape[shape.length - 1];
      const x = randn(shape).requiresGrad_();
      const w1 = randn([f, c]).div(Math.sqrt(c)).requiresGrad_();
      const b1 = bias ? randn([f]).mul(0.1).requiresGrad_() : null;
      const w2 = randn([o, f]).div(Math.sqrt(f)).requiresGrad_();
      const b2 = bias ? randn([o]).requiresGrad_() : null;
      const keep = masked ? rand([...shape.slice(0, -1), f]).lt(0.7) : null;
      const g = randn([...shape.slice(0, -1), o]);
      const leaves = [x, w1, ...(b1 ? [b1] : []), w2, ...(b2 ? [b2] : [])];
      const fused = reluMlpFused(x, w1, b1, w2, b2, keep, 1 / 0.7);
      const composed = reluMlpComposed(x, w1, b1, w2, b2, keep, 1 / 0.7);
      expect(fused.shape).toEqual([...shape.slice(0, -1), o]);
      expectClose(fused, composed.detach(), { atol: 1e-5, rtol: 1e-4 }, `reluMlp ${shape}`);
      const gf = grad([fused], leaves, { gradOutputs: [g] });
      const gc = grad([composed], leaves, { gradOutputs: [g] });
      gf.forEach((t, i) => expectClose(t!, gc[i]!, { atol: 1e-4, rtol: 1e-4 }, `reluMlp ${shape} gradient ${i}`));
    }
  }));

  it('reluMlp: gradients agree with finite differences (float64) and the second derivative with the composition', () => withBackend(backend, () => {
    const f64 = (s: number[]): Tensor => randn(s).to('float64').requiresGrad_();
    const keep = rand([3, 2, 6]).lt(0.75);
    const [x, w1, b1, w2, b2] = [f64([3, 2, 4]), f64([6, 4]), f64([6]), f64([3, 6]), f64([3])];
    expect(gradcheck((...t) => reluMlpFused(t[0], t[1], t[2], t[3], t[4], keep, 4 / 3), [x, w1, b1, w2, b2])).toBe(true);
    const v = randn([3, 2, 3]).to('float64');
    const second = (f: () => Tensor): Tensor[] => enableGrad(() => {
      const [dx] = grad([f().mul(v).sum()], [x], { createGraph: true });
      return grad([dx!.mul(dx!).sum()], [w1, w2]).map((t) => t!);
    });
    const a = second(() => reluMlpFused(x, w1, b1, w2, b2, keep, 4 / 3));
    const c = second(() => reluMlpComposed(x, w1, b1, w2, b2, keep, 4 / 3));
    a.forEach((t, i) => expectClose(t, c[i], { atol: 1e-9, rtol: 1e-7 }, `reluMlp second derivative ${i}`));
  }));

  it('reluMlp draws the same dropout mask as linear → relu → dropout → linear, and leaves the generator where it would', () => withBackend(backend, () => {
    const x = randn([5, 11, 3]);
    const [w1, b1, w2, b2] = [randn([40, 3]), randn([40]), randn([3, 40]), randn([3])];
    const ga = new Generator(7);
    const gb = new Generator(7);
    const fused = reluMlp(x, w1, b1, w2, b2, { p: 0.4, generator: ga });
    const composed = linear(dropout(linear(x, w1, b1).relu(), 0.4, true, { generator: gb }), w2, b2);
    expectClose(fused, composed, { atol: 1e-5, rtol: 1e-4 }, 'reluMlp with dropout');
    expect(ga.getState()).toEqual(gb.getState());
    // Not training: no mask, no draw.
    const gc = new Generator(7);
    expectClose(reluMlp(x, w1, b1, w2, b2, { p: 0.4, training: false, generator: gc }), reluMlpComposed(x, w1, b1, w2, b2, null, 1), { atol: 1e-5, rtol: 1e-4 }, 'reluMlp in eval');
    expect(gc.getState()).toEqual(new Generator(7).getState());
    // p = 1 drops every hidden unit: the output is the second bias, and nothing is NaN.
    const all = reluMlp(x, w1, b1, w2, b2, { p: 1, generator: new Generator(7) });
    expectClose(all, b2.reshape([1, 1, 3]).expand([5, 11, 3]), { atol: 0, rtol: 0 }, 'reluMlp with p = 1');
  }));

  it('reluMlp names the mismatch in bad input', () => withBackend(backend, () => {
    const x = randn([2, 5, 3]);
    expect(() => reluMlpFused(x, randn([8, 4]), null, randn([3, 8]), null, null)).toThrow('reluMlp: input [2, 5, 3] does not end in 4 features (first weight [8, 4])');
    expect(() => reluMlpFused(x, randn([8, 3]), null, randn([3, 7]), null, null)).toThrow('second weight [3, 7] does not take the 8 hidden units of the first [8, 3]');
    expect(() => reluMlpFused(x, randn([8, 3]), randn([7]), randn([3, 8]), null, null)).toThrow('first bias [7] does not match 8 hidden units');
    expect(() => reluMlpFused(x, randn([8, 3]), null, randn([3, 8]), null, rand([2, 5, 7]).lt(0.5))).toThrow('keep mask [2, 5, 7] does not match input [2, 5, 3] with 8 hidden units (expected [2, 5, 8])');
    expect(() => reluMlpFused(x, randn([8, 3]), null, randn([3, 8]), null, rand([2, 5, 8]))).toThrow('the keep mask must be bool, got float32');
    expect(() => reluMlpFused(x, randn([8, 3]).to('float64'), null, randn([3, 8]), null, null)).toThrow('first weight is float64 but the input is float32');
  }));

  it('bernoulliFill is the xoshiro128** stream of Generator.random() < p, bit for bit', () => withBackend(backend, () => {
    const n = 10_007;
    const out = new Float32Array(n);
    const fast = new Generator(11);
    fast.bernoulliFill(out, 0.3, 1 / 0.7);
    const slow = new Generator(11);
    for (let i = 0; i < n; i++) expect(out[i]).toBe(slow.random() < 0.3 ? Math.fround(1 / 0.7) : 0);
    expect(fast.getState()).toEqual(slow.getState());
    const first = Float32Array.from(out);
    // Directly through the kernel, the edges: p = 0 and p = 1.
    const state = new Uint32Array([1, 2, 3, 4]);
    getBackend().kernels.bernoulliFill(out, state, 0, 5);
    expect(out.every((v) => v === 0)).toBe(true);
    getBackend().kernels.bernoulliFill(out, state, 2 ** 32, 5);
    expect(out.every((v) => v === 5)).toBe(true);
    // Into bytes (a bool keep mask): the same draws.
    const bytes = new Uint8Array(n);
    new Generator(11).bernoulliFill(bytes, 0.3, 1);
    expect(Array.from(bytes)).toEqual(Array.from(first, (v) => (v === 0 ? 0 : 1)));
  }));
});
