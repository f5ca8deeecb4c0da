/**
 * Optimisers, gradient clipping and learning-rate schedules.
 * @example
 * import { nn, optim } from 'mlpkit';
 * const opt = new optim.AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.05 });
 * const sched = new optim.WarmupCosineLR(opt, { warmupSteps: 100, totalSteps: 10_000 });
 * // each step: loss.backward(); optim.clipGradNorm(model.parameters(), 1); opt.step(); opt.zeroGrad(); sched.step();
 */
export { Optimizer } from './optimizer.js';
export type { BaseHyperparameters, ParamGroup, ParamGroupSpec, Params, ParamState, OptimizerStateDict } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDHyperparameters, SGDOptions } from './sgd.js';
export { Adam, AdamW } from './adam.js';
export type { AdamHyperparameters, AdamOptions } from './adam.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export type { ClipGradNormOptions } from './clip.js';
export {
  LRScheduler, StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR, LambdaLR,
  WarmupCosineLR, WarmupStableDecayLR, OneCycleLR,
} from './schedules.js';
export type {
  SchedulableOptimizer, SchedulerStateDict, DecayShape, OneCycleOptions, StepLROptions, MultiStepLROptions, ExponentialLROptions,
  LinearLROptions, CosineAnnealingLROptions, WarmupCosineLROptions, WarmupStableDecayLROptions,
} from './schedules.js';
export { makeOptimizer, makeScheduler, OPTIMIZERS, SCHEDULES } from './factory.js';
export type { OptimizerName, OptimizerSpec, ScheduleName, ScheduleSpec } from './factory.js';
