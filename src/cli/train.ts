/**
 * `mlpkit train` and `mlpkit eval`: image classification on MNIST or
 * Fashion-MNIST with any registered model (forecasting has its own task).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataLoader, loadFashionMnist, loadMnist, TensorDataset, type ImageDataset } from '../data/index.js';
import * as models from '../models/index.js';
import { crossEntropy } from '../ops/loss.js';
import { AdamW, Adam, SGD, OneCycleLR, WarmupCosineLR, type LRScheduler, type Optimizer } from '../optim/index.js';
import { getBackend } from '../backend/index.js';
import { manualSeed, Generator } from '../tensor/random.js';
import { numel, shapeStr } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate, fit } from '../train/fit.js';
import type { Command } from './command.js';
import { collectSets, int, loadWeights, modelConfig, num, parse, readJson, TRAINING_OPTIONS } from './args.js';
import { formatCount } from './models.js';
import { evalForecastRun, FORECAST_USAGE, forecastTask } from './forecast.js';

const DATASETS: Record<string, (split: 'train' | 'test') => ImageDataset> = {
  mnist: (split) => loadMnist({ split, normalize: true }),
  'fashion-mnist': (split) => loadFashionMnist({ split, normalize: true }),
};

function loadData(name: string, split: 'train' | 'test'): ImageDataset {
  const load = DATASETS[name];
  if (!load) throw new Error(`unknown dataset '${name}' (known: ${Object.keys(DATASETS).join(', ')}; forecasting data: --task forecast)`);
  return load(split);
}

/** Reshape flat samples to the model's per-sample input shape, or fail naming both. */
function adaptInput(x: Tensor, entry: models.ModelEntry, config: models.ModelConfig): Tensor {
  const want = entry.inputs(config)[0].shape;
  const per = x.shape.slice(1);
  if (numel(per) !== numel(want)) {
    throw new Error(`model '${entry.name}' expects inputs of shape ${shapeStr(want)} per sample but the data has ${shapeStr(per)}; set its imgSize/inChans (or inFeatures) to match`);
  }
  return x.reshape([x.shape[0], ...want]);
}

const trainOptions = {
  ...TRAINING_OPTIONS,
  'warmup-epochs': { type: 'string' },
  'label-smoothing': { type: 'string' },
  'val-size': { type: 'string' },
  monitor: { type: 'string' },
} as const;

/** What picks the best epoch (and drives --patience) in classification. */
const MONITORS = ['val_loss', 'val_accuracy'];

function makeOptimizer(name: string, params: Tensor[], lr: number, wd: number): Optimizer {
  switch (name) {
    case 'adamw':
      return new AdamW(params, { lr, weightDecay: wd });
    case 'adam':
      return new Adam(params, { lr, weightDecay: wd });
    case 'sgd':
      return new SGD(params, { lr, momentum: 0.9, weightDecay: wd });
    default:
      throw new Error(`unknown optimizer '${name}' (known: adamw, adam, sgd)`);
  }
}

/** Tasks other than image classification, by `--task` name. */
const TASKS: Record<string, { run: (args: string[]) => Promise<number>; usage: string }> = {
  forecast: { run: forecastTask, usage: FORECAST_USAGE },
};

function taskOf(args: readonly string[]): string {
  const i = args.indexOf('--task');
  const eq = args.find((a) => a.startsWith('--task='));
  return i >= 0 ? (args[i + 1] ?? '') : eq ? eq.slice(7) : 'classify';
}

export const trainCommand: Command = {
  summary: 'train a registered model on a dataset, with checkpoints, logs and a plot',
  usageFor: (args) => TASKS[taskOf(args)]?.usage,
  usage: [
    'Usage: mlpkit train --model NAME --data mnist|fashion-mnist [options]',
    '       mlpkit train --task forecast ... (see `mlpkit train --task forecast --help`)',
    '',
    'Trains MODEL (see `mlpkit models`) and reports test accuracy with the weights of the best',
    'validation epoch. The run folder gets config.json, log.jsonl, checkpoint.safetensors (resumable),',
    'best.safetensors and curves.svg.',
    '',
    '  --config FILE          model config (JSON; keys as in `mlpkit info MODEL`)',
    '  --set key=value        override one config key (repeatable; value parsed as JSON)',
    '  --epochs N             (default 5)',
    '  --batch-size N         (default 128)',
    '  --lr X                 peak learning rate (default 1e-3)',
    '  --optimizer NAME       adamw (default), adam, sgd (momentum 0.9)',
    '  --weight-decay X       (default 0.01 for adamw, else 0)',
    '  --schedule NAME        cosine (default: linear warm-up then cosine, per batch), onecycle, none',
    '  --warmup-epochs X      warm-up length for cosine (default 0)',
    '  --label-smoothing X    (default 0)',
    '  --grad-clip X          clip the global gradient norm',
    '  --val-size N           training images held out for validation (default 5000; 0 = none)',
    '  --monitor NAME         what picks the best epoch: val_loss (default) or val_accuracy',
    '  --patience N           stop after N epochs without a better monitored value',
    '  --seed N               seeds initialisation, shuffling and dropout (default 0)',
    '  --run-dir DIR          (default runs/<model>-<data>)',
    '  --resume               continue the run in --run-dir from its last checkpoint',
    '  --quiet                no progress bars',
  ].join('\n'),
  async run(argv) {
    const { rest, sets } = collectSets(argv);
    const task = taskOf(rest);
    if (task !== 'classify') {
      const t = TASKS[task];
      if (!t) throw new Error(`unknown task '${task}' (known: classify, ${Object.keys(TASKS).join(', ')})`);
      return t.run(argv);
    }
    const { values: v } = parse('train', rest, trainOptions);
    if (!v.model) throw new Error('--model is required (see `mlpkit models`)');
    if (!v.data) throw new Error(`--data is required (${Object.keys(DATASETS).join(' or ')})`);
    const modelName = String(v.model);
    const dataName = String(v.data);
    const entry = models.get(modelName);
    const config = models.resolveConfig(modelName, modelConfig(v, sets));
    const epochs = int(v, 'epochs', 5);
    const batchSize = int(v, 'batch-size', 128);
    const lr = num(v, 'lr', 1e-3);
    const optName = String(v.optimizer ?? 'adamw');
    const wd = num(v, 'weight-decay', optName === 'adamw' ? 0.01 : 0);
    const seed = int(v, 'seed', 0);
    const valSize = int(v, 'val-size', 5000);
    const smoothing = num(v, 'label-smoothing', 0);
    const runDir = String(v['run-dir'] ?? join('runs', `${modelName}-${dataName}`));
    const quiet = Boolean(v.quiet);
    const monitor = String(v.monitor ?? 'val_loss');
    if (!MONITORS.includes(monitor)) throw new Error(`--monitor must be one of ${MONITORS.join(', ')}, got '${monitor}'`);
    if (valSize === 0 && v.monitor !== undefined) throw new Error('--monitor needs a validation set (--val-size > 0)');

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
    if (!quiet) console.error(`data: ${dataName} ${trainSet.length} train / ${valSet?.length ?? 0} val / ${test.length} test (${((performance.now() - t0) / 1000).toFixed(1)}s)`);

    const model = entry.create(config, new Generator(seed));
    const params = model.parameters();
    const optimizer = makeOptimizer(optName, params, lr, wd);
    const train = new DataLoader(trainSet, { batchSize, shuffle: true, seed: seed + 1 });
    const steps = epochs * train.length;
    const sched = String(v.schedule ?? 'cosine');
    let scheduler: LRScheduler | null = null;
    if (sched === 'cosine') scheduler = new WarmupCosineLR(optimizer, { warmupSteps: Math.round(num(v, 'warmup-epochs', 0) * train.length), totalSteps: steps });
    else if (sched === 'onecycle') scheduler = new OneCycleLR(optimizer, { maxLr: lr, totalSteps: steps });
    else if (sched !== 'none') throw new Error(`unknown schedule '${sched}' (known: cosine, onecycle, none)`);
    if (!quiet) console.error(`model: ${modelName} ${formatCount(params.reduce((s, p) => s + p.size, 0))} parameters, backend ${getBackend().name}; ${optName} lr ${lr}, ${sched} schedule, ${epochs} epochs of ${train.length} batches`);

    mkdirSync(runDir, { recursive: true });
    const runConfig = { model: modelName, config, data: dataName, epochs, batchSize, lr, optimizer: optName, weightDecay: wd, schedule: sched, seed, valSize, labelSmoothing: smoothing, monitor };
    writeFileSync(join(runDir, 'config.json'), `${JSON.stringify(runConfig, null, 2)}\n`);
    const result = await fit(model, {
      epochs,
      optimizer,
      scheduler,
      train,
      val: valSet ? new DataLoader(valSet, { batchSize: 1000 }) : null,
      test: new DataLoader(test, { batchSize: 1000 }),
      loss: (out, b) => crossEntropy(out, b.y, { labelSmoothing: smoothing }),
      metrics: ['accuracy'],
      gradClipNorm: v['grad-clip'] === undefined ? null : num(v, 'grad-clip', 0),
      patience: v.patience === undefined ? null : int(v, 'patience', 0),
      monitor: valSet ? monitor : undefined,
      runDir,
      resume: Boolean(v.resume),
      progress: !quiet,
    });
    const acc = result.test?.test_accuracy ?? NaN;
    const last = result.history[result.history.length - 1];
    const secs = result.history.reduce((s, h) => s + h.seconds, 0);
    console.log(`${modelName} on ${dataName}: test accuracy ${(acc * 100).toFixed(2)}% (best epoch ${result.bestEpoch ?? '-'} of ${result.history.length}; ${(secs / Math.max(result.history.length, 1)).toFixed(1)} s/epoch, ${last ? Math.round(last.samplesPerSecond) : 0} samples/s)`);
    console.log(`run folder: ${runDir} (config.json, log.jsonl, checkpoint.safetensors, best.safetensors, curves.svg)`);
    return 0;
  },
};

export const evalCommand: Command = {
  summary: 'evaluate trained weights on a dataset\'s test split',
  usage: [
    'Usage: mlpkit eval --run-dir DIR [--weights FILE]',
    '       mlpkit eval --model NAME --data mnist|fashion-mnist --weights FILE [--config cfg.json] [--set k=v]',
    '',
    'Prints test loss and accuracy (for a forecasting run folder: test MSE and MAE). With --run-dir,',
    'the model, config and data come from its config.json and the weights default to its',
    'best.safetensors.',
  ].join('\n'),
  run(argv) {
    const { rest, sets } = collectSets(argv);
    const { values: v } = parse('eval', rest, { 'run-dir': { type: 'string' }, model: { type: 'string' }, data: { type: 'string' }, weights: { type: 'string' }, config: { type: 'string' }, 'batch-size': { type: 'string' }, quiet: { type: 'boolean' } });
    let modelName: string;
    let dataName: string;
    let cfg: Record<string, unknown>;
    let weights = v.weights as string | undefined;
    if (v['run-dir']) {
      const run = readJson(join(String(v['run-dir']), 'config.json'), 'run config');
      if (run.seqLen !== undefined) return evalForecastRun(String(v['run-dir']), run, weights);
      modelName = String(run.model);
      dataName = String(run.data);
      cfg = { ...(run.config as Record<string, unknown>), ...modelConfig(v, sets) };
      weights ??= join(String(v['run-dir']), 'best.safetensors');
    } else {
      if (!v.model || !v.data || !weights) throw new Error('give --run-dir, or all of --model, --data and --weights');
      modelName = String(v.model);
      dataName = String(v.data);
      cfg = modelConfig(v, sets);
    }
    const entry = models.get(modelName);
    const config = models.resolveConfig(modelName, cfg);
    const model = entry.create(config);
    loadWeights(model, weights);
    const testSet = loadData(dataName, 'test');
    const test = new TensorDataset({ x: adaptInput(testSet.tensors.x, entry, config), y: testSet.tensors.y });
    const r = evaluate(model, new DataLoader(test, { batchSize: int(v, 'batch-size', 1000) }), {
      loss: (out, b) => crossEntropy(out, b.y),
      metrics: ['accuracy', 'top5'],
      progress: !v.quiet,
    });
    console.log(`${modelName} on ${dataName} test: loss ${r.loss.toFixed(4)}, accuracy ${(r.accuracy * 100).toFixed(2)}%, top-5 ${(r.top5 * 100).toFixed(2)}%`);
    return 0;
  },
};
