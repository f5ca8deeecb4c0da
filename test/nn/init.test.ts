/** Initialisers: bounds and sample moments against PyTorch's formulas, seeding, and the default layer inits. */
import { describe, expect, it } from 'vitest';
import { Generator, zeros, type Tensor } from '../../src/index.js';
import { Conv1d, Conv2d, Embedding, init, Linear } from '../../src/nn/index.js';

function moments(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  const d = t.data;
  let [sum, min, max] = [0, Infinity, -Infinity];
  for (const v of d) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / d.length;
  let sq = 0;
  for (const v of d) sq += (v - mean) ** 2;
  return { mean, variance: sq / d.length, min, max };
}

/** Expect a uniform U(−b, b) sample: inside the bound, reaching near it, variance b²/3. */
function expectUniform(t: Tensor, bound: number): void {
  const m = moments(t);
  expect(m.min).toBeGreaterThanOrEqual(-bound);
  expect(m.max).toBeLessThanOrEqual(bound);
  expect(m.max).toBeGreaterThan(bound * 0.99);
  expect(m.min).toBeLessThan(-bound * 0.99);
  expect(Math.abs(m.mean)).toBeLessThan(bound * 0.02);
  expect(m.variance / (bound * bound / 3)).toBeCloseTo(1, 1);
}

function expectNormal(t: Tensor, std: number): void {
  const m = moments(t);
  expect(Math.abs(m.mean)).toBeLessThan(std * 0.02);
  expect(Math.sqrt(m.variance) / std).toBeCloseTo(1, 1);
}

const g = (): Generator => new Generator(42);

describe('fans and gains', () => {
  it('computes fan in/out as PyTorch (receptive field included)', () => {
    expect(init.computeFans(zeros([8, 3]))).toEqual({ fanIn: 3, fanOut: 8 });
    expect(init.computeFans(zeros([16, 4, 3, 5]))).toEqual({ fanIn: 60, fanOut: 240 });
    expect(() => init.computeFans(zeros([5]))).toThrow(/at least 2 dims, got \[5\]/);
  });

  it('gives torch.nn.init.calculate_gain values', () => {
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / 1.0001), 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(init.calculateGain('conv2d')).toBe(1);
  });
});

describe('initialisers', () => {
  it('kaimingUniform_: bound gain·√(3/fan), fan_in or fan_out', () => {
    expectUniform(init.kaimingUniform_(zeros([200, 100]), { generator: g(), nonlinearity: 'relu' }), Math.sqrt(2) * Math.sqrt(3 / 100));
    expectUniform(init.kaimingUniform_(zeros([200, 100]), { generator: g(), mode: 'fan_out', nonlinearity: 'relu' }), Math.sqrt(2) * Math.sqrt(3 / 200));
  });

  it('kaimingNormal_: std gain/√fan', () => {
    expectNormal(init.kaimingNormal_(zeros([300, 100]), { generator: g(), nonlinearity: 'relu' }), Math.sqrt(2 / 100));
  });

  it('xavierUniform_ and xavierNormal_: Glorot bounds with a gain', () => {
    expectUniform(init.xavierUniform_(zeros([300, 100]), { generator: g(), gain: 2 }), 2 * Math.sqrt(6 / 400));
    expectNormal(init.xavierNormal_(zeros([300, 100]), { generator: g() }), Math.sqrt(2 / 400));
  });

  it('truncNormal_: cuts at absolute a, b with the moments of the truncated normal', () => {
    // N(0, 1) cut at [−1, 2]: known mean and variance of the truncated distribution.
    const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    const [a, b] = [-1, 2];
    const z = init.normalCdf(b) - init.normalCdf(a);
    const mean = (phi(a) - phi(b)) / z;
    const variance = 1 + (a * phi(a) - b * phi(b)) / z - mean * mean;
    const t = init.truncNormal_(zeros([40000]), { a, b, generator: g() });
    const m = moments(t);
    expect(m.min).toBeGreaterThanOrEqual(a);
    expect(m.max).toBeLessThanOrEqual(b);
    expect(m.mean).toBeCloseTo(mean, 2);
    expect(m.variance).toBeCloseTo(variance, 2);
  });

  it('truncNormal_ with a small std (timm style) is a plain normal inside ±2', () => {
    const t = init.truncNormal_(zeros([20000]), { std: 0.02, generator: g() });
    expectNormal(t, 0.02);
    expect(init.truncNormal_(zeros([100]), { mean: 5, std: 1, a: 4.9, b: 5.1, generator: g() }).data.every((v) => v >= 4.9 - 1e-6 && v <= 5.1 + 1e-6)).toBe(true);
    expect(() => init.truncNormal_(zeros([2]), { a: 1, b: 0 })).toThrow(/need a < b/);
  });

  it('normal_, uniform_, constant_, zeros_, ones_', () => {
    expectNormal(init.normal_(zeros([20000]), 0, 3, { generator: g() }), 3);
    const u = init.uniform_(zeros([20000]), 2, 4, { generator: g() });
    expect(moments(u).min).toBeGreaterThanOrEqual(2);
    expect(moments(u).max).toBeLessThan(4);
    expect(moments(u).mean).toBeCloseTo(3, 1);
    expect(Array.from(init.constant_(zeros([3]), 0.5).data)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(init.ones_(zeros([2])).data)).toEqual([1, 1]);
    expect(Array.from(init.zeros_(init.ones_(zeros([2]))).data)).toEqual([0, 0]);
  });

  it('the same seed gives the same weights', () => {
    const a = init.kaimingUniform_(zeros([4, 4]), { generator: new Generator(7) });
    const b = init.kaimingUniform_(zeros([4, 4]), { generator: new Generator(7) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('erf and erfinv are accurate inverses', () => {
    expect(init.erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(init.erf(-2)).toBeCloseTo(-0.9953222650189527, 14);
    expect(init.erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
    for (const x of [-0.999999, -0.9, -0.3, 1e-4, 0.5, 0.99, 0.9999999]) expect(init.erf(init.erfinv(x))).toBeCloseTo(x, 12);
    expect(init.erfinv(1)).toBe(Infinity);
    expect(init.erfinv(-1)).toBe(-Infinity);
  });
});

describe("layers' default initialisation (PyTorch's)", () => {
  it('Linear: weight and bias U(±1/√in)', () => {
    const m = new Linear(256, 512, { generator: g() });
    expectUniform(m.weight, 1 / Math.sqrt(256));
    const b = moments(m.bias!);
    expect(Math.max(Math.abs(b.min), b.max)).toBeLessThanOrEqual(1 / 16);
  });

  it('Conv2d and Conv1d: fan_in = in/groups·∏kernel', () => {
    const c = new Conv2d(32, 64, 3, { groups: 2, generator: g() });
    expect(c.weight.shape).toEqual([64, 16, 3, 3]);
    expectUniform(c.weight, 1 / Math.sqrt(16 * 9));
    const c1 = new Conv1d(20, 300, 5, { generator: g() });
    expectUniform(c1.weight, 1 / Math.sqrt(100));
    expect(Math.max(...Array.from(c1.bias!.data).map(Math.abs))).toBeLessThanOrEqual(0.1);
  });

  it('Embedding: N(0, 1) with the padding row zero', () => {
    const e = new Embedding(1000, 32, { paddingIdx: -1, generator: g() });
    expect(e.paddingIdx).toBe(999);
    expect(Array.from(e.weight.data.slice(999 * 32))).toEqual(new Array(32).fill(0));
    expectNormal(e.weight, 1);
  });

  it('seeded layers are reproducible; float64 layers have float64 parameters', () => {
    const a = new Linear(3, 2, { generator: new Generator(5) });
    const b = new Linear(3, 2, { generator: new Generator(5) });
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    expect(new Linear(3, 2, { dtype: 'float64' }).weight.dtype).toBe('float64');
  });
});
