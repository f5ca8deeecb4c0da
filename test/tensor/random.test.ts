/** Seeded random numbers: reproducibility, state save/restore, ranges and rough statistics. */
import { describe, expect, it } from 'vitest';
import { Generator, defaultGenerator, manualSeed, rand, randint, randn, randperm, withBackend } from '../../src/index.js';
import { BACKENDS } from '../helpers.js';

const draw = (g: Generator, n: number, f: (g: Generator) => number): number[] => Array.from({ length: n }, () => f(g));

describe('Generator', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = draw(new Generator(42), 20, (g) => g.nextUint32());
    const b = draw(new Generator(42), 20, (g) => g.nextUint32());
    const c = draw(new Generator(43), 20, (g) => g.nextUint32());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a).size).toBe(20);
  });

  it('reseeding restarts the stream, large and negative seeds included', () => {
    for (const seed of [0, 1, -1, 2 ** 40 + 3, 123456789]) {
      const g = new Generator(seed);
      const first = draw(g, 5, (x) => x.random());
      g.manualSeed(seed);
      expect(draw(g, 5, (x) => x.random())).toEqual(first);
    }
    // Seeds that differ only above bit 32 must not collide.
    expect(new Generator(2 ** 40).random()).not.toBe(new Generator(0).random());
  });

  it('getState/setState continue the stream exactly, even halfway through a Box–Muller pair', () => {
    const g = new Generator(7);
    g.normal(); // leaves the second value of the pair waiting
    const state = g.getState();
    expect(state.spare).not.toBeNull();
    const next = [...draw(g, 5, (x) => x.normal()), ...draw(g, 3, (x) => x.random())];
    g.setState(state);
    expect([...draw(g, 5, (x) => x.normal()), ...draw(g, 3, (x) => x.random())]).toEqual(next);
    // The saved state is a copy: drawing more does not change it.
    const other = new Generator(0).setState(state);
    expect(other.normal()).toBe(next[0]);
  });

  it('random() is in [0, 1), randint in [low, high) and hits every value', () => {
    const g = new Generator(3);
    const u = draw(g, 5000, (x) => x.random());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const k = draw(g, 2000, (x) => x.randint(-3, 4));
    expect(new Set(k)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
    expect(() => g.randint(2, 2)).toThrow(/randint: empty range \[2, 2\)/);
  });

  it('bernoulliFill draws exactly what random() < p would, and leaves the stream where that loop would', () => {
    for (const p of [0, 0.1, 0.5, 0.9, 1]) {
      const fast = new Generator(7), slow = new Generator(7);
      const out = new Float32Array(5000);
      fast.bernoulliFill(out, p, 2.5);
      const expected = Float32Array.from({ length: out.length }, () => (slow.random() < p ? 2.5 : 0));
      expect(out).toEqual(expected);
      expect(fast.getState()).toEqual(slow.getState());
      expect(fast.nextUint32()).toBe(slow.nextUint32());
    }
    const hits = new Float64Array(20000);
    new Generator(3).bernoulliFill(hits, 0.3, 1);
    const rate = hits.reduce((a, b) => a + b, 0) / hits.length;
    expect(Math.abs(rate - 0.3)).toBeLessThan(5 * Math.sqrt(0.3 * 0.7 / hits.length));
  });

  it('normal() has mean ≈ 0 and variance ≈ 1 (10 000 draws, 5σ bounds)', () => {
    const z = draw(new Generator(11), 10000, (x) => x.normal());
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / (z.length - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(z.length));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / z.length));
  });
});

describe.each(BACKENDS)('%s backend: random tensors', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('rand/randn/randint with the same generator seed give the same tensors', run(() => {
    const a = randn([3, 4], { generator: new Generator(5) });
    const b = randn([3, 4], { generator: new Generator(5) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(rand([2, 2], { generator: new Generator(5), dtype: 'float64' }).dtype).toBe('float64');
    const i = randint(0, 10, [50], { generator: new Generator(1) });
    expect(i.dtype).toBe('int32');
    expect(Math.min(...i.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...i.data)).toBeLessThan(10);
  }));

  it('manualSeed reseeds the default generator', run(() => {
    manualSeed(99);
    const a = rand([6]);
    manualSeed(99);
    const b = rand([6]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const state = defaultGenerator.getState();
    const c = randn([4]);
    defaultGenerator.setState(state);
    expect(Array.from(randn([4]).data)).toEqual(Array.from(c.data));
  }));

  it('randperm is a permutation of 0..n−1 and reproducible', run(() => {
    const p = randperm(20, { generator: new Generator(2) });
    expect([...p.data].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, k) => k));
    expect(Array.from(randperm(20, { generator: new Generator(2) }).data)).toEqual(Array.from(p.data));
    expect(Array.from(p.data)).not.toEqual(Array.from({ length: 20 }, (_, k) => k));
  }));
});
