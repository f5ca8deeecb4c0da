/**
 * A multivariate time series read from a CSV of the long-term-forecasting
 * layout: a `date` column plus numeric columns (ETT, Weather, Exchange, or
 * any file shaped like them), plain or gzip-compressed.
 */
import { readCsv } from '../../io/read.js';
import { FormatError } from '../../io/errors.js';

export interface TimeSeries {
  /** The file it came from (for messages). */
  name: string;
  /** Raw timestamp strings, one per row. */
  dates: string[];
  /** Numeric column names, in model-channel order. */
  columns: string[];
  /** Values, row-major [length, columns.length], float64 as parsed. */
  values: Float64Array;
  length: number;
}

export interface ReadSeriesOptions {
  /** Name of the timestamp column (default 'date'). */
  dateColumn?: string;
  /**
   * The forecasting target. When present and not already last it is moved
   * to the last channel, as the reference loaders (Autoformer's
   * `Dataset_Custom`) do; default 'OT'. Null keeps the file's order.
   */
  target?: string | null;
}

/**
 * Read a forecasting CSV. Every column except the date column must be
 * numeric: a field that is not a number is a FormatError naming the file,
 * line and column. Missing-value sentinels such as Weather's -9999 are
 * numbers and stay in, as the benchmark protocol keeps them.
 * @example
 * const s = readTimeSeries('ett/ETTh1.csv'); // s.columns: HUFL … OT, s.length 17420
 */
export function readTimeSeries(path: string, opts: ReadSeriesOptions = {}): TimeSeries {
  const dateColumn = opts.dateColumn ?? 'date';
  const target = opts.target === undefined ? 'OT' : opts.target;
  const table = readCsv(path);
  if (!table.columns.includes(dateColumn)) {
    throw new FormatError(path, `has no '${dateColumn}' column (columns: ${table.columns.join(', ')}); a forecasting CSV needs a date column plus numeric columns`, { line: 1 });
  }
  let columns = table.columns.filter((c) => c !== dateColumn);
  if (columns.length === 0) throw new FormatError(path, `has no numeric columns besides '${dateColumn}'`, { line: 1 });
  if (target !== null && columns.includes(target)) columns = [...columns.filter((c) => c !== target), target];
  const n = table.rowCount;
  if (n === 0) throw new FormatError(path, 'has a header but no data rows');
  const k = columns.length;
  const values = new Float64Array(n * k);
  columns.forEach((c, j) => {
    const col = table.numbers(c); // throws naming line and column for a non-number
    for (let r = 0; r < n; r++) values[r * k + j] = col[r];
  });
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const r = Math.floor(i / k);
      throw new FormatError(path, `value ${values[i]} is not finite`, { line: r + 2, column: columns[i % k] });
    }
  }
  return { name: path, dates: table.strings(dateColumn), columns, values, length: n };
}
