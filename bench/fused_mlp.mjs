/**
 * The fused narrow MLP (ops/mlp.ts) against its composition linear → relu →
 * dropout → linear: forward + backward time at TSMixer's feature-mixing shape
 * and at widening input/output widths, to place FUSED_MLP_MAX_WIDTH.
 *
 *   npm run build && node bench/fused_mlp.mjs [--rows 16384] [--hidden 512] [--steps 7] [--no-dropout]
 *
 * Threads: MLPKIT_THREADS, as everywhere. Prints the median of `steps` runs.
 */
import { Generator, getBackend, nn, randn, Tensor } from '../dist/index.js';
import { dropout, linear } from '../dist/nn/functional.js';
import { reluMlpFused } from '../dist/ops/mlp.js';
import { intFlag } from './zoo.mjs';

const args = process.argv.slice(2);
const rows = intFlag(args, '--rows', 16384);
const hidden = intFlag(args, '--hidden', 512);
const steps = intFlag(args, '--steps', 7);
const noDropout = args.indexOf('--no-dropout');
if (noDropout >= 0) args.splice(noDropout, 1);
const P = noDropout >= 0 ? 0 : 0.5;

function median(f) {
  const t = [];
  for (let i = 0; i < steps + 1; i++) {
    const t0 = performance.now();
    f();
    if (i > 0) t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

console.log(`backend ${getBackend().name}, MLPKIT_THREADS=${process.env.MLPKIT_THREADS ?? '(all cores)'}, ${rows} rows, hidden ${hidden}, dropout ${P}: forward + backward, median ms`);
console.log('width   composed   fused   speed-up');
for (const width of [7, 16, 32, 64, 128]) {
  const fc1 = new nn.Linear(width, hidden);
  const fc2 = new nn.Linear(hidden, width);
  const x = randn([rows, width]).requiresGrad_();
  const g = randn([rows, width]);
  const gen = new Generator(0);
  const composed = median(() => linear(dropout(linear(x, fc1.weight, fc1.bias).relu(), P, true, { generator: gen }), fc2.weight, fc2.bias).backward(g));
  // reluMlp picks the fused op only up to FUSED_MLP_MAX_WIDTH; call it directly here, with the mask reluMlp would draw.
  const fused = median(() => {
    if (P === 0) return reluMlpFused(x, fc1.weight, fc1.bias, fc2.weight, fc2.bias).backward(g);
    const kept = new Tensor(new Uint8Array(rows * hidden), [rows, hidden], 'bool');
    gen.bernoulliFill(kept.data, 1 - P, 1);
    reluMlpFused(x, fc1.weight, fc1.bias, fc2.weight, fc2.bias, kept, 1 / (1 - P)).backward(g);
  });
  console.log(`${String(width).padStart(5)} ${composed.toFixed(1).padStart(10)} ${fused.toFixed(1).padStart(7)} ${(composed / fused).toFixed(2).padStart(9)}×`);
}
