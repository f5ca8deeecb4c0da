/**
 * mlpkit against PyTorch and TensorFlow.js, side by side in one run.
 *
 *   npm run bench              full run (≈15 minutes on 2 cores)
 *   npm run bench -- --quick   short budgets, slow frameworks skip the Mixer (< 2 minutes)
 *
 * Every (framework, workload) pair runs in its own process (bench/mlpkit.mjs,
 * bench/torch_bench.py, bench/tfjs.mjs), so thread settings are set the way a
 * user sets them and peak RSS is per workload. Prints a table of medians with
 * the ratios mlpkit/PyTorch-best and mlpkit/tfjs (speed over speed: > 1 means
 * mlpkit is faster) and writes the raw figures to bench/results/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const PYTHON = process.env.MLPKIT_BENCH_PYTHON ?? '/usr/bin/python3';

const SIZES = [[128, 128, 128], [256, 256, 256], [512, 512, 512], [1024, 1024, 1024], [2048, 2048, 2048], [4096, 256, 1024]];
const B = quick
  ? { gemmBudgetMs: 200, overheadBudgetMs: 250, giveUpMs: 1000, trainBudgetMs: 2000, mixerBudgetMs: 1500 }
  : { gemmBudgetMs: 1500, overheadBudgetMs: 1500, giveUpMs: 8000, trainBudgetMs: 12000, mixerBudgetMs: 15000 };

/** The runners: a name, how to start its worker, extra task fields, and whether it is slow (quick mode skips its Mixer). */
const RUNNERS = [
  { name: 'native-1t', cmd: ['node', join(here, 'mlpkit.mjs')], env: { MLPKIT_BACKEND: 'native', MLPKIT_THREADS: '1' } },
  { name: 'native-2t', cmd: ['node', join(here, 'mlpkit.mjs')], env: { MLPKIT_BACKEND: 'native', MLPKIT_THREADS: '2' } },
  { name: 'reference', cmd: ['node', join(here, 'mlpkit.mjs')], env: { MLPKIT_BACKEND: 'reference' }, slow: true },
  // torch.set_num_threads does not reach Debian's OpenBLAS, whose GEMMs use
  // every core unless told otherwise: torch-1t/2t set its thread count too,
  // and torch-1t+blas is what set_num_threads(1) alone gives a user (one
  // thread for PyTorch's own kernels, OpenBLAS on all cores).
  { name: 'torch-1t', cmd: [PYTHON, join(here, 'torch_bench.py')], task: { threads: 1 }, env: { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } },
  { name: 'torch-2t', cmd: [PYTHON, join(here, 'torch_bench.py')], task: { threads: 2 }, env: { OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '2' } },
  { name: 'torch-1t+blas', cmd: [PYTHON, join(here, 'torch_bench.py')], task: { threads: 1 }, env: { OPENBLAS_NUM_THREADS: null, OMP_NUM_THREADS: null } },
  { name: 'tfjs-cpu', cmd: ['node', join(here, 'tfjs.mjs')], task: { backend: 'cpu' }, slow: true },
  { name: 'tfjs-wasm', cmd: ['node', join(here, 'tfjs.mjs')], task: { backend: 'wasm' }, slow: true },
];

function run(runner, task) {
  const started = Date.now();
  const r = spawnSync(runner.cmd[0], [...runner.cmd.slice(1), JSON.stringify({ ...task, ...runner.task })], {
    // A null in runner.env removes that variable.
    env: Object.fromEntries(Object.entries({ ...process.env, ...runner.env }).filter(([, v]) => v !== null)),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  let out;
  try {
    out = JSON.parse(line);
  } catch {
    out = { ok: false, error: `${r.error?.message ?? ''} ${(r.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`.trim() };
  }
  out.wallS = (Date.now() - started) / 1000;
  const what = task.kind === 'train' ? `train ${task.model}` : task.kind;
  console.error(`  ${runner.name.padEnd(10)} ${what.padEnd(12)} ${out.ok ? 'ok' : 'FAILED: ' + out.error}  (${out.wallS.toFixed(1)} s)`);
  return out;
}

function machine() {
  const cpus = os.cpus();
  let blas = 'unknown';
  try {
    blas = readlinkSync('/etc/alternatives/libblas.so.3-x86_64-linux-gnu');
  } catch {
    /* not Debian, or no alternatives entry */
  }
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, blasForTorch: blas, loadavg: os.loadavg() };
}

// ------------------------------------------------------------------ measure

const t0 = Date.now();
const info = machine();
console.error(`mlpkit bench (${quick ? 'quick' : 'full'}) on ${info.cpu}, ${info.cores} cores; load average ${info.loadavg.map((x) => x.toFixed(1)).join(' ')}`);
if (info.blasForTorch.includes('/blas/libblas')) {
  console.error('  note: PyTorch is using the reference BLAS (libblas3): install libopenblas0-pthread for OpenBLAS-speed PyTorch figures');
}
const results = {};
for (const r of RUNNERS) {
  results[r.name] = {
    micro: run(r, { kind: 'micro', sizes: SIZES, ...B }),
    mlp: run(r, { kind: 'train', model: 'mlp', budgetMs: B.trainBudgetMs, warmup: 2 }),
    mixer: quick && r.slow ? { ok: false, skipped: 'quick mode' } : run(r, { kind: 'train', model: 'mixer', budgetMs: B.mixerBudgetMs, warmup: 1 }),
  };
}

// ------------------------------------------------------------------ report

const get = (name, f) => {
  try {
    const v = f(results[name]);
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
};
const gemmOf = (n, i) => get(n, (r) => r.micro.result.gemm[i].gflops);
const best = (...xs) => (xs.every((x) => x === null) ? null : Math.max(...xs.filter((x) => x !== null)));
const ratio = (a, b) => (a === null || b === null ? null : a / b);

const rows = [];
SIZES.forEach(([m, k, n], i) => {
  const label = m === k && k === n ? `GEMM ${m}³ GFLOP/s` : `GEMM ${m}×${k}×${n} GFLOP/s`;
  const v = Object.fromEntries(RUNNERS.map((r) => [r.name, gemmOf(r.name, i)]));
  rows.push({
    label, v,
    vsTorch: `${fmt(ratio(v['native-1t'], v['torch-1t']))} / ${fmt(ratio(v['native-2t'], v['torch-2t']))}`,
    vsCpu: ratio(best(v['native-1t'], v['native-2t']), v['tfjs-cpu']),
    vsWasm: ratio(best(v['native-1t'], v['native-2t']), v['tfjs-wasm']),
  });
});
for (const [key, label] of [['overheadUs', 'add 8+8 µs/op'], ['overheadGradUs', 'add 8+8 µs/op, autograd']]) {
  const v = Object.fromEntries(RUNNERS.map((r) => [r.name, get(r.name, (x) => x.micro.result[key])]));
  const nat = v['native-1t'];
  const torchBest = [v['torch-1t'], v['torch-2t'], v['torch-1t+blas']].filter((x) => x !== null);
  rows.push({
    label, v, lowerIsBetter: true,
    vsTorch: fmt(torchBest.length && nat ? Math.min(...torchBest) / nat : null),
    vsCpu: v['tfjs-cpu'] && nat ? v['tfjs-cpu'] / nat : null,
    vsWasm: v['tfjs-wasm'] && nat ? v['tfjs-wasm'] / nat : null,
  });
}
for (const [key, label] of [['mlp', 'train MLP samples/s'], ['mixer', 'train Mixer samples/s']]) {
  const v = Object.fromEntries(RUNNERS.map((r) => [r.name, get(r.name, (x) => x[key].result.samplesPerSec)]));
  const nat = best(v['native-1t'], v['native-2t']);
  rows.push({ label, v, vsTorch: fmt(ratio(nat, best(v['torch-1t'], v['torch-2t'], v['torch-1t+blas']))), vsCpu: ratio(nat, v['tfjs-cpu']), vsWasm: ratio(nat, v['tfjs-wasm']) });
  const rss = Object.fromEntries(RUNNERS.map((r) => [r.name, get(r.name, (x) => x[key].peakRssMiB)]));
  rows.push({ label: `  peak RSS MiB (${key})`, v: rss, lowerIsBetter: true, vsTorch: '', vsCpu: null, vsWasm: null });
}

function fmt(x) {
  if (x === null || x === undefined) return '—';
  if (x >= 1000) return x.toFixed(0);
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

const names = RUNNERS.map((r) => r.name);
const header = ['', ...names, '÷torch', '÷tfjs-cpu', '÷tfjs-wasm'];
const table = [header, ...rows.map((r) => [r.label, ...names.map((n) => fmt(r.v[n])), r.vsTorch, r.vsCpu === null ? (r.vsTorch === '' ? '' : '—') : fmt(r.vsCpu), r.vsWasm === null ? (r.vsTorch === '' ? '' : '—') : fmt(r.vsWasm)])];
const widths = header.map((_, c) => Math.max(...table.map((row) => String(row[c]).length)));
const lines = table.map((row) => row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  '));
console.log(`\nmedians; ÷x = mlpkit-native speed over x's (GEMM: 1 thread / 2 threads; otherwise mlpkit's best over x's best; > 1: mlpkit faster)`);
console.log(lines.join('\n'));
const skipped = RUNNERS.filter((r) => results[r.name].mixer.skipped).map((r) => r.name);
if (skipped.length) console.log(`(quick mode: no Mixer run for ${skipped.join(', ')}; — = not measured or failed)`);

mkdirSync(join(here, 'results'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = join(here, 'results', `${quick ? 'quick' : 'full'}-${stamp}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine: info, budgets: B, sizes: SIZES, results }, null, 2));
console.log(`raw figures: ${file} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
