/** Learning-rate schedules: lr (and momentum) sequences against PyTorch, state round trips, errors. */
import { describe, expect, it } from 'vitest';
import { zeros } from '../../src/index.js';
import { Parameter } from '../../src/nn/index.js';
import {
  Adam, CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR, MultiStepLR, OneCycleLR, SGD, StepLR,
  WarmupCosineLR, WarmupStableDecayLR, type LRScheduler, type Optimizer,
} from '../../src/optim/index.js';
import { loadFixture } from '../helpers.js';

interface SchedCase {
  name: string;
  kind: string;
  args: never;
  baseLr: number;
  optimizer: 'SGD' | 'Adam';
  groups: number;
  lrs: number[][];
  momenta: number[][] | null;
}

const { cases } = loadFixture<{ cases: SchedCase[] }>('optim_schedules.json');

const BUILD: Record<string, (o: Optimizer, a: never) => LRScheduler> = {
  StepLR: (o, a) => new StepLR(o, a),
  MultiStepLR: (o, a) => new MultiStepLR(o, a),
  ExponentialLR: (o, a) => new ExponentialLR(o, a),
  LinearLR: (o, a) => new LinearLR(o, a),
  CosineAnnealingLR: (o, a) => new CosineAnnealingLR(o, a),
  OneCycleLR: (o, a) => new OneCycleLR(o, a),
  WarmupCosineLR: (o, a) => new WarmupCosineLR(o, a),
  WarmupStableDecayLR: (o, a) => new WarmupStableDecayLR(o, a),
};

function optimizer(c: SchedCase): Optimizer {
  const groups = Array.from({ length: c.groups }, () => ({ params: [new Parameter(zeros([1]))] }));
  return c.optimizer === 'SGD' ? new SGD(groups, { lr: c.baseLr, momentum: 0.9 }) : new Adam(groups, { lr: c.baseLr });
}

const momentumOf = (o: Optimizer): number[] => o.paramGroups.map((g) => (g.betas ? (g.betas as number[])[0] : (g.momentum as number)));

function expectSeq(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `${what}[${i}]: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(expected[i])));
}

describe('schedules vs PyTorch', () => {
  it('covers every schedule class', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(Object.keys(BUILD)));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const o = optimizer(c);
    const s = BUILD[c.kind](o, c.args);
    c.lrs.forEach((expected, step) => {
      if (step > 0) s.step();
      expectSeq(o.paramGroups.map((g) => g.lr), expected, `lr at step ${step}`);
      expectSeq(s.getLastLr(), expected, `getLastLr at step ${step}`);
      if (c.momenta) expectSeq(momentumOf(o), c.momenta[step], `momentum at step ${step}`);
    });
  });
});

describe('schedule state', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: save midway, load into a fresh optimiser and schedule, continue identically', (_n, c) => {
    const half = Math.floor(c.lrs.length / 2);
    const o1 = optimizer(c);
    const s1 = BUILD[c.kind](o1, c.args);
    for (let i = 0; i < half; i++) s1.step();
    const saved = { opt: o1.stateDict(), sched: JSON.parse(JSON.stringify(s1.stateDict())) };
    const o2 = optimizer(c);
    const s2 = BUILD[c.kind](o2, c.args);
    o2.loadStateDict(saved.opt);
    s2.loadStateDict(saved.sched);
    for (let i = half + 1; i < c.lrs.length; i++) {
      s1.step();
      s2.step();
      expect(o2.paramGroups.map((g) => g.lr)).toEqual(o1.paramGroups.map((g) => g.lr));
      expectSeq(o2.paramGroups.map((g) => g.lr), c.lrs[i], `lr at step ${i}`);
      if (c.momenta) expect(momentumOf(o2)).toEqual(momentumOf(o1));
    }
  });

  it('resumes from lastEpoch when the groups carry initialLr', () => {
    const p = new Parameter(zeros([1]));
    const o = new SGD([p], { lr: 1 });
    const fresh = new StepLR(o, { stepSize: 2, gamma: 0.5 });
    for (let i = 0; i < 5; i++) fresh.step();
    const resumed = new StepLR(o, { stepSize: 2, gamma: 0.5, lastEpoch: 4 });
    expect(resumed.lastEpoch).toBe(5);
    expect(o.paramGroups[0].lr).toBe(0.25);
    const bare = new SGD([new Parameter(zeros([1]))], { lr: 1 });
    expect(() => new StepLR(bare, { stepSize: 2, lastEpoch: 4 })).toThrow(/param group 0 has no initialLr, needed to resume at step 4/);
  });

  it('rejects unknown keys', () => {
    const s = new ExponentialLR(new SGD([new Parameter(zeros([1]))], { lr: 1 }), { gamma: 0.5 });
    expect(() => s.loadStateDict({ lastEpoch: 3, stepSize: 2 })).toThrow(/ExponentialLR.loadStateDict: unknown keys 'stepSize'/);
  });
});

describe('schedule behaviour', () => {
  it('OneCycleLR refuses to step past totalSteps and needs momentum to cycle it', () => {
    const o = new SGD([new Parameter(zeros([1]))], { lr: 1, momentum: 0.9 });
    const s = new OneCycleLR(o, { maxLr: 1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) s.step();
    expect(() => s.step()).toThrow(/stepped 4 times, but totalSteps is 3/);
    expect(() => new OneCycleLR({ paramGroups: [{ lr: 1 }] }, { maxLr: 1, totalSteps: 3 })).toThrow(/cycleMomentum needs an optimiser with momentum or betas/);
    expect(() => new OneCycleLR(o, { maxLr: 1 })).toThrow(/give totalSteps, or epochs and stepsPerEpoch/);
  });

  it('LambdaLR scales each group by the function', () => {
    const o = new SGD([{ params: [new Parameter(zeros([1]))] }, { params: [new Parameter(zeros([1]))], lr: 2 }], { lr: 1 });
    const s = new LambdaLR(o, (step, group) => (group + 1) / (step + 1));
    s.step();
    expect(s.getLastLr()).toEqual([0.5, 2]);
  });

  it('WarmupCosineLR and WarmupStableDecayLR reach their ends', () => {
    const o = new SGD([new Parameter(zeros([1]))], { lr: 1 });
    const s = new WarmupCosineLR(o, { warmupSteps: 2, totalSteps: 6, etaMin: 0.1 });
    const lrs = [o.paramGroups[0].lr];
    for (let i = 0; i < 7; i++) {
      s.step();
      lrs.push(o.paramGroups[0].lr);
    }
    expect(lrs[0]).toBe(0);
    expect(lrs[2]).toBe(1);
    expect(lrs[6]).toBeCloseTo(0.1, 12);
    expect(lrs[7]).toBeCloseTo(0.1, 12);
    expect(() => new WarmupStableDecayLR(o, { warmupSteps: 1.5, stableSteps: 1, decaySteps: 1 })).toThrow(/non-negative integers/);
  });
});
