/**
 * The forecasting task: `mlpkit train --task forecast --model tsmixer_rev_in
 * --data ETTh1 --seq-len 512 --pred-len 96 …`. Loads a benchmark (or a CSV)
 * under the long-term-forecasting protocol, trains with the reference's
 * recipe for the model family (every setting overridable), stops early on
 * validation MSE, evaluates the best-validation weights on the test windows
 * (MSE and MAE on the normalised scale) and draws forecasts against truth.
 *
 * Entry points: `runForecast(options)` for parsed options (returns the
 * numbers), `forecastTask(argv)` for a command line (prints them).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../autograd/mode.js';
import { getBackend } from '../backend/index.js';
import { DataLoader, Subset } from '../data/index.js';
import type { Batch } from '../data/index.js';
import { findBenchmark, loadForecastData, writeForecastSvg, type ForecastData, type TimeFreq } from '../data/timeseries/index.js';
import * as models from '../models/index.js';
import '../models/timeseries/index.js';
import { recipeFor, type ForecastRecipe } from '../models/timeseries/recipes.js';
import type { AnyModule } from '../nn/module.js';
import { mseLoss } from '../ops/loss.js';
import { Adam, AdamW, LambdaLR, OneCycleLR, type LRScheduler, type Optimizer } from '../optim/index.js';
import { Generator, manualSeed } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate, fit } from '../train/fit.js';
import { collectSets, int, loadWeights, modelConfig, num, parse, TRAINING_OPTIONS } from './args.js';

export interface ForecastOptions {
  /** Registered model: tsmixer, tsmixer_rev_in, patchtsmixer, timemixer. */
  model: string;
  /** Benchmark (ETTh1, ETTh2, ETTm1, ETTm2, Weather, Exchange) or a CSV path. */
  data: string;
  /** Data folder (default: MLPKIT_DATA, then ../shared/data beside the checkout). */
  dataDir?: string | null;
  /** Look-back L (default: the recipe's). */
  seqLen?: number;
  /** Horizon H (default 96). */
  predLen?: number;
  /** Model config overrides (the data's shape keys are filled in from the data). */
  config?: Record<string, unknown>;
  /** Training settings; each defaults to the model family's reference recipe. */
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: 'adam' | 'adamw';
  weightDecay?: number;
  adamEps?: number;
  schedule?: 'constant' | 'linear' | 'onecycle';
  pctStart?: number;
  gradClip?: number | null;
  patience?: number;
  dropLastTrain?: boolean;
  dropLastTest?: boolean;
  seed?: number;
  /** Run folder (default runs/<model>-<data>-<L>-<H>). */
  runDir?: string;
  resume?: boolean;
  /** Progress bars on stderr (default true). */
  progress?: boolean;
  /** Test windows drawn in forecast.svg (default 4; 0 for none). */
  plotWindows?: number;
  /** Print a summary to stdout (default true). */
  log?: (line: string) => void;
}

export interface ForecastMetrics {
  mse: number;
  mae: number;
  windows: number;
}

export interface ForecastResult {
  model: string;
  data: string;
  seqLen: number;
  predLen: number;
  config: models.ModelConfig;
  recipe: ForecastRecipe;
  parameters: number;
  /** Test metrics over every test window, best-validation weights. */
  test: ForecastMetrics;
  /** The same over the windows the reference's drop_last test loader keeps (when its recipe drops them). */
  testDropLast: ForecastMetrics | null;
  bestEpoch: number | null;
  bestValMse: number | null;
  epochsRun: number;
  seconds: number;
  runDir: string;
}

/** Inputs a model takes from a batch: time marks for models whose config has a frequency. */
function forwardFor(model: AnyModule, usesMarks: boolean): (b: Batch) => Tensor {
  return usesMarks ? (b) => model.forward(b.x, b.xMark ?? null, b.yMark ?? null) as Tensor : (b) => model.forward(b.x) as Tensor;
}

function makeOptimizer(r: ForecastRecipe, params: Tensor[]): Optimizer {
  if (r.optimizer === 'adam') return new Adam(params, { lr: r.lr, eps: r.adamEps, weightDecay: r.weightDecay });
  if (r.optimizer === 'adamw') return new AdamW(params, { lr: r.lr, eps: r.adamEps, weightDecay: r.weightDecay });
  throw new Error(`unknown optimizer '${r.optimizer as string}' (known: adam, adamw)`);
}

function makeScheduler(r: ForecastRecipe, opt: Optimizer, stepsPerEpoch: number): LRScheduler | null {
  const total = r.epochs * stepsPerEpoch;
  if (r.schedule === 'constant') return null;
  if (r.schedule === 'linear') return new LambdaLR(opt, (step) => Math.max(0, (total - step) / total));
  if (r.schedule === 'onecycle') return new OneCycleLR(opt, { maxLr: r.lr, totalSteps: total, pctStart: r.pctStart });
  throw new Error(`unknown schedule '${r.schedule as string}' (known: constant, linear, onecycle)`);
}

/** Metrics of `model` on windows [0, n) of a split. */
function testMetrics(model: AnyModule, data: ForecastData['test'], forward: (b: Batch) => Tensor, n: number, batchSize: number): ForecastMetrics {
  const ds = n === data.length ? data : new Subset(data, Array.from({ length: n }, (_, i) => i));
  const r = evaluate(model, new DataLoader(ds, { batchSize }), { forward, metrics: ['mse', 'mae'] });
  return { mse: r.mse, mae: r.mae, windows: n };
}

/** Draw the last channel's forecast for `k` evenly spread test windows. */
async function plotForecasts(path: string, model: AnyModule, data: ForecastData, forward: (b: Batch) => Tensor, k: number, title: string): Promise<void> {
  if (k <= 0) return;
  const n = data.test.length;
  const idx = Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * n) / k));
  const batch = data.test.getBatch(Int32Array.from(idx));
  model.eval();
  const out = noGrad(() => forward(batch));
  const c = data.columns.length;
  const ch = c - 1;
  const pick = (t: Tensor, b: number): number[] => {
    const len = t.shape[1];
    return Array.from({ length: len }, (_, i) => t.data[(b * len + i) * c + ch]);
  };
  const panels = idx.map((w, b) => ({ title: `test window ${w}`, history: pick(batch.x, b), truth: pick(batch.y, b), forecast: pick(out, b) }));
  await writeForecastSvg(path, panels, `${title}: ${data.columns[ch]} (normalised)`);
}

/**
 * Train and test a forecaster.
 * @example
 * const r = await runForecast({ model: 'timemixer', data: 'ETTh1', predLen: 96 });
 * r.test.mse; // ≈ 0.38
 */
export async function runForecast(o: ForecastOptions): Promise<ForecastResult> {
  const log = o.log ?? ((s: string) => console.log(s));
  const entry = models.get(o.model);
  const fam = recipeFor(entry.family);
  if (!fam) throw new Error(`model '${o.model}' (family ${entry.family}) is not a forecasting model (forecasting families: tsmixer, patchtsmixer, timemixer)`);
  const r: ForecastRecipe = { ...fam.recipe };
  const over = <K extends keyof ForecastRecipe>(k: K, v: ForecastRecipe[K] | undefined): void => {
    if (v !== undefined) r[k] = v;
  };
  over('epochs', o.epochs);
  over('batchSize', o.batchSize);
  over('lr', o.lr);
  over('optimizer', o.optimizer);
  over('weightDecay', o.weightDecay);
  over('adamEps', o.adamEps);
  over('schedule', o.schedule);
  over('pctStart', o.pctStart);
  over('gradClip', o.gradClip);
  over('patience', o.patience);
  over('dropLastTrain', o.dropLastTrain);
  over('dropLastTest', o.dropLastTest);
  const seqLen = o.seqLen ?? r.seqLen;
  const predLen = o.predLen ?? 96;
  const seed = o.seed ?? 0;
  manualSeed(seed);

  const userConfig = { ...(o.config ?? {}) };
  const shapeKeys = [fam.keys.seqLen, fam.keys.predLen, ...fam.keys.channels].filter((k) => k in userConfig);
  if (shapeKeys.length) {
    throw new Error(`${shapeKeys.join(', ')} come${shapeKeys.length > 1 ? '' : 's'} from the data: set the look-back and horizon with --seq-len and --pred-len, the channels follow the data set`);
  }
  const freqKey = fam.keys.freq;
  const freq = (freqKey ? (userConfig[freqKey] ?? entry.defaults[freqKey]) : null) as TimeFreq | null;
  const t0 = performance.now();
  const data = loadForecastData({ data: o.data, dataDir: o.dataDir, seqLen, predLen, timeFeatures: freq });
  const config = models.resolveConfig(o.model, {
    ...userConfig,
    [fam.keys.seqLen]: seqLen,
    [fam.keys.predLen]: predLen,
    ...Object.fromEntries(fam.keys.channels.map((k) => [k, data.columns.length])),
  });
  const progress = o.progress ?? true;
  log(
    `data: ${data.name} (${data.columns.length} channels, ${data.length} rows): ${data.train.length} train / ${data.val.length} val / ${data.test.length} test windows of ${seqLen} → ${predLen} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const model = entry.create(config, new Generator(seed));
  const params = model.parameters();
  const nParams = params.reduce((s, p) => s + p.size, 0);
  const optimizer = makeOptimizer(r, params);
  const train = new DataLoader(data.train, { batchSize: r.batchSize, shuffle: true, dropLast: r.dropLastTrain, seed: seed + 1 });
  if (train.length === 0) throw new Error(`${data.name}: ${data.train.length} training windows do not fill one batch of ${r.batchSize} (lower --batch-size)`);
  const scheduler = makeScheduler(r, optimizer, train.length);
  const runDir = o.runDir ?? join('runs', `${o.model}-${data.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${seqLen}-${predLen}`);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'config.json'), `${JSON.stringify({ model: o.model, data: data.name, path: data.path, seqLen, predLen, seed, config, recipe: r }, null, 2)}\n`);
  log(`model: ${o.model} ${nParams} parameters, backend ${getBackend().name}; ${r.optimizer} lr ${r.lr}, ${r.schedule} schedule, batch ${r.batchSize}, ≤${r.epochs} epochs, patience ${r.patience}`);

  const forward = forwardFor(model, Boolean(freqKey));
  const evalBatch = Math.max(r.batchSize, 256);
  const result = await fit(model, {
    epochs: r.epochs,
    optimizer,
    scheduler,
    schedulerInterval: 'batch',
    train,
    val: new DataLoader(data.val, { batchSize: evalBatch }),
    loss: (out, b) => mseLoss(out, b.y),
    forward,
    metrics: ['mse', 'mae'],
    monitor: 'val_loss',
    patience: r.patience,
    gradClipNorm: r.gradClip,
    runDir,
    resume: o.resume ?? false,
    progress,
    // best.safetensors (the best validation epoch) is loaded before the test below.
    test: new DataLoader(data.test, { batchSize: evalBatch }),
  });
  const test = { mse: result.test!.test_mse, mae: result.test!.test_mae, windows: data.test.length };
  const kept = Math.floor(data.test.length / r.batchSize) * r.batchSize;
  const testDropLast = r.dropLastTest && kept < data.test.length && kept > 0 ? testMetrics(model, data.test, forward, kept, r.batchSize) : null;
  await plotForecasts(join(runDir, 'forecast.svg'), model, data, forward, o.plotWindows ?? 4, `${o.model} on ${data.name}, ${seqLen} → ${predLen}`);
  const seconds = result.history.reduce((s, h) => s + h.seconds, 0);
  const bestRecord = result.history.find((h) => h.epoch === result.bestEpoch);
  const out: ForecastResult = {
    model: o.model,
    data: data.name,
    seqLen,
    predLen,
    config,
    recipe: r,
    parameters: nParams,
    test,
    testDropLast,
    bestEpoch: result.bestEpoch,
    bestValMse: bestRecord ? bestRecord.val_mse : null,
    epochsRun: result.history.length,
    seconds,
    runDir,
  };
  writeFileSync(join(runDir, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  log(`${o.model} on ${data.name} ${seqLen}→${predLen}: test MSE ${test.mse.toFixed(4)}, MAE ${test.mae.toFixed(4)} over ${test.windows} windows (best epoch ${result.bestEpoch ?? '-'} of ${result.history.length}, val MSE ${out.bestValMse?.toFixed(4) ?? '-'}; ${(seconds / 60).toFixed(1)} min)`);
  if (testDropLast) log(`  as the reference's drop_last test loader (first ${testDropLast.windows} windows): MSE ${testDropLast.mse.toFixed(4)}, MAE ${testDropLast.mae.toFixed(4)}`);
  log(`run folder: ${runDir} (config.json, results.json, log.jsonl, best.safetensors, curves.svg, forecast.svg)`);
  return out;
}

/**
 * `mlpkit eval --run-dir DIR` for a forecasting run: rebuild the model and the
 * data windows from DIR/config.json, load the weights (default: the best
 * validation epoch's) and print test MSE and MAE over every test window.
 */
export function evalForecastRun(runDir: string, run: Record<string, unknown>, weights?: string): number {
  const name = String(run.model);
  const entry = models.get(name);
  const fam = recipeFor(entry.family);
  if (!fam) throw new Error(`run folder '${runDir}': model '${name}' is not a forecasting model`);
  const config = models.resolveConfig(name, run.config as Record<string, unknown>);
  const freqKey = fam.keys.freq;
  // The file the run read, split as its benchmark is; else the benchmark by name from the data folder.
  const bench = findBenchmark(String(run.data));
  const file = typeof run.path === 'string' && existsSync(run.path) ? run.path : null;
  const data = loadForecastData({
    data: file ?? String(run.data), split: file && bench ? bench.split : undefined, seqLen: Number(run.seqLen), predLen: Number(run.predLen),
    timeFeatures: freqKey ? (config[freqKey] as TimeFreq) : null,
  });
  const model = entry.create(config);
  loadWeights(model, weights ?? join(runDir, 'best.safetensors'));
  const batch = Math.max(Number((run.recipe as ForecastRecipe | undefined)?.batchSize ?? 32), 256);
  const m = testMetrics(model, data.test, forwardFor(model, Boolean(freqKey)), data.test.length, batch);
  console.log(`${name} on ${String(run.data)} ${String(run.seqLen)}→${String(run.predLen)} test: MSE ${m.mse.toFixed(4)}, MAE ${m.mae.toFixed(4)} over ${m.windows} windows`);
  return 0;
}

export const FORECAST_USAGE = [
  'Usage: mlpkit train --task forecast --model NAME --data NAME|FILE.csv [options]',
  '',
  'Long-term forecasting under the standard protocol: chronological split (ETT 12/4/4 months, others',
  '70/10/20), z-score fitted on the train rows, windows of --seq-len → --pred-len, all channels in and',
  'out. Trains with the reference recipe of the model family, stops early on validation MSE, and reports',
  'test MSE/MAE (normalised scale) with the best-validation weights.',
  '',
  '  --model NAME         tsmixer, tsmixer_rev_in, patchtsmixer, timemixer',
  '  --data NAME|FILE     ETTh1, ETTh2, ETTm1, ETTm2, Weather, Exchange, or a CSV with a date column',
  '  --data-dir DIR       folder of the benchmarks (default: $MLPKIT_DATA, else ../shared/data beside the checkout)',
  '  --seq-len N          look-back (default: the recipe\'s: 512 TSMixer/PatchTSMixer, 96 TimeMixer)',
  '  --pred-len N         horizon (default 96)',
  '  --config FILE        model config (JSON), --set key=value overrides one key (repeatable)',
  '  --epochs N --batch-size N --lr X --optimizer adam|adamw --weight-decay X --adam-eps X',
  '  --schedule constant|linear|onecycle --pct-start X --grad-clip X|none --patience N',
  '  --drop-last-train true|false --drop-last-test true|false',
  '  --seed N             seeds initialisation, shuffling and dropout (default 0)',
  '  --run-dir DIR        (default runs/<model>-<data>-<L>-<H>)',
  '  --resume             continue the run in --run-dir',
  '  --plot-windows N     test windows drawn in forecast.svg (default 4)',
  '  --quiet              no progress bars',
].join('\n');

const options = {
  ...TRAINING_OPTIONS,
  task: { type: 'string' },
  'data-dir': { type: 'string' },
  'seq-len': { type: 'string' },
  'pred-len': { type: 'string' },
  'adam-eps': { type: 'string' },
  'pct-start': { type: 'string' },
  'drop-last-train': { type: 'string' },
  'drop-last-test': { type: 'string' },
  'plot-windows': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function bool(v: Record<string, unknown>, key: string): boolean | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw new Error(`--${key} must be true or false, got '${String(s)}'`);
}

/** Parse a `train --task forecast` command line into options (throws naming a bad flag). */
export function parseForecastArgs(argv: string[]): ForecastOptions {
  const { rest, sets } = collectSets(argv);
  const { values: v } = parse('train --task forecast', rest, options);
  if (!v.model) throw new Error('--model is required (tsmixer, tsmixer_rev_in, patchtsmixer, timemixer)');
  if (!v.data) throw new Error('--data is required (ETTh1, ETTh2, ETTm1, ETTm2, Weather, Exchange, or a CSV path)');
  const opt = <T>(key: string, f: (vals: Record<string, unknown>, k: string, d: number) => T): T | undefined => (v[key] === undefined ? undefined : f(v, key, 0));
  const clip = v['grad-clip'];
  return {
    model: String(v.model),
    data: String(v.data),
    dataDir: v['data-dir'] === undefined ? null : String(v['data-dir']),
    seqLen: opt('seq-len', int),
    predLen: opt('pred-len', int),
    config: modelConfig(v, sets),
    epochs: opt('epochs', int),
    batchSize: opt('batch-size', int),
    lr: opt('lr', num),
    optimizer: v.optimizer === undefined ? undefined : (String(v.optimizer) as ForecastOptions['optimizer']),
    weightDecay: opt('weight-decay', num),
    adamEps: opt('adam-eps', num),
    schedule: v.schedule === undefined ? undefined : (String(v.schedule) as ForecastOptions['schedule']),
    pctStart: opt('pct-start', num),
    gradClip: clip === undefined ? undefined : clip === 'none' ? null : num(v, 'grad-clip', 0),
    patience: opt('patience', int),
    dropLastTrain: bool(v, 'drop-last-train'),
    dropLastTest: bool(v, 'drop-last-test'),
    seed: opt('seed', int),
    runDir: v['run-dir'] === undefined ? undefined : String(v['run-dir']),
    resume: Boolean(v.resume),
    progress: !v.quiet,
    plotWindows: opt('plot-windows', int),
  };
}

/** `mlpkit train --task forecast …` from its argument list; returns the exit code. */
export async function forecastTask(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(FORECAST_USAGE);
    return 0;
  }
  await runForecast(parseForecastArgs(argv));
  return 0;
}
