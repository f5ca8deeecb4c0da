/**
 * The training loop: epochs of forward → loss → backward → (clip) → step,
 * evaluation on validation data after each epoch, early stopping, a
 * checkpoint after every epoch (and of the best epoch), JSONL logs, a
 * progress bar and an SVG of the curves. A run resumed from its checkpoint
 * continues exactly as the uninterrupted run would have.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../autograd/mode.js';
import { withInferenceGc } from '../backend/native/gc.js';
import type { Batch, DataLoader } from '../data/index.js';
import type { AnyModule } from '../nn/module.js';
import { clipGradNorm, type Optimizer } from '../optim/index.js';
import type { LRScheduler } from '../optim/schedules.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { JsonlLog, truncateLogAfterEpoch } from './jsonl.js';
import { removeStaleTempFiles } from './rundir.js';
import { metricByName, type Metric } from './metrics.js';
import { writeCurvesSvg, type CurvePoint } from './plot.js';
import { ProgressBar, formatNumber } from './progress.js';

export interface FitOptions {
  epochs: number;
  optimizer: Optimizer;
  train: DataLoader;
  val?: DataLoader | null;
  /** Evaluated once at the end, with the best weights when a validation set chose them. */
  test?: DataLoader | null;
  /** Loss of a batch given the model's output (default: cross-entropy against `batch.y`). */
  loss: (output: Tensor, batch: Batch) => Tensor;
  /** The model's output for a batch (default: `model.forward(batch.x)`). */
  forward?: (batch: Batch) => Tensor;
  /** The tensor metrics compare the output with (default: `batch.y`). */
  target?: (batch: Batch) => Tensor;
  metrics?: (string | Metric)[];
  scheduler?: LRScheduler | null;
  /** Step the schedule after every batch (default) or every epoch. */
  schedulerInterval?: 'batch' | 'epoch';
  /** Clip the global gradient norm to this value before each step. */
  gradClipNorm?: number | null;
  /** Quantity that picks the best epoch and drives early stopping: 'val_loss' (default with val data), 'val_accuracy', … */
  monitor?: string;
  /** Stop after this many epochs without improvement of `monitor`. */
  patience?: number | null;
  /** Folder for checkpoint.safetensors, best.safetensors, log.jsonl and curves.svg. */
  runDir?: string | null;
  /** Continue from `runDir`/checkpoint.safetensors when it exists. */
  resume?: boolean;
  /** Show progress bars on stderr (default true). */
  progress?: boolean;
  /** Called with each epoch's record. */
  onEpoch?: (record: EpochRecord) => void;
  /** Called with the model's output for each test batch (in loader order), e.g. to keep some forecasts for a plot without a second pass. */
  onTestBatch?: (output: Tensor, batch: Batch) => void;
}

export interface EpochRecord {
  epoch: number;
  lr: number;
  seconds: number;
  samplesPerSecond: number;
  [quantity: string]: number;
}

export interface FitResult {
  history: EpochRecord[];
  bestEpoch: number | null;
  best: number | null;
  /** Metrics and loss on the test loader, keyed like `test_accuracy`. */
  test: Record<string, number> | null;
  stoppedEarly: boolean;
}

interface Progress {
  history: EpochRecord[];
  best: number | null;
  bestEpoch: number | null;
  badEpochs: number;
}

const defaultForward = (model: AnyModule) => (batch: Batch): Tensor => {
  if (!batch.x) throw new Error(`fit: the batch has no 'x' (it has ${Object.keys(batch).join(', ')}); pass a forward function`);
  return model.forward(batch.x) as Tensor;
};

function batchSize(batch: Batch): number {
  const first = Object.values(batch)[0];
  return first ? first.shape[0] ?? 1 : 0;
}

/**
 * Loss and metrics of `model` on a loader, in eval mode without gradients.
 * Keys are the metric names and 'loss'.
 */
export function evaluate(
  model: AnyModule,
  loader: DataLoader,
  opts: {
    loss?: (output: Tensor, batch: Batch) => Tensor;
    forward?: (batch: Batch) => Tensor;
    target?: (batch: Batch) => Tensor;
    metrics?: (string | Metric)[];
    progress?: boolean;
    label?: string;
    /** Sees each batch's output after the metrics have. */
    onBatch?: (output: Tensor, batch: Batch) => void;
  },
): Record<string, number> {
  const forward = opts.forward ?? defaultForward(model);
  const target = opts.target ?? ((b: Batch) => b.y);
  const metrics = (opts.metrics ?? []).map((m) => (typeof m === 'string' ? metricByName(m) : m));
  metrics.forEach((m) => m.reset());
  const wasTraining = model.training;
  model.eval();
  let lossSum = 0;
  let count = 0;
  const bar = opts.progress ? new ProgressBar(loader.length, { label: opts.label ?? 'eval', unit: 'samples' }) : null;
  try {
    // Op results die as fast as they are made here: let V8 mark concurrently (backend/native/gc.ts).
    withInferenceGc(() => noGrad(() => {
      for (const batch of loader) {
        const out = forward(batch);
        const n = batchSize(batch);
        if (opts.loss) lossSum += opts.loss(out, batch).item() * n;
        count += n;
        for (const m of metrics) m.update(out, target(batch));
        opts.onBatch?.(out, batch);
        bar?.tick(1, n);
      }
    }));
  } finally {
    if (wasTraining) model.train();
  }
  const result: Record<string, number> = {};
  if (opts.loss) result.loss = lossSum / Math.max(count, 1);
  for (const m of metrics) result[m.name] = m.compute();
  bar?.finish(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, formatNumber(v)])));
  return result;
}

/**
 * Train `model`.
 * @example
 * const result = await fit(model, {
 *   epochs: 5, optimizer: new optim.AdamW(model.parameters(), { lr: 1e-3 }),
 *   train: new DataLoader(trainSet, { batchSize: 128, shuffle: true, seed: 0 }),
 *   val: new DataLoader(testSet, { batchSize: 1000 }),
 *   loss: (out, b) => crossEntropy(out, b.y), metrics: ['accuracy'], runDir: 'runs/mnist',
 * });
 */
export async function fit(model: AnyModule, opts: FitOptions): Promise<FitResult> {
  const { epochs, optimizer, train, val = null, scheduler = null, runDir = null } = opts;
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new Error(`fit: epochs must be a positive integer, got ${epochs}`);
  if (opts.patience != null && !(Number.isInteger(opts.patience) && opts.patience >= 1)) {
    throw new Error(`fit: patience must be a positive integer (epochs without improvement before stopping), got ${opts.patience}`);
  }
  if (opts.gradClipNorm != null && !(opts.gradClipNorm > 0)) throw new Error(`fit: gradClipNorm must be positive (null for no clipping), got ${opts.gradClipNorm}`);
  const forward = opts.forward ?? defaultForward(model);
  const showProgress = opts.progress ?? true;
  const metrics = opts.metrics ?? [];
  const monitor = opts.monitor ?? (val ? 'val_loss' : 'train_loss');
  const higherIsBetter = /accuracy|auc|top\d/.test(monitor);
  const paths = runDir
    ? { ckpt: join(runDir, 'checkpoint.safetensors'), best: join(runDir, 'best.safetensors'), log: join(runDir, 'log.jsonl'), plot: join(runDir, 'curves.svg') }
    : null;
  if (runDir) mkdirSync(runDir, { recursive: true });
  const log = paths ? new JsonlLog(paths.log) : null;
  const state = { model, optimizer, scheduler, loader: train };

  let progress: Progress = { history: [], best: null, bestEpoch: null, badEpochs: 0 };
  let startEpoch = 0;
  if (runDir) removeStaleTempFiles(runDir);
  if (opts.resume && paths && existsSync(paths.ckpt)) {
    const restored = loadCheckpoint(paths.ckpt, state);
    startEpoch = restored.epoch;
    progress = restored.progress as Progress;
    // Epochs logged after the checkpoint (a run killed between its log line and its save) run again: drop their records.
    truncateLogAfterEpoch(paths.log, startEpoch);
    log?.write({ event: 'resume', epoch: startEpoch });
  }

  let stoppedEarly = false;
  model.train();
  for (let epoch = startEpoch + 1; epoch <= epochs; epoch++) {
    if (opts.patience != null && progress.badEpochs >= opts.patience) {
      stoppedEarly = true;
      break;
    }
    const t0 = performance.now();
    const bar = showProgress ? new ProgressBar(train.length, { label: `epoch ${epoch}/${epochs}`, unit: 'samples' }) : null;
    let lossSum = 0;
    let seen = 0;
    for (const batch of train) {
      const out = forward(batch);
      const loss = opts.loss(out, batch);
      const lossValue = loss.item();
      if (!Number.isFinite(lossValue)) throw new Error(`fit: the loss became ${lossValue} at epoch ${epoch} after ${seen} samples (lower the learning rate or clip gradients)`);
      optimizer.zeroGrad();
      loss.backward();
      if (opts.gradClipNorm != null) clipGradNorm(model.parameters(), opts.gradClipNorm);
      optimizer.step();
      if (scheduler && (opts.schedulerInterval ?? 'batch') === 'batch') scheduler.step();
      const n = batchSize(batch);
      lossSum += lossValue * n;
      seen += n;
      bar?.tick(1, n, { loss: lossSum / seen });
    }
    if (scheduler && opts.schedulerInterval === 'epoch') scheduler.step();
    const seconds = (performance.now() - t0) / 1000;
    const record: EpochRecord = {
      epoch,
      lr: optimizer.paramGroups[0].lr,
      seconds,
      samplesPerSecond: seen / seconds,
      train_loss: lossSum / Math.max(seen, 1),
    };
    bar?.finish({ loss: record.train_loss });
    if (val) {
      const v = evaluate(model, val, { loss: opts.loss, forward, target: opts.target, metrics, progress: showProgress, label: '  val' });
      for (const [k, x] of Object.entries(v)) record[`val_${k}`] = x;
    }
    const current = record[monitor];
    if (current === undefined) throw new Error(`fit: monitor '${monitor}' is not among the epoch's quantities (${Object.keys(record).join(', ')})`);
    const improved = progress.best === null || (higherIsBetter ? current > progress.best : current < progress.best);
    if (improved) {
      progress.best = current;
      progress.bestEpoch = epoch;
      progress.badEpochs = 0;
    } else {
      progress.badEpochs++;
    }
    progress.history.push(record);
    log?.write({ event: 'epoch', ...record });
    opts.onEpoch?.(record);
    if (paths) {
      if (improved) saveCheckpoint(paths.best, { model }, epoch);
      saveCheckpoint(paths.ckpt, state, epoch, progress);
      await writeCurvesSvg(paths.plot, curvePoints(progress.history), runDir ?? undefined);
    }
  }

  let test: Record<string, number> | null = null;
  if (opts.test) {
    if (paths && val && existsSync(paths.best)) loadCheckpoint(paths.best, { model });
    const t = evaluate(model, opts.test, { loss: opts.loss, forward, target: opts.target, metrics, progress: showProgress, label: ' test', onBatch: opts.onTestBatch });
    test = Object.fromEntries(Object.entries(t).map(([k, v]) => [`test_${k}`, v]));
    log?.write({ event: 'test', ...test });
  }
  return { history: progress.history, bestEpoch: progress.bestEpoch, best: progress.best, test, stoppedEarly };
}

/** History records → plot points: `train_loss` → quantity 'loss', split 'train'. */
function curvePoints(history: readonly EpochRecord[]): CurvePoint[] {
  const pts: CurvePoint[] = [];
  for (const r of history) {
    for (const [k, v] of Object.entries(r)) {
      const m = /^(train|val|test)_(.+)$/.exec(k);
      if (m) pts.push({ epoch: r.epoch, split: m[1], quantity: m[2], value: v });
    }
  }
  return pts;
}
