/** The long-term-forecasting protocol: splits, scaling, windows, calendar features and the benchmark files. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataLoader } from '../../src/data/index.js';
import {
  applyScaler,
  fitScaler,
  loadForecastData,
  packageRoot,
  readTimeSeries,
  resolveDataDir,
  splitBorders,
  timeFeatures,
  WindowDataset,
} from '../../src/data/timeseries/index.js';
import { BENCHMARK_DIR, BENCHMARKS } from '../data-sources.js';
import { loadFixture } from '../helpers.js';

const DEFAULT_DATA = resolve(packageRoot(), '..', 'shared', 'data');
const DATA = BENCHMARK_DIR;

function tmpCsv(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlpkit-ts-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A CSV of `n` hourly rows with columns a, OT, b (OT not last, to check the reordering). */
function syntheticCsv(n: number): string {
  const rows = ['date,a,OT,b'];
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2020, 0, 1, i));
    const stamp = d.toISOString().replace('T', ' ').slice(0, 19);
    rows.push(`${stamp},${i},${Math.sin(i / 5).toFixed(4)},${(i % 7) * 2}`);
  }
  return tmpCsv('synthetic.csv', `${rows.join('\r\n')}\r\n`);
}

describe('protocol', () => {
  it('ETT borders: 12/4/4 months of 30 days, val and test starting L rows early', () => {
    expect(splitBorders({ kind: 'ett-hour' }, 17420, 96)).toEqual({ train: [0, 8640], val: [8544, 11520], test: [11424, 14400] });
    expect(splitBorders({ kind: 'ett-minute' }, 69680, 512)).toEqual({ train: [0, 34560], val: [34048, 46080], test: [45568, 57600] });
    expect(() => splitBorders({ kind: 'ett-hour' }, 14000, 96)).toThrow(/needs at least 14400 rows/);
  });

  it('70/10/20 borders with train = ⌊0.7n⌋ and test = ⌊0.2n⌋ (the sizes in the data SOURCE.md files)', () => {
    const weather = splitBorders({ kind: 'ratio', train: 0.7, test: 0.2 }, 52696, 96);
    expect(weather).toEqual({ train: [0, 36887], val: [36791, 42157], test: [42061, 52696] });
    const exchange = splitBorders({ kind: 'ratio', train: 0.7, test: 0.2 }, 7588, 96);
    expect([exchange.train[1], exchange.val[1] - exchange.train[1], 7588 - exchange.val[1]]).toEqual([5311, 760, 1517]);
    expect(() => splitBorders({ kind: 'ratio', train: 0.7, test: 0.2 }, 100, 96)).toThrow(/look-back 96 is longer than the 70 training rows/);
  });

  it('z-score fitted on the train rows only, population std, constant column kept finite', () => {
    const values = Float64Array.from([1, 5, 3, 5, 5, 5, 100, 5]); // [4 rows, 2 cols]
    const s = fitScaler(values, 2, 0, 3);
    expect(Array.from(s.mean)).toEqual([3, 5]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBe(1);
    const z = applyScaler(values, 2, s);
    expect(z[6]).toBeCloseTo(97 / Math.sqrt(8 / 3), 4); // a test row far outside the train range stays unclipped
  });

  it('windows: x = rows [i, i+L), y = rows [i+L, i+L+H), batched through the DataLoader', () => {
    const rows = 20;
    const values = Float32Array.from({ length: rows * 2 }, (_, i) => i);
    const ds = new WindowDataset({ values, channels: 2, seqLen: 5, predLen: 3 });
    expect(ds.length).toBe(13);
    const s = ds.get(4);
    expect(s.x.shape).toEqual([5, 2]);
    expect(Array.from(s.x.data)).toEqual(Array.from({ length: 10 }, (_, i) => 8 + i));
    expect(Array.from(s.y.data)).toEqual(Array.from({ length: 6 }, (_, i) => 18 + i));
    const batches = [...new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1 })];
    expect(batches.map((b) => b.x.shape[0])).toEqual([4, 4, 4, 1]);
    const firsts = batches.flatMap((b) => Array.from({ length: b.x.shape[0] }, (_, k) => b.x.data[k * 10] / 2)).sort((a, b) => a - b);
    expect(firsts).toEqual(Array.from({ length: 13 }, (_, i) => i)); // every window once
    expect(() => new WindowDataset({ values, channels: 2, seqLen: 15, predLen: 6 })).toThrow(/20 rows hold no window of look-back 15 \+ horizon 6/);
    expect(() => ds.get(13)).toThrow(/index 13 is out of range for 13 windows/);
  });

  it('calendar features match Python datetime (hour, weekday, day, day of year, minute, second, month, ISO week)', () => {
    const F = loadFixture<{ timefeatures: { stamp: string; features: Record<string, number> }[] }>('timeseries_data.json');
    const close = (got: Float32Array, want: number[]): void => {
      expect(got.length).toBe(want.length);
      want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 6));
    };
    for (const { stamp, features: f } of F.timefeatures) {
      close(timeFeatures([stamp], 'h'), [f.hour, f.dayofweek, f.day, f.dayofyear]);
      close(timeFeatures([stamp], 's'), [f.second, f.minute, f.hour, f.dayofweek, f.day, f.dayofyear]);
      close(timeFeatures([stamp], 'd'), [f.dayofweek, f.day, f.dayofyear]);
      close(timeFeatures([stamp], 'm'), [f.month]);
      close(timeFeatures([stamp], 'w'), [f.day, f.week]);
    }
    expect(() => timeFeatures(['2020-13-01'], 'h', 'x.csv')).toThrow(/x.csv: data row 1: '2020-13-01' is not a valid date/);
    expect(() => timeFeatures(['yesterday'], 'h')).toThrow(/'yesterday' is not a date/);
  });
});

describe('CSV series', () => {
  it('reads any CSV with a date column, moves OT last, handles CRLF', () => {
    const s = readTimeSeries(syntheticCsv(10));
    expect(s.columns).toEqual(['a', 'b', 'OT']);
    expect(s.length).toBe(10);
    expect(s.values[3 * 3 + 0]).toBe(3);
    expect(s.dates[1]).toBe('2020-01-01 01:00:00');
  });

  it('names the problem: no date column, a non-number (line and column), too few rows', () => {
    expect(() => readTimeSeries(tmpCsv('nodate.csv', 'time,a\n1,2\n'))).toThrow(/nodate.csv: has no 'date' column \(columns: time, a\)/);
    expect(() => readTimeSeries(tmpCsv('bad.csv', 'date,a,b\n2020-01-01,1,2\n2020-01-02,x,3\n'))).toThrow(/bad.csv: 'x' is not a number \(at line 3, column 'a'\)/);
    expect(() => loadForecastData({ data: syntheticCsv(50), seqLen: 30, predLen: 10 })).toThrow(/synthetic.csv: the train split \(rows 0–35\) is too short: WindowDataset: 35 rows hold no window of look-back 30 \+ horizon 10/);
    expect(() => loadForecastData({ data: 'NoSuchBenchmark', seqLen: 4, predLen: 2 })).toThrow(/unknown data set 'NoSuchBenchmark' \(benchmarks: ETTh1, ETTh2, ETTm1, ETTm2, Weather, Exchange/);
  });

  it('a CSV path gets the 70/10/20 protocol and optional calendar marks', () => {
    const d = loadForecastData({ data: syntheticCsv(200), seqLen: 16, predLen: 4, timeFeatures: 'h' });
    expect(d.borders).toEqual({ train: [0, 140], val: [124, 160], test: [144, 200] });
    expect([d.train.length, d.val.length, d.test.length]).toEqual([121, 17, 37]);
    const b = d.test.getBatch(Int32Array.of(0));
    expect(b.xMark.shape).toEqual([1, 16, 4]);
    expect(b.yMark.shape).toEqual([1, 4, 4]);
    // the first test target is row 160 (hour 16 of day 7), normalised with train statistics
    expect(b.yMark.data[0]).toBeCloseTo(16 / 23 - 0.5, 6);
    expect(b.y.data[0]).toBeCloseTo((160 - d.scaler.mean[0]) / d.scaler.std[0], 4);
  });
});

describe('data folder', () => {
  const saved = process.env.MLPKIT_DATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.MLPKIT_DATA;
    else process.env.MLPKIT_DATA = saved;
  });

  it('flag, then MLPKIT_DATA, then ../shared/data beside the package root (not the cwd)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlpkit-data-'));
    expect(resolveDataDir(dir)).toEqual({ path: dir, source: 'flag' });
    process.env.MLPKIT_DATA = dir;
    expect(resolveDataDir()).toEqual({ path: dir, source: 'MLPKIT_DATA' });
    delete process.env.MLPKIT_DATA;
    if (existsSync(DEFAULT_DATA)) expect(resolveDataDir()).toEqual({ path: DEFAULT_DATA, source: 'default' });
    else expect(() => resolveDataDir()).toThrow(/the default, \.\.\/shared\/data beside the checkout\) does not exist/);
  });

  it('a missing folder is a clear error naming it and how to set another', () => {
    expect(() => resolveDataDir('/no/such/folder')).toThrow(/data folder '\/no\/such\/folder' \(given with --data-dir\) does not exist; point --data-dir or MLPKIT_DATA/);
    process.env.MLPKIT_DATA = '/no/such/env/folder';
    expect(() => loadForecastData({ data: 'ETTh1', seqLen: 96, predLen: 96 })).toThrow(/'\/no\/such\/env\/folder' \(from the MLPKIT_DATA environment variable\) does not exist/);
  });
});

describe.skipIf(!BENCHMARKS.present)('benchmark files (shared/data)', () => {
  it('ETTh1: 7 channels, 8449/2785/2785 windows at 96→96, train statistics as granite-tsfm reports them', () => {
    const d = loadForecastData({ data: 'etth1', dataDir: DATA, seqLen: 96, predLen: 96 });
    expect(d.columns).toEqual(['HUFL', 'HULL', 'MUFL', 'MULL', 'LUFL', 'LULL', 'OT']);
    expect([d.train.length, d.val.length, d.test.length]).toEqual([8449, 2785, 2785]);
    // StandardScaler fitted on rows [0, 8640) in the PatchTSMixer getting-started notebook.
    const mean = [7.937742245659508, 2.0210386567335163, 5.079770601157927, 0.7461858799957015, 2.781762386375555, 0.7884531235540096, 17.1282616982271];
    const std = [5.812749409143771, 2.0901046504076, 5.518793579036245, 1.9263792741329822, 1.0235226594952194, 0.6302366362251923, 9.176491024944335];
    mean.forEach((m, j) => expect(d.scaler.mean[j]).toBeCloseTo(m, 9));
    std.forEach((s, j) => expect(d.scaler.std[j]).toBeCloseTo(s, 9));
    // The first test window looks back over rows [11424, 11520) and predicts from row 11520.
    const raw = readTimeSeries(d.path);
    const first = d.test.get(0);
    expect(first.x.data[0]).toBeCloseTo((raw.values[11424 * 7] - mean[0]) / std[0], 5);
    expect(first.y.data[6]).toBeCloseTo((raw.values[11520 * 7 + 6] - mean[6]) / std[6], 5);
  });

  it('ETTm1 (gzip), Weather (CRLF, 21 channels) and Exchange (CRLF, no final newline) load under their splits', () => {
    const m1 = loadForecastData({ data: 'ETTm1', dataDir: DATA, seqLen: 96, predLen: 96 });
    expect([m1.length, m1.train.length, m1.test.length]).toEqual([69680, 34560 - 191, 11520 - 95]);
    const w = loadForecastData({ data: 'Weather', dataDir: DATA, seqLen: 96, predLen: 96 });
    expect([w.length, w.columns.length, w.columns[20], w.borders.val[1]]).toEqual([52696, 21, 'OT', 42157]);
    const e = loadForecastData({ data: 'exchange_rate', dataDir: DATA, seqLen: 96, predLen: 96 });
    expect([e.length, e.columns, e.borders.train[1]]).toEqual([7588, ['0', '1', '2', '3', '4', '5', '6', 'OT'], 5311]);
  }, 30_000);
});
