import { describe, expect, it } from 'vitest';
import { arange, Generator, indexSelect, manualSeed, randn, tensor, Tensor } from '../../src/index.js';
import { collate, DataLoader, randomSplit, Subset, TensorDataset, type Batch, type Dataset } from '../../src/data/index.js';

/** N samples: x row i is [i, i + 0.5, i + 0.25] (float32 [N, 3]), y = i (int32 [N]). */
function numbered(n: number): TensorDataset<'x' | 'y'> {
  const x = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) x.set([i, i + 0.5, i + 0.25], 3 * i);
  return new TensorDataset({ x: new Tensor(x, [n, 3], 'float32'), y: arange(0, n) });
}

/** The same samples through the generic per-sample path (no batch fast path). */
function plain<S extends Record<string, Tensor | number>>(ds: Dataset<S>): Dataset<S> {
  return { length: ds.length, get: (i) => ds.get(i) };
}

const ids = (b: Batch): number[] => [...b.y.data];
const epochIds = (loader: DataLoader): number[][] => [...loader].map(ids);

describe('TensorDataset', () => {
  it('rows, ranges (views) and gathered batches', () => {
    const ds = numbered(10);
    expect(ds.length).toBe(10);
    const s = ds.get(4);
    expect(s.x.shape).toEqual([3]);
    expect([...s.x.data]).toEqual([4, 4.5, 4.25]);
    expect(s.y.shape).toEqual([]);
    expect(s.y.item()).toBe(4);
    const r = ds.getRange(2, 5);
    expect(r.x.shape).toEqual([3, 3]);
    expect(r.x.data.buffer).toBe(ds.tensors.x.data.buffer); // a view, no copy
    expect([...r.y.data]).toEqual([2, 3, 4]);
    const idx = Int32Array.of(7, 0, 7, 3);
    const b = ds.getBatch(idx);
    expect([...b.x.data]).toEqual([...indexSelect(ds.tensors.x, 0, tensor(idx)).data]);
    expect([...b.y.data]).toEqual([7, 0, 7, 3]);
  });

  it('refuses mismatched fields and out-of-range indices', () => {
    expect(() => new TensorDataset({ x: randn([4, 2]), y: arange(0, 5) })).toThrow("TensorDataset: field 'y' has 5 rows (shape [5]) but 'x' has 4 (shape [4, 2])");
    expect(() => new TensorDataset({ s: tensor(Float32Array.of(1), { shape: [] }) })).toThrow(/0-d/);
    expect(() => numbered(3).get(3)).toThrow(/index 3 is out of range for a dataset of length 3/);
    expect(() => numbered(3).getBatch(Int32Array.of(0, -1))).toThrow(/index -1 is out of range/);
    expect(() => numbered(3).getRange(2, 4)).toThrow(/not a range/);
  });
});

describe('DataLoader', () => {
  it('batches in order; the last batch is smaller unless dropLast', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => b.x.shape)).toEqual([[4, 3], [4, 3], [2, 3]]);
    expect(batches.map(ids)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const dropped = new DataLoader(numbered(10), { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect(epochIds(dropped)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new DataLoader(numbered(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(() => new DataLoader(numbered(3), { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });

  it('shuffles: each epoch is a permutation, reproducible from the seed, different every epoch', () => {
    const a = new DataLoader(numbered(50), { batchSize: 8, shuffle: true, seed: 11 });
    const b = new DataLoader(numbered(50), { batchSize: 8, shuffle: true, seed: 11 });
    const c = new DataLoader(numbered(50), { batchSize: 8, shuffle: true, seed: 12 });
    const a0 = epochIds(a);
    const a1 = epochIds(a);
    expect(a0.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a0.map((x) => x.length)).toEqual([8, 8, 8, 8, 8, 8, 2]);
    expect(epochIds(b)).toEqual(a0);
    expect(epochIds(b)).toEqual(a1);
    expect(a1).not.toEqual(a0);
    expect(epochIds(c)).not.toEqual(a0);
    // x rows travel with their labels
    for (const batch of new DataLoader(numbered(20), { batchSize: 6, shuffle: true, seed: 1 })) {
      batch.y.data.forEach((id, k) => expect([...batch.x.data.subarray(3 * k, 3 * k + 3)]).toEqual([id, id + 0.5, id + 0.25]));
    }
  });

  it('without a seed, manualSeed fixes the order', () => {
    manualSeed(3);
    const first = epochIds(new DataLoader(numbered(30), { batchSize: 30, shuffle: true }));
    manualSeed(3);
    expect(epochIds(new DataLoader(numbered(30), { batchSize: 30, shuffle: true }))).toEqual(first);
  });

  it('the per-sample path (collate) gives the same batches as the in-memory fast path', () => {
    const ds = numbered(23);
    for (const shuffle of [false, true]) {
      const fast = [...new DataLoader(ds, { batchSize: 5, shuffle, generator: new Generator(4) })];
      const slow = [...new DataLoader(plain(ds), { batchSize: 5, shuffle, generator: new Generator(4) })];
      expect(slow.length).toBe(fast.length);
      slow.forEach((b, k) => {
        for (const key of ['x', 'y']) {
          expect(b[key].shape).toEqual(fast[k][key].shape);
          expect(b[key].dtype).toBe(fast[k][key].dtype);
          expect([...b[key].data]).toEqual([...fast[k][key].data]);
        }
      });
    }
  });

  it('a restored state continues with exactly the batches the original run would have seen', () => {
    const make = (seed: number): DataLoader => new DataLoader(numbered(37), { batchSize: 5, shuffle: true, seed });
    const original = make(5);
    epochIds(original); // epoch 0
    const it1 = original[Symbol.iterator]();
    const seen = [ids(it1.next().value as Batch), ids(it1.next().value as Batch), ids(it1.next().value as Batch)];
    const saved = JSON.parse(JSON.stringify(original.stateDict()));
    expect(saved).toMatchObject({ epoch: 1, batchIndex: 3 });
    const rest1: number[][] = [];
    for (let r = it1.next(); !r.done; r = it1.next()) rest1.push(ids(r.value));
    const epoch2 = epochIds(original);

    // A fresh loader with a different seed, restored from the checkpoint, continues identically.
    const resumed = make(999);
    resumed.loadStateDict(saved);
    expect(resumed.epoch).toBe(1);
    expect(epochIds(resumed)).toEqual(rest1);
    expect(epochIds(resumed)).toEqual(epoch2);
    expect([...seen, ...rest1].flat().sort((p, q) => p - q)).toEqual(Array.from({ length: 37 }, (_, i) => i));
  });

  it('state saved between epochs starts the next epoch identically', () => {
    const original = new DataLoader(numbered(12), { batchSize: 4, shuffle: true, seed: 8 });
    epochIds(original);
    const saved = original.stateDict();
    expect(saved).toMatchObject({ epoch: 1, batchIndex: 0 });
    const next = epochIds(original);
    const resumed = new DataLoader(numbered(12), { batchSize: 4, shuffle: true, seed: 0 });
    resumed.loadStateDict(saved);
    expect(epochIds(resumed)).toEqual(next);
    expect(() => resumed.loadStateDict({ epoch: 0, batchIndex: 9, generator: null })).toThrow(/invalid state/);
  });

  it('breaking out of an epoch counts it as done; the next loop starts a new epoch', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 2 });
    for (const b of loader) {
      expect(ids(b)).toEqual([0, 1]);
      break;
    }
    expect(loader.epoch).toBe(0);
    expect(epochIds(loader)[0]).toEqual([0, 1]);
    expect(loader.epoch).toBe(2);
  });
});

describe('collate', () => {
  it('stacks tensors and numbers, and names the field and sample on a mismatch', () => {
    const b = collate([
      { img: tensor([[1, 2]]), w: 0.5 },
      { img: tensor([[3, 4]]), w: 2 },
    ]);
    expect(b.img.shape).toEqual([2, 1, 2]);
    expect([...b.img.data]).toEqual([1, 2, 3, 4]);
    expect(b.w.dtype).toBe('float32');
    expect([...b.w.data]).toEqual([0.5, 2]);
    expect(() => collate([{ a: tensor([1]) }, { a: tensor([1, 2]) }])).toThrow("collate: field 'a' of sample 1 is float32 [2] but sample 0 has float32 [1]");
    expect(() => collate([{ a: 1 }, { a: tensor([1]) }])).toThrow(/field 'a' is a number in sample 0 but a tensor in sample 1/);
    expect(() => collate([{ a: 1 }, { a: 2, b: 3 }])).toThrow(/sample 1 has fields \[a, b\]/);
    expect(() => collate([])).toThrow(/no samples/);
  });
});

describe('Subset and randomSplit', () => {
  it('splits into disjoint subsets covering the dataset, by counts or fractions, reproducibly', () => {
    const ds = numbered(10);
    const [a, b] = randomSplit(ds, [7, 3], new Generator(0));
    expect([a.length, b.length]).toEqual([7, 3]);
    const all = [...a.indices, ...b.indices].sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const [c] = randomSplit(ds, [7, 3], new Generator(0));
    expect([...c.indices]).toEqual([...a.indices]);
    expect(randomSplit(ds, [0.5, 0.3, 0.2], new Generator(1)).map((s) => s.length)).toEqual([5, 3, 2]);
    expect(randomSplit(numbered(11), [0.5, 0.5], new Generator(1)).map((s) => s.length)).toEqual([6, 5]);
    expect(() => randomSplit(ds, [5, 4])).toThrow(/neither sum to the dataset length 10/);
  });

  it('a Subset maps indices and batches through its parent', () => {
    const sub = new Subset(numbered(10), [9, 2, 4]);
    expect(sub.get(0).y.item()).toBe(9);
    expect(epochIds(new DataLoader(sub, { batchSize: 2 }))).toEqual([[9, 2], [4]]);
    const plainSub = new Subset(plain(numbered(10)), [9, 2, 4]);
    expect(epochIds(new DataLoader(plainSub, { batchSize: 2 }))).toEqual([[9, 2], [4]]);
    expect(() => new Subset(numbered(3), [3])).toThrow(/Subset: index 3 is out of range/);
  });
});
