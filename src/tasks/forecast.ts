/**
 * The forecasting task: long-term forecasting under the standard protocol.
 * Loads a benchmark (or a CSV) — chronological split, train-only z-scores,
 * windows of seqLen → predLen, all channels in and out — builds a registered
 * forecaster for the data's shape, trains it with the reference recipe of
 * its family (every setting overridable; forecast_recipes.ts), stops early on
 * validation MSE, and tests the best-validation weights on every test window
 * (MSE and MAE on the normalised scale). The run folder gets config.json,
 * log.jsonl, checkpoints, curves.svg, results.json and forecast.svg (forecast
 * against truth for a few test windows, taken from the test pass itself).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getBackend } from '../backend/index.js';
import { DataLoader, Subset, type Batch } from '../data/index.js';
import { findBenchmark, loadForecastData, type ForecastData, type TimeFreq } from '../data/timeseries/index.js';
import * as models from '../models/index.js';
import { mseLoss } from '../ops/loss.js';
import { makeOptimizer, makeScheduler, type OptimizerName, type ScheduleName } from '../optim/factory.js';
import { Generator, manualSeed } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadWeights } from '../train/checkpoint.js';
import { evaluate, fit } from '../train/fit.js';
import { writeForecastSvg, type ForecastPanel } from '../train/plot.js';
import { openRunDir } from '../train/rundir.js';
import { checkOptionRanges } from './ranges.js';
import { recipeFor, type ForecastRecipe } from './forecast_recipes.js';
import { readRunConfig, type EvaluateOptions, type Task, type TaskOptions } from './task.js';

export interface ForecastOptions extends TaskOptions {
  /** Registered model whose task is 'forecast' (tsmixer, tsmixer_rev_in, patchtsmixer, timemixer, …). */
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
  optimizer?: OptimizerName;
  weightDecay?: number;
  adamEps?: number;
  schedule?: ScheduleName;
  pctStart?: number;
  gradClip?: number | null;
  patience?: number;
  dropLastTrain?: boolean;
  dropLastTest?: boolean;
  /** Run folder (default runs/<model>-<data>-<L>-<H>). */
  runDir?: string;
  /** Test windows drawn in forecast.svg (default 4; 0 for none). */
  plotWindows?: number;
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

/** Options that override the family's recipe, one for one. */
const RECIPE_OPTIONS = [
  'epochs', 'batchSize', 'lr', 'optimizer', 'weightDecay', 'adamEps', 'schedule', 'pctStart', 'gradClip', 'patience', 'dropLastTrain', 'dropLastTest',
] as const;

/** The keys of `o` among `keys` that are set (spread over defaults, undefined would erase them). */
function definedOf<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}

const DEFAULTS = { predLen: 96, seed: 0, plotWindows: 4 } as const satisfies Partial<ForecastOptions>;

/** Registered forecasters, by family (in registration order). */
function forecastFamilies(): string[] {
  return [...new Set(models.list().filter((e) => e.task === 'forecast').map((e) => e.family))];
}

/** The entry and its family's recipe, or an error saying the model is no forecaster. */
function forecaster(name: string, context = ''): { entry: models.ModelEntry; fam: NonNullable<ReturnType<typeof recipeFor>> } {
  const entry = models.get(name);
  const fam = entry.task === 'forecast' ? recipeFor(entry.family) : undefined;
  if (!fam) throw new Error(`${context}model '${name}' (family ${entry.family}) is not a forecasting model (forecasting families: ${forecastFamilies().join(', ')})`);
  return { entry, fam };
}

/** Inputs a model takes from a batch: the window, and its time marks for models whose config has a frequency. */
function forwardFor(model: models.RegisteredModel, usesMarks: boolean): (b: Batch) => Tensor {
  return usesMarks ? (b) => model.forward(b.x, b.xMark, b.yMark) : (b) => model.forward(b.x);
}

/** Metrics of `model` on windows [0, n) of a split, in batches of `batchSize`. */
function testMetrics(model: models.RegisteredModel, data: ForecastData['test'], forward: (b: Batch) => Tensor, n: number, batchSize: number): ForecastMetrics {
  const ds = n === data.length ? data : new Subset(data, Array.from({ length: n }, (_, i) => i));
  const r = evaluate(model, new DataLoader(ds, { batchSize }), { forward, metrics: ['mse', 'mae'] });
  return { mse: r.mse, mae: r.mae, windows: n };
}

/**
 * The last channel of `k` evenly spread test windows — look-back, truth and
 * forecast — collected from the test pass's batches as they go by, so the
 * plot shows exactly the forecasts that were scored.
 */
function panelCollector(data: ForecastData, k: number): { panels: ForecastPanel[]; onBatch: (out: Tensor, batch: Batch) => void } {
  const n = data.test.length;
  const idx = Array.from({ length: Math.max(k, 0) }, (_, i) => Math.floor(((i + 0.5) * n) / k));
  const c = data.columns.length;
  const ch = c - 1;
  // Batches hold [B, len, c] windows in row-major storage.
  const pick = (t: Tensor, b: number): number[] => {
    const len = t.shape[1];
    return Array.from({ length: len }, (_, i) => t.data[(b * len + i) * c + ch]);
  };
  const panels: ForecastPanel[] = [];
  let seen = 0; // windows before this batch: the test loader is not shuffled
  const onBatch = (out: Tensor, batch: Batch): void => {
    const m = batch.x.shape[0];
    for (const w of idx) {
      if (w >= seen && w < seen + m) panels.push({ title: `test window ${w}`, history: pick(batch.x, w - seen), truth: pick(batch.y, w - seen), forecast: pick(out, w - seen) });
    }
    seen += m;
  };
  return { panels, onBatch };
}

async function run(o: ForecastOptions): Promise<ForecastResult> {
  checkOptionRanges('forecast', o);
  const log = o.log ?? ((s: string) => console.log(s));
  const { entry, fam } = forecaster(o.model);
  // The spread is type-checked: each option must fit the recipe field it overrides.
  const r: ForecastRecipe = { ...fam.recipe, ...definedOf(o, RECIPE_OPTIONS) };
  const seqLen = o.seqLen ?? r.seqLen;
  const predLen = o.predLen ?? DEFAULTS.predLen;
  const seed = o.seed ?? DEFAULTS.seed;
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
  const optimizer = makeOptimizer(params, { name: r.optimizer, lr: r.lr, eps: r.adamEps, weightDecay: r.weightDecay });
  const train = new DataLoader(data.train, { batchSize: r.batchSize, shuffle: true, dropLast: r.dropLastTrain, seed: seed + 1 });
  if (train.length === 0) throw new Error(`${data.name}: ${data.train.length} training windows do not fill one batch of ${r.batchSize} (lower --batch-size)`);
  const scheduler = makeScheduler(optimizer, { name: r.schedule, totalSteps: r.epochs * train.length, maxLr: r.lr, pctStart: r.pctStart });
  const runDir = o.runDir ?? join('runs', `${o.model}-${data.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${seqLen}-${predLen}`);
  // Everything above is validated; only now is the run folder touched.
  openRunDir(runDir, { model: o.model, data: data.name, path: data.path, seqLen, predLen, seed, config, recipe: r }, { resume: o.resume, overwrite: o.overwrite });
  log(`model: ${o.model} ${nParams} parameters, backend ${getBackend().name}; ${r.optimizer} lr ${r.lr}, ${r.schedule} schedule, batch ${r.batchSize}, ≤${r.epochs} epochs, patience ${r.patience}`);

  const forward = forwardFor(model, Boolean(freqKey));
  const evalBatch = Math.max(r.batchSize, 256);
  const plot = panelCollector(data, o.plotWindows ?? DEFAULTS.plotWindows);
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
    onTestBatch: plot.onBatch,
  });
  const test = { mse: result.test!.test_mse, mae: result.test!.test_mae, windows: data.test.length };
  // The reference's drop_last test loader is a second protocol, not a subset of
  // the pass above: its batches are of the training batch size, and a model
  // whose output for a window depends on the rest of its batch (TimeMixer's
  // tiled time marks) gives other numbers in other batches.
  const kept = Math.floor(data.test.length / r.batchSize) * r.batchSize;
  const testDropLast = r.dropLastTest && kept < data.test.length && kept > 0 ? testMetrics(model, data.test, forward, kept, r.batchSize) : null;
  if (plot.panels.length) await writeForecastSvg(join(runDir, 'forecast.svg'), plot.panels, `${o.model} on ${data.name}, ${seqLen} → ${predLen}: ${data.columns[data.columns.length - 1]} (normalised)`);
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
 * Rebuild the model and the data windows from a run folder's config.json,
 * load the weights (default: the best validation epoch's) and score every
 * test window.
 */
async function evaluateRun(runDir: string, options: EvaluateOptions = {}): Promise<ForecastMetrics> {
  const run = readRunConfig(runDir);
  const name = String(run.model);
  const { entry, fam } = forecaster(name, `run folder '${runDir}': `);
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
  loadWeights(model, options.weights ?? join(runDir, 'best.safetensors'));
  const batch = Math.max(Number((run.recipe as ForecastRecipe | undefined)?.batchSize ?? 32), 256);
  const m = testMetrics(model, data.test, forwardFor(model, Boolean(freqKey)), data.test.length, batch);
  (options.log ?? ((s: string) => console.log(s)))(`${name} on ${String(run.data)} ${String(run.seqLen)}→${String(run.predLen)} test: MSE ${m.mse.toFixed(4)}, MAE ${m.mae.toFixed(4)} over ${m.windows} windows`);
  return m;
}

/**
 * Long-term forecasting. Options left out take the model family's reference
 * recipe (forecast_recipes.ts); `config` may set any model key except those
 * the data fixes (look-back, horizon, channels).
 * @example
 * import { tasks } from 'mlpkit';
 * const r = await tasks.forecast.run({ model: 'timemixer', data: 'ETTh1', predLen: 96 });
 * r.test.mse; // ≈ 0.38
 * await tasks.forecast.evaluate(r.runDir); // the best weights, scored again
 */
export const forecast: Task<ForecastOptions, ForecastResult, ForecastMetrics> = {
  name: 'forecast',
  description: 'long-term forecasting (ETT, Weather, Exchange or a CSV): test MSE/MAE with the best validation epoch',
  defaults: DEFAULTS,
  run,
  evaluate: evaluateRun,
};
