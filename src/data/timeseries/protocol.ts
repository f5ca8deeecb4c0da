/**
 * The long-term-forecasting protocol of Informer, Autoformer and the papers
 * after them (TSMixer, PatchTST, TimeMixer, …), as their reference data
 * loaders implement it:
 *  - a chronological split: ETT by months of 30 days (12 train / 4 val / 4 test;
 *    rows after the test block unused), every other data set 70/10/20 with
 *    train = ⌊0.7n⌋, test = ⌊0.2n⌋ and val the rest;
 *  - the val and test slices start `seqLen` rows early, so the first target of
 *    each is the first row of its block;
 *  - a per-column z-score (population std, as sklearn's StandardScaler) fitted
 *    on the train rows only and applied to every split; metrics are reported
 *    on this normalised scale.
 */

/** How the rows are split: ETT's month blocks (hourly or 15-minute rows) or train/test fractions. */
export type SplitRule =
  | { kind: 'ett-hour' }
  | { kind: 'ett-minute' }
  | { kind: 'ratio'; train: number; test: number };

export const RATIO_70_10_20: SplitRule = { kind: 'ratio', train: 0.7, test: 0.2 };

/** Half-open row ranges [start, end) of each split, look-back rows included. */
export interface SplitBorders {
  train: [number, number];
  val: [number, number];
  test: [number, number];
}

/**
 * Row borders of the three splits for a series of `n` rows and look-back `seqLen`.
 * @example splitBorders({ kind: 'ett-hour' }, 17420, 96) // train [0, 8640], val [8544, 11520], test [11424, 14400]
 */
export function splitBorders(rule: SplitRule, n: number, seqLen: number): SplitBorders {
  let trainEnd: number;
  let valEnd: number;
  let testEnd: number;
  if (rule.kind === 'ett-hour' || rule.kind === 'ett-minute') {
    const perDay = rule.kind === 'ett-hour' ? 24 : 96;
    trainEnd = 12 * 30 * perDay;
    valEnd = trainEnd + 4 * 30 * perDay;
    testEnd = valEnd + 4 * 30 * perDay;
    if (n < testEnd) throw new Error(`split '${rule.kind}' needs at least ${testEnd} rows (20 months), the series has ${n}`);
  } else {
    if (!(rule.train > 0 && rule.test > 0 && rule.train + rule.test < 1)) {
      throw new Error(`split fractions must be positive with train + test < 1, got train ${rule.train}, test ${rule.test}`);
    }
    // Same float arithmetic as the reference's int(len * 0.7).
    const numTrain = Math.floor(n * rule.train);
    const numTest = Math.floor(n * rule.test);
    trainEnd = numTrain;
    valEnd = n - numTest;
    testEnd = n;
  }
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new Error(`look-back length must be a positive integer, got ${seqLen}`);
  if (trainEnd - seqLen < 0) throw new Error(`look-back ${seqLen} is longer than the ${trainEnd} training rows`);
  return { train: [0, trainEnd], val: [trainEnd - seqLen, valEnd], test: [valEnd - seqLen, testEnd] };
}

/** Per-column z-score parameters. */
export interface Scaler {
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Fit a per-column z-score on rows [start, end) of row-major `values` [n, k]
 * (float64 sums; population std; a constant column gets std 1, as sklearn).
 */
export function fitScaler(values: Float64Array, k: number, start: number, end: number): Scaler {
  const rows = end - start;
  if (rows < 1) throw new Error(`fitScaler: no rows to fit on ([${start}, ${end}))`);
  const mean = new Float64Array(k);
  const std = new Float64Array(k);
  for (let r = start; r < end; r++) for (let j = 0; j < k; j++) mean[j] += values[r * k + j];
  for (let j = 0; j < k; j++) mean[j] /= rows;
  for (let r = start; r < end; r++) {
    for (let j = 0; j < k; j++) {
      const d = values[r * k + j] - mean[j];
      std[j] += d * d;
    }
  }
  for (let j = 0; j < k; j++) {
    const s = Math.sqrt(std[j] / rows);
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** (values − mean) / std per column, as float32 (the models' dtype). */
export function applyScaler(values: Float64Array, k: number, { mean, std }: Scaler): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const j = i % k;
    out[i] = (values[i] - mean[j]) / std[j];
  }
  return out;
}

/** Back to the original units: x · std + mean per column (x row-major [..., k]). */
export function invertScaler(x: ArrayLike<number>, k: number, { mean, std }: Scaler): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * std[i % k] + mean[i % k];
  return out;
}
