/**
 * Training-step time of registered models on MNIST-shaped batches: forward,
 * cross-entropy, backward and an AdamW step, as `mlpkit train` runs them.
 *
 *   npm run build && node bench/zoo_steps.mjs [--batch 128] [--steps 10] [MODEL ...]
 *
 * Default models: the *_tiny_28 vision variants. Prints the median step time
 * and what it makes an epoch of 55,000 images (the training split `mlpkit
 * train` uses). Threads: MLPKIT_THREADS, as everywhere.
 */
import { crossEntropy, getBackend, models, optim, randint } from '../dist/index.js';
import { intFlag, zooModel } from './zoo.mjs';

const args = process.argv.slice(2);
const batch = intFlag(args, '--batch', 128);
const steps = intFlag(args, '--steps', 10);
const names = args.length ? args : models.list().map((e) => e.name).filter((n) => n.endsWith('_tiny_28'));
const TRAIN_IMAGES = 55000;

console.log(`backend ${getBackend().name}, MLPKIT_THREADS=${process.env.MLPKIT_THREADS ?? '(all cores)'}, batch ${batch}, median of ${steps} steps after 2 warm-up steps`);
for (const name of names) {
  const { model, input } = zooModel(name, batch);
  const opt = new optim.AdamW(model.parameters(), { lr: 1e-3 });
  const y = randint(0, 10, [batch]);
  const times = [];
  for (let i = 0; i < steps + 2; i++) {
    const t0 = performance.now();
    const loss = crossEntropy(model.forward(input), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    if (i >= 2) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[times.length >> 1];
  const params = model.parameters().reduce((s, p) => s + p.size, 0);
  console.log(`${name.padEnd(22)} ${(params / 1e3).toFixed(1).padStart(8)}k params  ${ms.toFixed(1).padStart(7)} ms/step  ${((ms * Math.ceil(TRAIN_IMAGES / batch)) / 1000).toFixed(0).padStart(5)} s/epoch`);
}
