#!/usr/bin/env node
// Runs the data-dependent test suites with every data location pointed at an
// empty folder: they must skip (exit 0) and the run must say, one line per
// data source, what it did not exercise. Part of `npm test`, so the path a
// user without the optional data takes is checked on every run, not only the
// full path of a machine that has everything.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SUITES = ['test/data/mnist.test.ts', 'test/timeseries/data.test.ts', 'test/io/csv.test.ts', 'test/cli/cli.test.ts'];
const SOURCES = ['MNIST', 'Fashion-MNIST', 'forecasting benchmarks'];

const empty = mkdtempSync(join(tmpdir(), 'mlpkit-no-data-'));
const env = { ...process.env, MLPKIT_DATA: empty, MLPKIT_MNIST: empty, MLPKIT_FASHION_MNIST: empty };
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...SUITES], { env, encoding: 'utf8' });
rmSync(empty, { recursive: true, force: true });
const out = `${r.stdout}${r.stderr}`;
const lines = out.split('\n').filter((l) => l.startsWith('skipped for missing data:'));
const missing = SOURCES.filter((s) => !lines.some((l) => l.includes(`no ${s}`)));
if (r.status !== 0 || missing.length) {
  process.stdout.write(out);
  console.error(`check-data-skips: with the data folders empty the data suites must skip and say so; ${r.status !== 0 ? `vitest exited with ${r.status}` : `no skip line for ${missing.join(', ')}`}`);
  process.exit(1);
}
for (const l of lines) console.log(l);
const summary = out.split('\n').filter((l) => /^\s*(Test Files|Tests)\s/.test(l)).map((l) => l.trim()).join('; ');
console.log(`check-data-skips: without data the data suites skip cleanly (${summary.replace(/\x1b\[[0-9;]*m/g, '')})`);
