/**
 * BatchNorm over several training steps and then evaluation, against PyTorch:
 * outputs, gradients, and running statistics (momentum, cumulative average,
 * unbiased variance, num_batches_tracked) after every step.
 */
import { describe, expect, it } from 'vitest';
import { randn, withBackend, type Tensor } from '../../src/index.js';
import { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from '../../src/nn/index.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';

interface Step {
  train: boolean;
  input: FixtureTensor;
  gout: FixtureTensor;
  output: FixtureTensor;
  gradInput: FixtureTensor;
  grads: [string, FixtureTensor][];
  buffers: [string, FixtureTensor][];
}

interface BnCase {
  name: string;
  args: BatchNormOptions & { kind: 'BatchNorm1d' | 'BatchNorm2d'; features: number };
  state: [string, FixtureTensor][];
  steps: Step[];
}

const { cases } = loadFixture<{ cases: BnCase[] }>('nn_batchnorm.json');
const TOL = { atol: 5e-5, rtol: 5e-4 };

function build(a: BnCase['args']): BatchNorm1d | BatchNorm2d {
  const { kind, features, ...opts } = a;
  const Kind = kind === 'BatchNorm1d' ? BatchNorm1d : BatchNorm2d;
  return new Kind(features, opts);
}

describe.each(BACKENDS)('BatchNorm steps vs PyTorch on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    withBackend(backend, () => {
      const m = build(c.args);
      m.loadStateDict(Object.fromEntries(c.state.map(([k, t]) => [k, fromFixture(t)])));
      const bufferIds = m.buffers();
      c.steps.forEach((s, i) => {
        const what = `${c.name} step ${i} (${s.train ? 'train' : 'eval'})`;
        m.train(s.train);
        m.zeroGrad();
        const x = fromFixture(s.input, true);
        const y = m.forward(x);
        expectClose(y, fromFixture(s.output), TOL, `${what} output`);
        y.backward(fromFixture(s.gout));
        expectClose(x.grad!, fromFixture(s.gradInput), TOL, `${what} input grad`);
        const params = new Map<string, Tensor>(m.namedParameters());
        for (const [k, g] of s.grads) expectClose(params.get(k)!.grad!, fromFixture(g), TOL, `${what} grad of ${k}`);
        const buffers = new Map<string, Tensor>(m.namedBuffers());
        expect([...buffers.keys()]).toEqual(s.buffers.map(([k]) => k));
        for (const [k, b] of s.buffers) expectClose(buffers.get(k)!, fromFixture(b), { atol: 1e-5, rtol: 1e-5 }, `${what} ${k}`);
      });
      // Buffers were updated in place: the same objects throughout.
      expect(m.buffers()).toEqual(bufferIds);
      expect(m.buffers().every((b, i) => b === bufferIds[i])).toBe(true);
    });
  });
});

describe('BatchNorm errors', () => {
  it('rejects one value per channel in training, leaving the state untouched', () => {
    const m = new BatchNorm1d(3);
    expect(() => m.forward(randn([1, 3]))).toThrow(/more than 1 value per channel.*\[1, 3\]/);
    expect(m.numBatchesTracked!.item()).toBe(0);
    expect(() => m.eval().forward(randn([1, 3]))).not.toThrow();
  });

  it('names wrong ranks and channel counts', () => {
    expect(() => new BatchNorm2d(3).forward(randn([2, 3, 4]))).toThrow(/BatchNorm2d: expected input \[N, C, H, W\], got \[2, 3, 4\]/);
    expect(() => new BatchNorm1d(3).forward(randn([4, 5]))).toThrow(/BatchNorm1d: input \[4, 5\] has 5 channels, expected 3/);
  });

  it('does not track gradients through the running statistics', () => {
    const m = new BatchNorm1d(2);
    m.forward(randn([4, 2], { requiresGrad: true }));
    expect(m.runningMean!.requiresGrad).toBe(false);
    expect(m.runningMean!.isLeaf).toBe(true);
  });
});
