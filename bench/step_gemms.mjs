/**
 * Which matrix products one training step runs, and how fast each shape goes:
 * wraps the backend's matmul kernel, runs a few steps, and prints time per
 * step and GFLOP/s by (batch, m, k, n, transA, transB), slowest first.
 *
 *   npm run build && node bench/step_gemms.mjs mixer|mlp|MODEL [--batch N] [--steps N]
 *
 * `mixer` and `mlp` are the benchmark workloads (bench/models.mjs); any other
 * name is a registered model on MNIST-shaped inputs. Threads: MLPKIT_THREADS.
 */
import { crossEntropy, getBackend, optim, randint, randn } from '../dist/index.js';
import { MIXER_BATCH, MLP_BATCH, Mixer, buildMlp } from './models.mjs';
import { intFlag, zooModel } from './zoo.mjs';

const args = process.argv.slice(2);
const steps = intFlag(args, '--steps', 10);
const batchFlag = intFlag(args, '--batch', null);
const which = args[0] ?? 'mixer';
let model, batch, input;
if (which === 'mixer' || which === 'mlp') {
  model = which === 'mixer' ? new Mixer() : buildMlp();
  batch = batchFlag ?? (which === 'mixer' ? MIXER_BATCH : MLP_BATCH);
  input = which === 'mixer' ? randn([batch, 3, 32, 32]) : randn([batch, 784]);
} else {
  batch = batchFlag ?? 128;
  ({ model, input } = zooModel(which, batch));
}
const target = randint(0, 10, [batch]);
const opt = new optim.AdamW(model.parameters(), { lr: 1e-3 });

const kernels = getBackend().kernels;
const matmul = kernels.matmul;
const stats = new Map();
let recording = false;
kernels.matmul = (out, a, b, p) => {
  const t0 = performance.now();
  matmul(out, a, b, p);
  if (!recording) return;
  const key = `${p.batch} × ${p.m}×${p.k}×${p.n}${p.transA ? ' Aᵀ' : ''}${p.transB ? ' Bᵀ' : ''}`;
  const s = stats.get(key) ?? { calls: 0, ms: 0, flops: 2 * p.batch * p.m * p.n * p.k };
  s.calls++;
  s.ms += performance.now() - t0;
  stats.set(key, s);
};

let stepMs = 0;
for (let i = 0; i < steps + 2; i++) {
  recording = i >= 2; // two warm-up steps
  const t0 = performance.now();
  const loss = crossEntropy(model.forward(input), target);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  if (recording) stepMs += performance.now() - t0;
}
kernels.matmul = matmul;

console.log(`${which}, batch ${batch}, backend ${getBackend().name}, MLPKIT_THREADS=${process.env.MLPKIT_THREADS ?? '(all cores)'}; mean of ${steps} steps`);
console.log('batch × m×k×n (transposes)'.padEnd(34), 'ms/step'.padStart(8), 'GFLOP/s'.padStart(8));
let total = 0;
for (const [key, s] of [...stats].sort((x, y) => y[1].ms - x[1].ms)) {
  total += s.ms;
  console.log(key.padEnd(34), (s.ms / steps).toFixed(1).padStart(8), ((s.flops * s.calls) / s.ms / 1e6).toFixed(1).padStart(8));
}
console.log(`matmul ${(total / steps).toFixed(1)} of ${(stepMs / steps).toFixed(1)} ms per step`);
