/**
 * Time-series forecasting data: the ETT, Weather and Exchange benchmarks (or
 * any CSV with a date column) under the long-term-forecasting protocol —
 * chronological splits, train-only z-scores, sliding windows, calendar
 * covariates — and the data-folder lookup.
 */
export { resolveDataDir, packageRoot } from './datadir.js';
export type { DataDir } from './datadir.js';
export { readTimeSeries } from './series.js';
export type { TimeSeries, ReadSeriesOptions } from './series.js';
export { splitBorders, fitScaler, applyScaler, invertScaler, RATIO_70_10_20 } from './protocol.js';
export type { SplitRule, SplitBorders, Scaler } from './protocol.js';
export { timeFeatures, numTimeFeatures, parseStamp } from './timefeatures.js';
export type { TimeFreq } from './timefeatures.js';
export { WindowDataset } from './windows.js';
export type { WindowSample, WindowDatasetOptions } from './windows.js';
export { BENCHMARKS, findBenchmark, loadForecastData } from './forecast.js';
export type { Benchmark, ForecastData, ForecastDataOptions } from './forecast.js';
