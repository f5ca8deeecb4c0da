/** End to end: a small MLP learns XOR-like data with AdamW, clipping and a warm-up cosine schedule. */
import { describe, expect, it } from 'vitest';
import { Generator, crossEntropy, noGrad, randn, tensor } from '../../src/index.js';
import { GELU, LayerNorm, Linear, Sequential } from '../../src/nn/index.js';
import { AdamW, clipGradNorm, WarmupCosineLR } from '../../src/optim/index.js';

describe('training loop', () => {
  it('drives the loss down and classifies the training set', () => {
    const gen = new Generator(0);
    const x = randn([128, 2], { generator: gen });
    const labels = Array.from({ length: 128 }, (_, i) => (x.data[2 * i] * x.data[2 * i + 1] > 0 ? 1 : 0));
    const y = tensor(labels, { dtype: 'int32' });
    const model = new Sequential(new Linear(2, 32, { generator: gen }), new GELU(), new LayerNorm(32), new Linear(32, 2, { generator: gen }));
    const params = model.parameters();
    const opt = new AdamW(params, { lr: 0.03, weightDecay: 0.01 });
    const sched = new WarmupCosineLR(opt, { warmupSteps: 10, totalSteps: 150 });
    const first = crossEntropy(noGrad(() => model.forward(x)), y).item();
    let last = first;
    for (let step = 0; step < 150; step++) {
      opt.zeroGrad();
      const loss = crossEntropy(model.forward(x), y);
      loss.backward();
      clipGradNorm(params, 1);
      opt.step();
      sched.step();
      last = loss.item();
    }
    expect(last).toBeLessThan(first * 0.3);
    const pred = noGrad(() => model.forward(x)).argmax(1);
    const correct = labels.filter((l, i) => pred.data[i] === l).length;
    expect(correct / 128).toBeGreaterThan(0.9);
    // The optimiser worked on the module's own parameters.
    expect(model.parameters().every((p, i) => p === params[i])).toBe(true);
  });
});
