/**
 * How each reference trains its model on the long-term-forecasting
 * benchmarks, as defaults of the forecast task (`tasks.forecast`,
 * `mlpkit train --task forecast`), and how a forecasting data set's shape
 * maps onto each model's config keys.
 *
 * - TSMixer (google-research run.py, Keras): Adam lr 1e-4 with Keras's eps
 *   1e-7 (Keras adds it to √v before the bias correction; the difference fades
 *   within the first few hundred steps), batch 32, up to 100 epochs, early stopping on validation MSE with
 *   patience 5, best-validation weights for the test, constant learning rate.
 * - PatchTSMixer (granite-tsfm getting-started notebook, HF Trainer): AdamW
 *   lr 1e-4 without weight decay, linear decay to 0 over 100 epochs, gradient
 *   norm clipped to 1 (Trainer's max_grad_norm), batch 32, patience 5, best weights.
 * - TimeMixer (kwuking/TimeMixer, ETTh1 unify script): Adam with OneCycleLR
 *   (max lr 0.01, pct_start 0.2, per batch, β₁ cycled 0.95↔0.85), batch 128,
 *   10 epochs, patience 10, training batches drop the last partial batch,
 *   calendar covariates at freq 'h'; its test loader also drops the last partial
 *   batch (reported separately).
 */
import type { OptimizerName, ScheduleName } from '../optim/factory.js';

export interface ForecastRecipe {
  optimizer: OptimizerName;
  lr: number;
  adamEps: number;
  weightDecay: number;
  /** The references use constant; linear decay to 0 over all steps (HF Trainer); onecycle (torch OneCycleLR, per batch). */
  schedule: ScheduleName;
  pctStart: number;
  batchSize: number;
  epochs: number;
  patience: number;
  gradClip: number | null;
  dropLastTrain: boolean;
  /** The reference's test loader drops its last partial batch (reported beside the all-window metrics). */
  dropLastTest: boolean;
  /** Default look-back when none is given. */
  seqLen: number;
}

/** Config keys that carry the data shape, per model family. */
export interface DataKeys {
  seqLen: string;
  predLen: string;
  channels: string[];
  /** Config key holding the calendar-covariate frequency (models that take time marks). */
  freq?: string;
}

export interface FamilyRecipe {
  recipe: ForecastRecipe;
  keys: DataKeys;
}

const BASE: ForecastRecipe = {
  optimizer: 'adam',
  lr: 1e-3,
  adamEps: 1e-8,
  weightDecay: 0,
  schedule: 'constant',
  pctStart: 0.3,
  batchSize: 32,
  epochs: 100,
  patience: 5,
  gradClip: null,
  dropLastTrain: false,
  dropLastTest: false,
  seqLen: 96,
};

export const RECIPES: Record<string, FamilyRecipe> = {
  tsmixer: {
    recipe: { ...BASE, lr: 1e-4, adamEps: 1e-7, seqLen: 512 },
    keys: { seqLen: 'seqLen', predLen: 'predLen', channels: ['numChannels'] },
  },
  patchtsmixer: {
    recipe: { ...BASE, optimizer: 'adamw', lr: 1e-4, schedule: 'linear', gradClip: 1, seqLen: 512 },
    keys: { seqLen: 'contextLength', predLen: 'predictionLength', channels: ['numInputChannels'] },
  },
  timemixer: {
    recipe: { ...BASE, lr: 0.01, schedule: 'onecycle', pctStart: 0.2, batchSize: 128, epochs: 10, patience: 10, dropLastTrain: true, dropLastTest: true, seqLen: 96 },
    keys: { seqLen: 'seqLen', predLen: 'predLen', channels: ['encIn', 'cOut'], freq: 'freq' },
  },
};

/** The recipe of a registered model's family (tsmixer_rev_in → tsmixer), or undefined. */
export function recipeFor(family: string): FamilyRecipe | undefined {
  return RECIPES[family];
}
