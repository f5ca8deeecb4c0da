#!/usr/bin/env node
// Builds the native backend (native/ → build/Release/mlpkit_native.node) with
// node-gyp. Run by `npm install` / `npm ci` as the package's install script,
// and by `npm run build:native`.
//
// A failed build must not fail the install: mlpkit then runs on the reference
// backend and says so once when it is imported. `--strict` (used by
// build:native) turns a failure into a non-zero exit instead.
// MLPKIT_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');

if (process.env.MLPKIT_SKIP_NATIVE === '1') {
  console.log('mlpkit: MLPKIT_SKIP_NATIVE=1, not building the native backend');
  process.exit(0);
}

// npm tells its scripts where its bundled node-gyp is; run directly, look for
// npm's copy beside this node, then for node-gyp on PATH.
const prefix = join(dirname(process.execPath), '..');
const bundled = join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const gyp = process.env.npm_config_node_gyp || (existsSync(bundled) ? bundled : null);
const cmd = gyp ? process.execPath : 'node-gyp';
const args = gyp ? [gyp] : [];
args.push('rebuild', '--jobs=max', '--loglevel=warn');
// Use the headers installed beside this node (no download) unless npm already names a nodedir.
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}

console.log('mlpkit: building the native backend (C++, about a minute)…');
const started = Date.now();
const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const built = existsSync(join(root, 'build', 'Release', 'mlpkit_native.node'));
if (r.status === 0 && built) {
  console.log(`mlpkit: native backend built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}

const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
const reason = r.error ? r.error.message : `node-gyp exited with status ${r.status}`;
console.warn(`${output}\nmlpkit: could not build the native backend (${reason}).`);
console.warn('mlpkit: everything still works on the reference backend, only slower. A C++17 compiler, make and Python 3 are needed for the native one.');
process.exit(strict ? 1 : 0);
