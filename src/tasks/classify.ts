/**
 * The classification task: MNIST or Fashion-MNIST with any registered model.
 * The last `valSize` training images are held out for validation; the epoch
 * with the best monitored validation value is kept (best.safetensors) and
 * scored on the test split. The run folder gets config.json, log.jsonl,
 * checkpoint.safetensors (resumable), best.safetensors and curves.svg.
 */
import { join } from 'node:path';
import { getBackend } from '../backend/index.js';
import { DataLoader, loadFashionMnist, loadMnist, TensorDataset, type ImageDataset } from '../data/index.js';
import * as models from '../models/index.js';
import { crossEntropy } from '../ops/loss.js';
import { makeOptimizer, makeScheduler, type OptimizerName, type ScheduleName } from '../optim/factory.js';
import { Generator, manualSeed } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadWeights } from '../train/checkpoint.js';
import { evaluate, fit } from '../train/fit.js';
import { formatCount } from '../train/progress.js';
import { openRunDir } from '../train/rundir.js';
import { checkOptionRanges } from './ranges.js';
import { readRunConfig, type EvaluateOptions, type Task, type TaskOptions } from './task.js';

/** Data sets the task loads, by name. */
export const CLASSIFY_DATASETS: Record<string, (split: 'train' | 'test') => ImageDataset> = {
  mnist: (split) => loadMnist({ split, normalize: true }),
  'fashion-mnist': (split) => loadFashionMnist({ split, normalize: true }),
};

/** What picks the best epoch (and drives `patience`). */
export const CLASSIFY_MONITORS = ['val_loss', 'val_accuracy'] as const;

export interface ClassifyOptions extends TaskOptions {
  /** 'mnist' or 'fashion-mnist'. */
  data: string;
  epochs?: number;
  batchSize?: number;
  /** Peak learning rate. */
  lr?: number;
  optimizer?: OptimizerName;
  /** Default 0.01 for adamw, else 0. */
  weightDecay?: number;
  /** Stepped per batch; 'cosine' is a linear warm-up then cosine decay. */
  schedule?: ScheduleName;
  /** Warm-up length of the cosine schedule, in epochs. */
  warmupEpochs?: number;
  labelSmoothing?: number;
  /** Clip the global gradient norm (default: no clipping). */
  gradClip?: number | null;
  /** Training images held out for validation (0 = none). */
  valSize?: number;
  monitor?: (typeof CLASSIFY_MONITORS)[number];
  /** Stop after this many epochs without a better monitored value (default: never). */
  patience?: number | null;
}

export interface ClassifyResult {
  model: string;
  data: string;
  config: models.ModelConfig;
  parameters: number;
  /** Test loss and accuracy with the best-validation weights (the last epoch's without validation). */
  test: { loss: number; accuracy: number };
  bestEpoch: number | null;
  epochsRun: number;
  /** Mean seconds per epoch and the last epoch's training throughput. */
  secondsPerEpoch: number;
  samplesPerSecond: number;
  runDir: string;
}

export interface ClassifyEvaluation {
  loss: number;
  accuracy: number;
  top5: number;
}

const DEFAULTS = {
  epochs: 5,
  batchSize: 128,
  lr: 1e-3,
  optimizer: 'adamw',
  schedule: 'cosine',
  warmupEpochs: 0,
  labelSmoothing: 0,
  gradClip: null,
  valSize: 5000,
  monitor: 'val_loss',
  patience: null,
  seed: 0,
} as const satisfies Partial<ClassifyOptions>;

/** Batch size of evaluation passes (at least the training batch). */
export const EVAL_BATCH = 256;

function loadData(name: string, split: 'train' | 'test'): ImageDataset {
  const load = CLASSIFY_DATASETS[name];
  if (!load) throw new Error(`unknown dataset '${name}' (known: ${Object.keys(CLASSIFY_DATASETS).join(', ')}; forecasting data: --task forecast)`);
  return load(split);
}

/** The images as the model's first input takes them (the data's [N, 1, 28, 28] reshaped to [N, 784] for an MLP). */
function adaptInput(x: Tensor, entry: models.ModelEntry, config: models.ModelConfig): Tensor {
  try {
    return models.fitToInput(x, entry.inputs(config)[0], entry.name);
  } catch (e) {
    throw new Error(`${(e as Error).message}; set its imgSize/inChans (or inFeatures) to match the data`);
  }
}

async function run(o: ClassifyOptions): Promise<ClassifyResult> {
  checkOptionRanges('classify', o);
  const log = o.log ?? ((s: string) => console.log(s));
  const quiet = o.progress === false;
  // Progress notes go to stderr, so stdout carries only the summary.
  const note = quiet ? () => undefined : (s: string) => console.error(s);
  const modelName = o.model;
  const dataName = o.data;
  const entry = models.get(modelName);
  const config = models.resolveConfig(modelName, o.config ?? {});
  const epochs = o.epochs ?? DEFAULTS.epochs;
  const batchSize = o.batchSize ?? DEFAULTS.batchSize;
  const lr = o.lr ?? DEFAULTS.lr;
  const optName = o.optimizer ?? DEFAULTS.optimizer;
  const wd = o.weightDecay ?? (optName === 'adamw' ? 0.01 : 0);
  const seed = o.seed ?? DEFAULTS.seed;
  const valSize = o.valSize ?? DEFAULTS.valSize;
  const smoothing = o.labelSmoothing ?? DEFAULTS.labelSmoothing;
  const runDir = o.runDir ?? join('runs', `${modelName}-${dataName}`);
  const monitor = o.monitor ?? DEFAULTS.monitor;
  const sched = o.schedule ?? DEFAULTS.schedule;
  if (!(CLASSIFY_MONITORS as readonly string[]).includes(monitor)) throw new Error(`--monitor must be one of ${CLASSIFY_MONITORS.join(', ')}, got '${monitor}'`);
  if (valSize === 0 && o.monitor !== undefined) throw new Error('--monitor needs a validation set (--val-size > 0)');

  manualSeed(seed);
  const t0 = performance.now();
  const full = loadData(dataName, 'train');
  const testSet = loadData(dataName, 'test');
  const n = full.length;
  if (valSize < 0 || valSize >= n) throw new Error(`--val-size must be in [0, ${n}), got ${valSize}`);
  const x = adaptInput(full.tensors.x, entry, config);
  const trainSet = new TensorDataset({ x: x.narrow(0, 0, n - valSize), y: full.tensors.y.narrow(0, 0, n - valSize) });
  const valSet = valSize ? new TensorDataset({ x: x.narrow(0, n - valSize, valSize), y: full.tensors.y.narrow(0, n - valSize, valSize) }) : null;
  const test = new TensorDataset({ x: adaptInput(testSet.tensors.x, entry, config), y: testSet.tensors.y });
  note(`data: ${dataName} ${trainSet.length} train / ${valSet?.length ?? 0} val / ${test.length} test (${((performance.now() - t0) / 1000).toFixed(1)}s)`);

  const model = entry.create(config, new Generator(seed));
  const params = model.parameters();
  const nParams = params.reduce((s, p) => s + p.size, 0);
  const optimizer = makeOptimizer(params, { name: optName, lr, weightDecay: wd });
  const train = new DataLoader(trainSet, { batchSize, shuffle: true, seed: seed + 1 });
  const steps = epochs * train.length;
  const scheduler = makeScheduler(optimizer, { name: sched, totalSteps: steps, warmupSteps: Math.round((o.warmupEpochs ?? DEFAULTS.warmupEpochs) * train.length), maxLr: lr });
  note(`model: ${modelName} ${formatCount(nParams)} parameters, backend ${getBackend().name}; ${optName} lr ${lr}, ${sched} schedule, ${epochs} epochs of ${train.length} batches`);

  const runConfig = { model: modelName, config, data: dataName, epochs, batchSize, lr, optimizer: optName, weightDecay: wd, schedule: sched, seed, valSize, labelSmoothing: smoothing, monitor, gradClip: o.gradClip ?? null, patience: o.patience ?? null };
  // Everything above is validated; only now is the run folder touched.
  openRunDir(runDir, runConfig, { resume: o.resume, overwrite: o.overwrite });
  // Evaluation batches no larger than needed keep validation within the training step's memory (bench/README.md).
  const evalBatch = Math.max(batchSize, EVAL_BATCH);
  const result = await fit(model, {
    epochs,
    optimizer,
    scheduler,
    train,
    val: valSet ? new DataLoader(valSet, { batchSize: evalBatch }) : null,
    test: new DataLoader(test, { batchSize: evalBatch }),
    loss: (out, b) => crossEntropy(out, b.y, { labelSmoothing: smoothing }),
    metrics: ['accuracy'],
    gradClipNorm: o.gradClip ?? null,
    patience: o.patience ?? null,
    monitor: valSet ? monitor : undefined,
    runDir,
    resume: o.resume ?? false,
    progress: !quiet,
  });
  const acc = result.test?.test_accuracy ?? NaN;
  const last = result.history[result.history.length - 1];
  const secs = result.history.reduce((s, h) => s + h.seconds, 0);
  const out: ClassifyResult = {
    model: modelName,
    data: dataName,
    config,
    parameters: nParams,
    test: { loss: result.test?.test_loss ?? NaN, accuracy: acc },
    bestEpoch: result.bestEpoch,
    epochsRun: result.history.length,
    secondsPerEpoch: secs / Math.max(result.history.length, 1),
    samplesPerSecond: last ? last.samplesPerSecond : 0,
    runDir,
  };
  log(`${modelName} on ${dataName}: test accuracy ${(acc * 100).toFixed(2)}% (best epoch ${result.bestEpoch ?? '-'} of ${result.history.length}; ${out.secondsPerEpoch.toFixed(1)} s/epoch, ${Math.round(out.samplesPerSecond)} samples/s)`);
  log(`run folder: ${runDir} (config.json, log.jsonl, checkpoint.safetensors, best.safetensors, curves.svg)`);
  return out;
}

/** What `evaluateWeights` scores: a model built from its config, weights from a file, a data set's test split. */
export interface ClassifyWeights {
  model: string;
  data: string;
  weights: string;
  config?: Record<string, unknown>;
  batchSize?: number;
  progress?: boolean;
  log?: (line: string) => void;
}

/**
 * Test loss, accuracy and top-5 accuracy of saved weights (a state dict or an
 * mlpkit checkpoint) on the data set's test split.
 * @example await evaluateWeights({ model: 'mlp', data: 'mnist', weights: 'runs/mlp-mnist/best.safetensors' });
 */
export async function evaluateWeights(o: ClassifyWeights): Promise<ClassifyEvaluation> {
  const entry = models.get(o.model);
  const config = models.resolveConfig(o.model, o.config ?? {});
  const model = entry.create(config);
  loadWeights(model, o.weights);
  const testSet = loadData(o.data, 'test');
  const test = new TensorDataset({ x: adaptInput(testSet.tensors.x, entry, config), y: testSet.tensors.y });
  const r = evaluate(model, new DataLoader(test, { batchSize: o.batchSize ?? EVAL_BATCH }), {
    loss: (out, b) => crossEntropy(out, b.y),
    metrics: ['accuracy', 'top5'],
    progress: o.progress ?? true,
  });
  (o.log ?? ((s: string) => console.log(s)))(`${o.model} on ${o.data} test: loss ${r.loss.toFixed(4)}, accuracy ${(r.accuracy * 100).toFixed(2)}%, top-5 ${(r.top5 * 100).toFixed(2)}%`);
  return { loss: r.loss, accuracy: r.accuracy, top5: r.top5 };
}

/**
 * Image classification.
 * @example
 * import { tasks } from 'mlpkit';
 * const r = await tasks.classify.run({ model: 'mlp', data: 'mnist', epochs: 1 });
 * r.test.accuracy; // ≈ 0.96
 * await tasks.classify.evaluate(r.runDir); // the best weights, scored again
 */
export const classify: Task<ClassifyOptions, ClassifyResult, ClassifyEvaluation> = {
  name: 'classify',
  description: 'image classification (MNIST, Fashion-MNIST): test accuracy with the best validation epoch',
  defaults: DEFAULTS,
  run,
  async evaluate(runDir: string, options: EvaluateOptions = {}) {
    const run = readRunConfig(runDir);
    return evaluateWeights({
      model: String(run.model),
      data: String(run.data),
      config: { ...(run.config as Record<string, unknown>), ...(options.config ?? {}) },
      weights: options.weights ?? join(runDir, 'best.safetensors'),
      batchSize: options.batchSize,
      progress: options.progress,
      log: options.log,
    });
  },
};
