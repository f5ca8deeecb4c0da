/**
 * Optimisers and learning-rate schedules by name: the one place a training
 * recipe (a task's options, a forecasting family's reference recipe, a
 * command line) turns into live objects, so every task offers the same names
 * with the same meaning.
 */
import { Adam, AdamW } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { LambdaLR, OneCycleLR, WarmupCosineLR, type LRScheduler } from './schedules.js';
import { SGD } from './sgd.js';
import type { Tensor } from '../tensor/tensor.js';

/** Optimiser names `makeOptimizer` knows. */
export const OPTIMIZERS = ['adamw', 'adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface OptimizerSpec {
  name: OptimizerName;
  lr: number;
  /** Decoupled for adamw, L2 for adam and sgd (default 0). */
  weightDecay?: number;
  /** Adam/AdamW ε (default: the optimiser's, 1e-8). */
  eps?: number;
  /** SGD momentum (default 0.9: plain SGD is rarely what a recipe means). */
  momentum?: number;
}

/**
 * Build an optimiser over `params`.
 * @example const opt = makeOptimizer(model.parameters(), { name: 'adamw', lr: 1e-3, weightDecay: 0.01 });
 */
export function makeOptimizer(params: Tensor[], spec: OptimizerSpec): Optimizer {
  const { lr, weightDecay = 0, eps } = spec;
  // Leave ε out when it is not given so each optimiser keeps its own default.
  const adam = eps === undefined ? { lr, weightDecay } : { lr, weightDecay, eps };
  switch (spec.name) {
    case 'adamw':
      return new AdamW(params, adam);
    case 'adam':
      return new Adam(params, adam);
    case 'sgd':
      return new SGD(params, { lr, momentum: spec.momentum ?? 0.9, weightDecay });
    default:
      throw new Error(`unknown optimizer '${String(spec.name)}' (known: ${OPTIMIZERS.join(', ')})`);
  }
}

/** Schedule names `makeScheduler` knows; 'constant' and 'none' both mean no schedule. */
export const SCHEDULES = ['cosine', 'linear', 'onecycle', 'constant', 'none'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface ScheduleSpec {
  name: ScheduleName;
  /** Optimiser steps the schedule spans (the scheduler is stepped once per batch). */
  totalSteps: number;
  /** cosine: linear warm-up from 0 over this many steps (default 0). */
  warmupSteps?: number;
  /** onecycle: the peak learning rate (default: the optimiser's first group's). */
  maxLr?: number;
  /** onecycle: fraction of the steps spent rising (default 0.3, as torch). */
  pctStart?: number;
}

/**
 * Build a per-step learning-rate schedule, or null for a constant rate.
 * - cosine: warm-up, then cosine decay to 0 at `totalSteps`;
 * - linear: linear decay to 0 at `totalSteps` (HF Trainer's default);
 * - onecycle: torch's OneCycleLR (momentum/β₁ cycled too).
 * @example const sched = makeScheduler(opt, { name: 'cosine', totalSteps: epochs * loader.length });
 */
export function makeScheduler(optimizer: Optimizer, spec: ScheduleSpec): LRScheduler | null {
  const total = spec.totalSteps;
  switch (spec.name) {
    case 'constant':
    case 'none':
      return null;
    case 'cosine':
      return new WarmupCosineLR(optimizer, { warmupSteps: spec.warmupSteps ?? 0, totalSteps: total });
    case 'linear':
      return new LambdaLR(optimizer, (step) => Math.max(0, (total - step) / total));
    case 'onecycle': {
      const maxLr = spec.maxLr ?? optimizer.paramGroups[0].lr;
      return new OneCycleLR(optimizer, spec.pctStart === undefined ? { maxLr, totalSteps: total } : { maxLr, totalSteps: total, pctStart: spec.pctStart });
    }
    default:
      throw new Error(`unknown schedule '${String(spec.name)}' (known: ${SCHEDULES.join(', ')})`);
  }
}
