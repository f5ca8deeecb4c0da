// The built package's exports the crash child uses (dist/ is built by `npm test` before the tests run).
export { crossEntropy, Generator, manualSeed, randn, tensor, AdamW, fit } from '../../dist/index.js';
export { DataLoader, TensorDataset } from '../../dist/data/index.js';
export { WarmupCosineLR } from '../../dist/optim/index.js';
export { MlpClassifier } from '../../dist/models/mlp.js';
