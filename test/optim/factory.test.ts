import { describe, expect, it } from 'vitest';
import { zeros } from '../../src/index.js';
import { Parameter } from '../../src/nn/index.js';
import { Adam, AdamW, makeOptimizer, makeScheduler, OneCycleLR, SGD, WarmupCosineLR } from '../../src/optim/index.js';

const params = () => [new Parameter(zeros([3]))];

describe('optimiser and schedule factory', () => {
  it('builds each optimiser with the given hyperparameters and its own defaults otherwise', () => {
    const w = makeOptimizer(params(), { name: 'adamw', lr: 1e-3, weightDecay: 0.01 });
    expect(w).toBeInstanceOf(AdamW);
    expect(w.paramGroups[0]).toMatchObject({ lr: 1e-3, weightDecay: 0.01, eps: 1e-8 });
    const a = makeOptimizer(params(), { name: 'adam', lr: 1e-4, eps: 1e-7 });
    expect(a).toBeInstanceOf(Adam);
    expect(a).not.toBeInstanceOf(AdamW);
    expect(a.paramGroups[0]).toMatchObject({ lr: 1e-4, eps: 1e-7, weightDecay: 0 });
    const s = makeOptimizer(params(), { name: 'sgd', lr: 0.1 });
    expect(s).toBeInstanceOf(SGD);
    expect(s.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0.9 });
    expect(() => makeOptimizer(params(), { name: 'lion' as 'adam', lr: 1 })).toThrow(/unknown optimizer 'lion' \(known: adamw, adam, sgd\)/);
  });

  it('builds each schedule; constant and none mean no scheduler', () => {
    const opt = () => makeOptimizer(params(), { name: 'adam', lr: 1 });
    expect(makeScheduler(opt(), { name: 'constant', totalSteps: 10 })).toBeNull();
    expect(makeScheduler(opt(), { name: 'none', totalSteps: 10 })).toBeNull();
    expect(makeScheduler(opt(), { name: 'cosine', totalSteps: 10, warmupSteps: 2 })).toBeInstanceOf(WarmupCosineLR);
    expect(makeScheduler(opt(), { name: 'onecycle', totalSteps: 10, maxLr: 0.5, pctStart: 0.2 })).toBeInstanceOf(OneCycleLR);
    // linear: the rate falls from lr to 0 over totalSteps, one step per call.
    const o = opt();
    const lin = makeScheduler(o, { name: 'linear', totalSteps: 4 })!;
    const lrs = [o.paramGroups[0].lr];
    for (let i = 0; i < 4; i++) {
      lin.step();
      lrs.push(o.paramGroups[0].lr);
    }
    expect(lrs).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(() => makeScheduler(opt(), { name: 'step' as 'none', totalSteps: 1 })).toThrow(/unknown schedule 'step' \(known: cosine, linear, onecycle, constant, none\)/);
  });
});
