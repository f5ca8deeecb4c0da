// Peak memory (RSS) of training steps and of the validation pass after them:
// `npm run build && node bench/eval_memory.mjs [model] [--steps N] [--batch N] [--eval-batch N]`.
// Random images stand in for the data (memory and time do not depend on the
// pixel values). Run it once as is and once with MLPKIT_GC_TUNING=0 to compare
// with V8's default garbage-collector setting.
import { AdamW, crossEntropy, evaluate, randint } from '../dist/index.js';
import { DataLoader, TensorDataset } from '../dist/data/index.js';
import { intFlag, zooModel } from './zoo.mjs';

const args = process.argv.slice(2);
const steps = intFlag(args, '--steps', 20);
const batch = intFlag(args, '--batch', 128);
const evalBatch = intFlag(args, '--eval-batch', 1000);
const name = args[0] ?? 'mixer_tiny_28';
const { model, input } = zooModel(name, batch);
const optimizer = new AdamW(model.parameters(), { lr: 1e-3 });
const labels = () => randint(0, 10, [batch]);

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
const timer = setInterval(sample, 2);
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;

let t0 = performance.now();
model.train();
for (let i = 0; i < steps; i++) {
  const loss = crossEntropy(model.forward(input), labels());
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  sample();
}
const trainPeak = peak;
const trainSeconds = (performance.now() - t0) / 1000;

const n = 5 * evalBatch;
const val = new TensorDataset({ x: input.narrow(0, 0, 1).expand([n, ...input.shape.slice(1)]).contiguous(), y: randint(0, 10, [n]) });
peak = 0;
t0 = performance.now();
evaluate(model, new DataLoader(val, { batchSize: evalBatch }), { forward: (b) => { const o = model.forward(b.x); sample(); return o; }, metrics: ['accuracy'] });
const evalSeconds = (performance.now() - t0) / 1000;
clearInterval(timer);
console.log(`${name}: ${steps} training steps at batch ${batch}: peak RSS ${mib(trainPeak)} (${(trainSeconds / steps * 1000).toFixed(0)} ms/step); ` +
  `validation of ${n} samples at batch ${evalBatch}: peak RSS ${mib(peak)} (${(n / evalSeconds).toFixed(0)} samples/s); GC setting ${process.env.MLPKIT_GC_TUNING === '0' ? "V8's default" : 'mlpkit'}`);
