/** Optimiser and schedule options: unknown keys are refused by name (with a likely intended one), bad values by range. */
import { describe, expect, it } from 'vitest';
import { zeros } from '../../src/index.js';
import { Parameter } from '../../src/nn/index.js';
import {
  Adam, AdamW, CosineAnnealingLR, LambdaLR, OneCycleLR, SGD, StepLR, WarmupCosineLR,
} from '../../src/optim/index.js';
import { checkOptions, closestOption } from '../../src/util/options.js';

const params = (): Parameter[] => [new Parameter(zeros([2]))];
// Options a JS caller (or a spread config) could pass, which the types would reject.
const loose = (o: Record<string, unknown>): never => o as never;

describe('checkOptions', () => {
  it('names the unknown key, a close match and the valid keys', () => {
    expect(() => checkOptions('F', { sise: 1 }, ['size', 'dtype'])).toThrow("F: unknown option 'sise' (did you mean 'size'?); valid options: size, dtype");
    expect(() => checkOptions('F', { zzz: 1 }, ['size', 'dtype'])).toThrow("F: unknown option 'zzz'; valid options: size, dtype");
    expect(() => checkOptions('F', 3, ['size'])).toThrow('F: options must be an object like { size: … }, got 3');
    expect(() => checkOptions('F', undefined, ['size'])).not.toThrow();
    expect(() => checkOptions('F', { size: undefined }, ['size'])).not.toThrow();
  });

  it('suggests by spelling, by snake_case and by the names other libraries use', () => {
    expect(closestOption('learningRate', ['lr', 'betas'])).toBe('lr');
    expect(closestOption('learning_rate', ['lr', 'betas'])).toBe('lr');
    expect(closestOption('weight_decay', ['lr', 'weightDecay'])).toBe('weightDecay');
    expect(closestOption('epsilon', ['lr', 'eps'])).toBe('eps');
    expect(closestOption('foo', ['lr', 'momentum'])).toBe(undefined);
    expect(closestOption('momentm', ['lr', 'momentum'])).toBe('momentum');
    expect(closestOption('name', ['lr', 'eps', 'params'])).toBe(undefined);
  });
});

describe('optimisers', () => {
  it('refuse unknown options, naming them (the AdamW learningRate case)', () => {
    expect(() => new AdamW(params(), loose({ learningRate: 1e-3 }))).toThrow(
      "AdamW: unknown option 'learningRate' (did you mean 'lr'?); valid options: lr, betas, eps, weightDecay, amsgrad, maximize",
    );
    expect(() => new Adam(params(), loose({ lr: 1e-3, weight_decay: 0.1 }))).toThrow("Adam: unknown option 'weight_decay' (did you mean 'weightDecay'?)");
    expect(() => new SGD(params(), loose({ lr: 0.1, momentun: 0.9 }))).toThrow("SGD: unknown option 'momentun' (did you mean 'momentum'?)");
    expect(() => new Adam(params(), loose({ lr: 1e-3, beta1: 0.9 }))).toThrow("(did you mean 'betas'?)");
    expect(() => new Adam(params(), 1e-3 as never)).toThrow('Adam: options must be an object like { lr: … }, got 0.001');
  });

  it('refuse a misspelt hyperparameter in a parameter group, but keep other extra keys (as PyTorch)', () => {
    expect(() => new SGD([{ params: params(), learning_rate: 1 } as never], { lr: 0.1 })).toThrow(
      "SGD: unknown option 'learning_rate' in parameter group 0 (did you mean 'lr'?)",
    );
    const opt = new SGD([{ params: params(), name: 'head' } as never], { lr: 0.1 });
    expect(opt.paramGroups[0].name).toBe('head');
  });

  it('an undefined option keeps its default', () => {
    const opt = new Adam(params(), { lr: 1e-2, eps: undefined });
    expect(opt.paramGroups[0].eps).toBe(1e-8);
    expect(new AdamW(params(), { weightDecay: undefined }).paramGroups[0].weightDecay).toBe(1e-2);
  });

  it('refuse values PyTorch refuses, with the value in the message', () => {
    expect(() => new SGD(params(), { lr: -1 })).toThrow('SGD: invalid learning rate -1 (must be ≥ 0)');
    expect(() => new SGD(params(), loose({}))).toThrow('SGD: no learning rate given (pass { lr: … })');
    expect(() => new SGD(params(), { lr: 0.1, momentum: -0.5 })).toThrow('SGD: invalid momentum -0.5 (must be ≥ 0)');
    expect(() => new SGD(params(), { lr: 0.1, weightDecay: -1 })).toThrow('SGD: invalid weight decay -1 (must be ≥ 0)');
    expect(() => new Adam(params(), { lr: NaN })).toThrow('Adam: invalid learning rate NaN');
    expect(() => new Adam(params(), loose({ lr: '0.01' }))).toThrow('Adam: invalid learning rate the string "0.01" (expected a number ≥ 0)');
    expect(() => new Adam(params(), { betas: [0.9, 1] })).toThrow('Adam: invalid beta parameter at index 1: 1 (must be in [0, 1))');
    expect(() => new Adam(params(), { betas: [-0.1, 0.9] })).toThrow('invalid beta parameter at index 0: -0.1');
    expect(() => new Adam(params(), loose({ betas: 0.9 }))).toThrow('Adam: betas must be a pair [beta1, beta2], got 0.9');
    expect(() => new AdamW(params(), { eps: -1e-8 })).toThrow('AdamW: invalid epsilon -1e-8 (must be ≥ 0)');
  });
});

describe('schedules', () => {
  const opt = (): SGD => new SGD(params(), { lr: 0.1, momentum: 0.9 });

  it('refuse unknown options with a suggestion', () => {
    expect(() => new StepLR(opt(), loose({ stepSize: 2, gama: 0.5 }))).toThrow("StepLR: unknown option 'gama' (did you mean 'gamma'?); valid options: stepSize, gamma, lastEpoch");
    expect(() => new CosineAnnealingLR(opt(), loose({ T_max: 10 }))).toThrow("CosineAnnealingLR: unknown option 'T_max' (did you mean 'tMax'?)");
    expect(() => new WarmupCosineLR(opt(), loose({ warmup: 2, totalSteps: 10 }))).toThrow("WarmupCosineLR: unknown option 'warmup'");
    expect(() => new OneCycleLR(opt(), loose({ maxLr: 1, totalSteps: 10, pct_start: 0.2 }))).toThrow("OneCycleLR: unknown option 'pct_start' (did you mean 'pctStart'?)");
    expect(() => new LambdaLR(opt(), (s) => s, loose({ last_epoch: -1 }))).toThrow("LambdaLR: unknown option 'last_epoch' (did you mean 'lastEpoch'?)");
    expect(() => new LambdaLR(opt(), loose({ lastEpoch: -1 }))).toThrow('LambdaLR: expected a function (step, group) => factor, got an object');
  });
});
