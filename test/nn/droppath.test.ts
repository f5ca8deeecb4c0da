/** DropPath (stochastic depth): whole samples dropped, the rest rescaled; identity in evaluation. */
import { describe, expect, it } from 'vitest';
import { ones, randn, withBackend } from '../../src/index.js';
import { DropPath, dropPath } from '../../src/nn/index.js';
import { Generator } from '../../src/tensor/random.js';
import { BACKENDS } from '../helpers.js';

describe.each(BACKENDS)('DropPath (%s backend)', (backend) => {
  it('drops whole samples and scales the kept ones by 1/(1 − p)', () => {
    withBackend(backend, () => {
      const x = randn([400, 3, 5], { generator: new Generator(0) });
      const y = new DropPath(0.25, { generator: new Generator(1) }).forward(x);
      let dropped = 0;
      for (let b = 0; b < 400; b++) {
        const xs = Array.from(x.data.subarray(b * 15, b * 15 + 15));
        const ys = Array.from(y.data.subarray(b * 15, b * 15 + 15));
        if (ys.every((v) => v === 0)) dropped++;
        else ys.forEach((v, i) => expect(v).toBeCloseTo(xs[i] / 0.75, 5));
      }
      // 100 expected; the binomial std is √(400·0.25·0.75) ≈ 8.7.
      expect(dropped).toBeGreaterThan(70);
      expect(dropped).toBeLessThan(130);
    });
  });

  it('passes the gradient through the kept samples only, with the same scale', () => {
    withBackend(backend, () => {
      const x = randn([64, 4], { generator: new Generator(2) });
      x.requiresGrad = true;
      const y = dropPath(x, 0.5, true, { generator: new Generator(3) });
      y.sum().backward();
      for (let b = 0; b < 64; b++) {
        const kept = y.data[b * 4] !== 0;
        for (let i = 0; i < 4; i++) expect(x.grad!.data[b * 4 + i]).toBe(kept ? 2 : 0);
      }
    });
  });

  it('is the identity in evaluation mode and at p = 0', () => {
    withBackend(backend, () => {
      const x = randn([8, 3]);
      const dp = new DropPath(0.9);
      expect(dp.eval().forward(x)).toBe(x);
      expect(new DropPath(0).forward(x)).toBe(x);
    });
  });
});

describe('DropPath options', () => {
  it('repeats its masks for a seeded generator', () => {
    const x = ones([32, 2]);
    const a = dropPath(x, 0.5, true, { generator: new Generator(7) });
    const b = dropPath(x, 0.5, true, { generator: new Generator(7) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('leaves kept samples unscaled with scaleByKeep: false', () => {
    const y = dropPath(ones([32, 2]), 0.5, true, { generator: new Generator(8), scaleByKeep: false });
    expect(new Set(Array.from(y.data))).toEqual(new Set([0, 1]));
  });

  it('rejects a probability outside [0, 1] and a 0-d input', () => {
    expect(() => new DropPath(1.5)).toThrow(/DropPath: probability must be in \[0, 1\], got 1.5/);
    expect(() => dropPath(ones([2]), -0.1, true)).toThrow(/dropPath: probability must be in \[0, 1\], got -0.1/);
    expect(() => dropPath(ones([]), 0.5, true)).toThrow(/dropPath: expected an input with a batch dim/);
  });
});
