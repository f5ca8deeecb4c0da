/**
 * Data: datasets (in-memory tensors, subsets, random splits, MNIST and
 * Fashion-MNIST from real files) and the DataLoader (batching, seeded
 * shuffling, drop-last, resumable state).
 */
export { TensorDataset, Subset, randomSplit, isBatchSource } from './dataset.js';
export type { Batch, BatchSource, Dataset, Sample, SampleValue } from './dataset.js';
export { collate } from './collate.js';
export { DataLoader } from './dataloader.js';
export type { DataLoaderOptions, DataLoaderState } from './dataloader.js';
export {
  loadMnist,
  loadFashionMnist,
  defaultMnistDir,
  defaultFashionMnistDir,
  MNIST_MEAN,
  MNIST_STD,
  FASHION_MNIST_MEAN,
  FASHION_MNIST_STD,
  FASHION_MNIST_CLASSES,
} from './mnist.js';
export type { ImageDataset, MnistOptions } from './mnist.js';
