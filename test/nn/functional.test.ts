/** The functional forms: finite-difference gradients (float64), dropout, and error messages. */
import { describe, expect, it } from 'vitest';
import { Generator, gradcheck, ones, randn, tensor, withBackend, type Tensor } from '../../src/index.js';
import { Conv1d, Conv2d, Dropout, Embedding, functional as F, GroupNorm, LayerNorm, Linear } from '../../src/nn/index.js';
import { BACKENDS } from '../helpers.js';

const r = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed) });

describe('finite-difference gradients (float64)', () => {
  it('linear', () => {
    expect(gradcheck((x, w, b) => F.linear(x, w, b), [r([2, 3, 4], 1), r([5, 4], 2), r([5], 3)])).toBe(true);
    expect(gradcheck((x, w) => F.linear(x, w), [r([4], 1), r([2, 4], 2)])).toBe(true);
  });

  it('layerNorm over one and two trailing dims', () => {
    expect(gradcheck((x, w, b) => F.layerNorm(x, [5], w, b), [r([3, 5], 1), r([5], 2), r([5], 3)])).toBe(true);
    expect(gradcheck((x, w) => F.layerNorm(x, [2, 3], w, null, 1e-3), [r([2, 2, 3], 4), r([2, 3], 5)])).toBe(true);
  });

  it('rmsNorm', () => {
    expect(gradcheck((x, w) => F.rmsNorm(x, [4], w, 1e-6), [r([3, 4], 1), r([4], 2)])).toBe(true);
  });

  it('groupNorm', () => {
    expect(gradcheck((x, w, b) => F.groupNorm(x, 2, w, b), [r([2, 4, 3], 1), r([4], 2), r([4], 3)])).toBe(true);
  });

  it('batchNorm in training and evaluation', () => {
    expect(gradcheck((x, w, b) => F.batchNorm(x, null, null, w, b, { training: true }), [r([4, 3, 2], 1), r([3], 2), r([3], 3)])).toBe(true);
    const rm = r([3], 4);
    const rv = r([3], 5).abs().add(0.5);
    expect(gradcheck((x, w) => F.batchNorm(x, rm, rv, w, null, { training: false }), [r([2, 3], 6), r([3], 7)])).toBe(true);
  });

  it('gated units, squared ReLU and Mish', () => {
    const x = r([3, 6], 1);
    expect(gradcheck((t) => F.glu(t, 1), [x])).toBe(true);
    expect(gradcheck((t) => F.geglu(t), [x])).toBe(true);
    expect(gradcheck((t) => F.geglu(t, -1, 'tanh'), [x])).toBe(true);
    expect(gradcheck((t) => F.swiglu(t, 0), [r([4, 3], 2)])).toBe(true);
    expect(gradcheck((t) => F.mish(t), [x])).toBe(true);
    // Away from the kink at 0.
    expect(gradcheck((t) => F.squaredRelu(t), [tensor([-1.5, -0.3, 0.2, 0.7, 2], { dtype: 'float64' })])).toBe(true);
  });

  it('embedding (to the weights), with a padding row that gets none', () => {
    const idx = tensor([[0, 2], [2, 3]], { dtype: 'int32' });
    expect(gradcheck((w) => F.embedding(idx, w), [r([4, 3], 1)])).toBe(true);
    const w = r([4, 3], 1).requiresGrad_();
    F.embedding(idx, w, 2).sum().backward();
    expect(Array.from(w.grad!.data)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });
});

describe.each(BACKENDS)('Dropout on %s', (backend) => {
  it('keeps about 1 − p of the elements, scaled by 1/(1 − p), and backpropagates through the mask', () => {
    withBackend(backend, () => {
      const x = ones([100, 100], { requiresGrad: true });
      const y = new Dropout(0.3, { generator: new Generator(3) }).forward(x);
      const kept = Array.from(y.data).filter((v) => v !== 0);
      expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
      expect(kept.length / 10000).toBeCloseTo(0.7, 1);
      y.sum().backward();
      expect(Array.from(x.grad!.data)).toEqual(Array.from(y.data));
    });
  });

  it('is reproducible from a seed, the identity in eval, zeros at p = 1', () => {
    withBackend(backend, () => {
      const x = randn([50]);
      const a = new Dropout(0.5, { generator: new Generator(9) }).forward(x);
      const b = new Dropout(0.5, { generator: new Generator(9) }).forward(x);
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
      expect(new Dropout(0.5).eval().forward(x)).toBe(x);
      expect(Array.from(new Dropout(1).forward(x).data).every((v) => v === 0)).toBe(true);
      expect(() => new Dropout(1.5)).toThrow(/probability must be in \[0, 1\], got 1.5/);
    });
  });
});

describe('errors name the problem', () => {
  it('Linear: feature mismatch with both shapes', () => {
    expect(() => new Linear(4, 2).forward(randn([3, 5]))).toThrow(/linear: input \[3, 5\] does not end in 4 features \(weight \[2, 4\]\)/);
  });

  it('norms: wrong trailing shape, indivisible groups', () => {
    expect(() => new LayerNorm([3, 4]).forward(randn([2, 4, 3]))).toThrow(/layerNorm: input \[2, 4, 3\] does not end in the normalised shape \[3, 4\]/);
    expect(() => new GroupNorm(4, 6)).toThrow(/6 channels are not divisible into 4 groups/);
    expect(() => new GroupNorm(2, 6).forward(randn([2, 4, 3]))).toThrow(/GroupNorm: expected input \[N, 6, …\], got \[2, 4, 3\]/);
  });

  it('conv: strided same padding, groups, kernel sizes', () => {
    expect(() => new Conv1d(2, 2, 3, { padding: 'same', stride: 2 })).toThrow(/padding 'same' is not supported for strided convolutions/);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/3 input and 4 output channels must both be divisible by groups=2/);
    expect(() => new Conv2d(3, 4, [3, 0])).toThrow(/kernel size must be 2 integers ≥ 1/);
    expect(() => new Conv2d(3, 4, 3).forward(randn([1, 2, 5, 5]))).toThrow(/conv2d: weight \[4, 3, 3, 3\] expects 3 input channels \(groups=1\) but input \[1, 2, 5, 5\] has 2/);
  });

  it('gated units need an even split', () => {
    expect(() => F.glu(randn([2, 5]))).toThrow(/glu: dim -1 of input \[2, 5\] has odd size 5/);
  });

  it('embedding: index range and dtype', () => {
    const e = new Embedding(4, 2);
    expect(() => e.forward(tensor([1, 4], { dtype: 'int32' }))).toThrow(/embedding: index 4 is out of range for 4 embeddings/);
    expect(() => e.forward(tensor([1, 2]))).toThrow(/indices must be int32, got float32/);
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow(/paddingIdx 4 is out of range for 4 embeddings/);
  });
});
