/**
 * The long-term-forecasting benchmarks (ETTh1, ETTh2, ETTm1, ETTm2, Weather,
 * Exchange) and any CSV of the same layout, loaded under the standard
 * protocol (see ./protocol.ts) into train/val/test window datasets.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveDataDir } from './datadir.js';
import { applyScaler, fitScaler, RATIO_70_10_20, splitBorders, type Scaler, type SplitBorders, type SplitRule } from './protocol.js';
import { readTimeSeries } from './series.js';
import { numTimeFeatures, timeFeatures, type TimeFreq } from './timefeatures.js';
import { WindowDataset } from './windows.js';

export interface Benchmark {
  name: string;
  /** Path inside the data folder, without the optional .gz. */
  file: string;
  split: SplitRule;
  description: string;
}

/** The benchmarks of the long-term-forecasting papers present in shared/data (SOURCE.md in each folder). */
export const BENCHMARKS: readonly Benchmark[] = [
  { name: 'ETTh1', file: 'ett/ETTh1.csv', split: { kind: 'ett-hour' }, description: 'electricity transformer 1, hourly, 7 channels' },
  { name: 'ETTh2', file: 'ett/ETTh2.csv', split: { kind: 'ett-hour' }, description: 'electricity transformer 2, hourly, 7 channels' },
  { name: 'ETTm1', file: 'ett/ETTm1.csv', split: { kind: 'ett-minute' }, description: 'electricity transformer 1, 15-minute, 7 channels' },
  { name: 'ETTm2', file: 'ett/ETTm2.csv', split: { kind: 'ett-minute' }, description: 'electricity transformer 2, 15-minute, 7 channels' },
  { name: 'Weather', file: 'weather/weather.csv', split: RATIO_70_10_20, description: 'Jena weather 2020, 10-minute, 21 channels' },
  { name: 'Exchange', file: 'lstnet/exchange_rate.csv', split: RATIO_70_10_20, description: 'daily exchange rates of 8 countries (Autoformer layout)' },
];

const ALIASES: Record<string, string> = { exchange_rate: 'Exchange', 'exchange-rate': 'Exchange' };

/** A benchmark by name (case-insensitive), or undefined. */
export function findBenchmark(name: string): Benchmark | undefined {
  const key = (ALIASES[name.toLowerCase()] ?? name).toLowerCase();
  return BENCHMARKS.find((b) => b.name.toLowerCase() === key);
}

export interface ForecastDataOptions {
  /** A benchmark name (ETTh1, Weather, …) or the path of a CSV with a `date` column plus numeric columns. */
  data: string;
  /** Data folder for benchmark names (default: MLPKIT_DATA, then ../shared/data beside the checkout). */
  dataDir?: string | null;
  seqLen: number;
  predLen: number;
  /** Override the split (a CSV path defaults to 70/10/20). */
  split?: SplitRule;
  /** Column moved last as the target (default 'OT'). */
  target?: string | null;
  /** Add calendar covariates at this frequency (TimeMixer's timeF); null for none. */
  timeFeatures?: TimeFreq | null;
}

export interface ForecastData {
  name: string;
  /** The file that was read. */
  path: string;
  columns: string[];
  /** Rows of the whole series. */
  length: number;
  borders: SplitBorders;
  scaler: Scaler;
  train: WindowDataset;
  val: WindowDataset;
  test: WindowDataset;
  numTimeFeatures: number;
}

function benchmarkPath(dir: string, b: Benchmark): string {
  for (const p of [join(dir, b.file), join(dir, `${b.file}.gz`)]) if (existsSync(p)) return p;
  throw new Error(`benchmark '${b.name}': neither ${b.file} nor ${b.file}.gz is in the data folder '${dir}'`);
}

/**
 * Load a forecasting data set under the standard protocol ('M': all columns
 * in, all columns out).
 * @example
 * const d = loadForecastData({ data: 'ETTh1', seqLen: 96, predLen: 96 });
 * d.train.length; // 8640 − 96 − 96 + 1 = 8449 windows
 * d.test.get(0);  // { x: [96, 7], y: [96, 7] }, normalised with the train rows' mean and std
 */
export function loadForecastData(opts: ForecastDataOptions): ForecastData {
  const bench = findBenchmark(opts.data);
  let path: string;
  let split: SplitRule;
  if (bench) {
    path = benchmarkPath(resolveDataDir(opts.dataDir).path, bench);
    split = opts.split ?? bench.split;
  } else if (/\.csv(\.gz)?$/i.test(opts.data) || opts.data.includes('/')) {
    path = resolve(opts.data);
    if (!existsSync(path)) throw new Error(`data file '${path}' does not exist`);
    split = opts.split ?? RATIO_70_10_20;
  } else {
    throw new Error(`unknown data set '${opts.data}' (benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}; or give the path of a CSV with a date column)`);
  }
  const series = readTimeSeries(path, { target: opts.target });
  const k = series.columns.length;
  const borders = splitBorders(split, series.length, opts.seqLen);
  const scaler = fitScaler(series.values, k, borders.train[0], borders.train[1]);
  const normalised = applyScaler(series.values, k, scaler);
  const freq = opts.timeFeatures ?? null;
  const marks = freq ? timeFeatures(series.dates, freq, path) : null;
  const f = freq ? numTimeFeatures(freq) : 0;
  const make = ([s, e]: [number, number], what: string): WindowDataset => {
    try {
      return new WindowDataset({
        values: normalised.subarray(s * k, e * k),
        channels: k,
        seqLen: opts.seqLen,
        predLen: opts.predLen,
        marks: marks ? marks.subarray(s * f, e * f) : null,
        numMarks: f,
      });
    } catch (err) {
      throw new Error(`${bench?.name ?? path}: the ${what} split (rows ${s}–${e}) is too short: ${(err as Error).message}`);
    }
  };
  return {
    name: bench?.name ?? path,
    path,
    columns: series.columns,
    length: series.length,
    borders,
    scaler,
    train: make(borders.train, 'train'),
    val: make(borders.val, 'val'),
    test: make(borders.test, 'test'),
    numTimeFeatures: f,
  };
}
