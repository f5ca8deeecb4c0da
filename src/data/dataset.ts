/**
 * Datasets: an indexable collection of samples, each a record of named tensors
 * or numbers. In-memory datasets also hand out whole batches at once
 * (`BatchSource`), which is how the DataLoader avoids building one object per
 * sample: a contiguous batch is a view of the storage, a shuffled one is a
 * single row gather per field.
 */
import { Tensor } from '../tensor/tensor.js';
import { shapeStr } from '../tensor/shape.js';
import { allocStorage } from '../tensor/dtype.js';
import { randperm } from '../tensor/creation.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { collate } from './collate.js';

export type SampleValue = Tensor | number;
/** One sample: named values, e.g. `{ x: image, y: label }`. */
export type Sample = Record<string, SampleValue>;
/** A batch: every field stacked along a new leading dimension. */
export type Batch = Record<string, Tensor>;

export interface Dataset<S extends Sample = Sample> {
  readonly length: number;
  get(index: number): S;
}

/** A dataset that can produce a collated batch directly (the DataLoader's fast path). */
export interface BatchSource {
  /** Samples start..end−1 collated; may share storage with the dataset (treat it as read-only). */
  getRange(start: number, end: number): Batch;
  /** Samples at `indices` collated into fresh tensors. */
  getBatch(indices: Int32Array): Batch;
}

export const isBatchSource = (d: object): d is BatchSource =>
  typeof (d as Partial<BatchSource>).getBatch === 'function' && typeof (d as Partial<BatchSource>).getRange === 'function';

function checkIndex(i: number, length: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= length) throw new RangeError(`${what}: index ${i} is out of range for a dataset of length ${length}`);
}

/**
 * Samples are rows (dim 0) of tensors that share their first dimension.
 * @example
 * const ds = new TensorDataset({ x: images, y: labels }); // images [N, 784], labels [N]
 * ds.get(0); // { x: [784], y: [] }
 */
export class TensorDataset<K extends string = string> implements Dataset<Record<K, Tensor>>, BatchSource {
  readonly tensors: Readonly<Record<K, Tensor>>;
  readonly length: number;
  private readonly fields: [K, Tensor, number][];

  constructor(tensors: Record<K, Tensor>) {
    const entries = Object.entries(tensors) as [K, Tensor][];
    if (entries.length === 0) throw new Error('TensorDataset: needs at least one tensor');
    const [firstName, first] = entries[0];
    for (const [name, t] of entries) {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: field '${name}' is not a Tensor`);
      if (t.ndim === 0) throw new Error(`TensorDataset: field '${name}' is 0-d; samples are rows of dim 0`);
      if (t.shape[0] !== first.shape[0]) {
        throw new Error(`TensorDataset: field '${name}' has ${t.shape[0]} rows (shape ${shapeStr(t.shape)}) but '${firstName}' has ${first.shape[0]} (shape ${shapeStr(first.shape)})`);
      }
    }
    this.tensors = Object.freeze({ ...tensors });
    this.length = first.shape[0];
    this.fields = entries.map(([name, t]) => [name, t.detach(), t.size / Math.max(1, t.shape[0])]);
  }

  /** One row of every field (views of the storage). */
  get(index: number): Record<K, Tensor> {
    checkIndex(index, this.length, 'TensorDataset.get');
    return this.getRangeTyped(index, index + 1, false);
  }

  getRange(start: number, end: number): Record<K, Tensor> {
    if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= this.length)) {
      throw new RangeError(`TensorDataset.getRange: [${start}, ${end}) is not a range within 0..${this.length}`);
    }
    return this.getRangeTyped(start, end, true);
  }

  private getRangeTyped(start: number, end: number, keepDim: boolean): Record<K, Tensor> {
    const out = {} as Record<K, Tensor>;
    for (const [name, t, row] of this.fields) {
      const shape = keepDim ? [end - start, ...t.shape.slice(1)] : t.shape.slice(1);
      out[name] = new Tensor(t.data.subarray(start * row, end * row), shape, t.dtype);
    }
    return out;
  }

  getBatch(indices: Int32Array): Record<K, Tensor> {
    const n = this.length;
    for (let i = 0; i < indices.length; i++) checkIndex(indices[i], n, 'TensorDataset.getBatch');
    const out = {} as Record<K, Tensor>;
    for (const [name, t, row] of this.fields) {
      const data = allocStorage(t.dtype, indices.length * row);
      const src = t.data;
      if (row === 1) {
        for (let b = 0; b < indices.length; b++) data[b] = src[indices[b]];
      } else {
        for (let b = 0; b < indices.length; b++) data.set(src.subarray(indices[b] * row, (indices[b] + 1) * row), b * row);
      }
      out[name] = new Tensor(data, [indices.length, ...t.shape.slice(1)], t.dtype);
    }
    return out;
  }
}

/** The samples of `dataset` at `indices`, in that order. Batches pass through to the parent's fast path. */
export class Subset<S extends Sample = Sample> implements Dataset<S>, BatchSource {
  readonly indices: Int32Array;

  constructor(
    readonly dataset: Dataset<S>,
    indices: ArrayLike<number>,
  ) {
    this.indices = Int32Array.from(indices);
    for (const i of this.indices) checkIndex(i, dataset.length, 'Subset');
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): S {
    checkIndex(index, this.length, 'Subset.get');
    return this.dataset.get(this.indices[index]);
  }

  getRange(start: number, end: number): Batch {
    return this.getBatch(Int32Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k));
  }

  getBatch(indices: Int32Array): Batch {
    const mapped = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      checkIndex(indices[k], this.length, 'Subset.getBatch');
      mapped[k] = this.indices[indices[k]];
    }
    if (isBatchSource(this.dataset)) return this.dataset.getBatch(mapped);
    return collate(Array.from(mapped, (i) => this.dataset.get(i)));
  }
}

/**
 * Split a dataset into non-overlapping random subsets, by counts (summing to its
 * length) or by fractions (summing to 1; remainders go to the first subsets, as
 * PyTorch does). Seeded by `generator` (default: mlpkit's default generator).
 * @example const [train, val] = randomSplit(ds, [0.9, 0.1], new Generator(0));
 */
export function randomSplit<S extends Sample>(dataset: Dataset<S>, lengths: readonly number[], generator: Generator = defaultGenerator): Subset<S>[] {
  const n = dataset.length;
  let counts: number[];
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (lengths.every((l) => Number.isInteger(l) && l >= 0) && sum === n) {
    counts = [...lengths];
  } else if (lengths.every((l) => l >= 0 && l <= 1) && Math.abs(sum - 1) < 1e-9) {
    counts = lengths.map((f) => Math.floor(f * n));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  } else {
    throw new Error(`randomSplit: lengths [${lengths.join(', ')}] neither sum to the dataset length ${n} nor are fractions summing to 1`);
  }
  const perm = randperm(n, { generator }).data as Int32Array;
  const out: Subset<S>[] = [];
  let at = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.subarray(at, at + c)));
    at += c;
  }
  return out;
}
