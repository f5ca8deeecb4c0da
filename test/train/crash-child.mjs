// A training run for the crash harness (test/train/crash.test.ts), run as a
// child process from the built package: `node crash-child.mjs RUN_DIR
// [resume]`. Saves are large relative to a step (a 1.3M-parameter MLP with
// AdamW state, about 16 MB per checkpoint), so random kill times often fall
// inside a checkpoint write. Prints "done" when every epoch has run.
import { crossEntropy, DataLoader, Generator, manualSeed, randn, tensor, TensorDataset } from './crash-imports.mjs';
import { AdamW, fit, MlpClassifier, WarmupCosineLR } from './crash-imports.mjs';

const [runDir, mode] = process.argv.slice(2);
manualSeed(7);
const g = new Generator(2);
const n = 256;
const x = randn([n, 64], { generator: g });
const y = new Int32Array(n);
for (let i = 0; i < n; i++) {
  y[i] = i % 4;
  x.data[i * 64 + y[i]] += 3;
}
const model = new MlpClassifier({ inFeatures: 64, hiddenDims: [1024, 1024], numClasses: 4, act: 'gelu', dropout: 0.1 }, new Generator(1));
const optimizer = new AdamW(model.parameters(), { lr: 1e-3 });
const train = new DataLoader(new TensorDataset({ x, y: tensor(y) }), { batchSize: 64, shuffle: true, seed: 3 });
const epochs = 8;
const scheduler = new WarmupCosineLR(optimizer, { warmupSteps: 4, totalSteps: epochs * train.length });
await fit(model, {
  epochs, optimizer, scheduler, train, val: null,
  loss: (out, b) => crossEntropy(out, b.y),
  runDir, resume: mode === 'resume', progress: false,
});
console.log('done');
