/**
 * Sliding forecasting windows over one split of a normalised series: sample
 * i is the look-back rows [i, i + L) and the target rows [i + L, i + L + H).
 * Windows are views of the split's rows, gathered into a batch only when the
 * DataLoader asks, so a long look-back over 35k windows costs no extra memory.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { BatchSource, Dataset } from '../dataset.js';

/** One sample: x [L, C], y [H, C] and, with time features, xMark [L, F], yMark [H, F]. */
export type WindowSample = Record<'x' | 'y', Tensor> & Partial<Record<'xMark' | 'yMark', Tensor>>;

export interface WindowDatasetOptions {
  /** Row-major [rows, channels] normalised values of this split (look-back rows included). */
  values: Float32Array;
  channels: number;
  seqLen: number;
  predLen: number;
  /** Row-major [rows, timeFeatures] covariates of the same rows, if wanted. */
  marks?: Float32Array | null;
  numMarks?: number;
}

/**
 * The windows of one split, as the reference loaders' `__getitem__`
 * (seq_x, seq_y with label_len 0, and their time marks).
 * @example
 * const ds = new WindowDataset({ values, channels: 7, seqLen: 96, predLen: 96 });
 * ds.length;           // rows − 96 − 96 + 1
 * ds.get(0).x.shape;   // [96, 7]
 */
export class WindowDataset implements Dataset<WindowSample>, BatchSource {
  readonly length: number;
  readonly rows: number;
  readonly channels: number;
  readonly seqLen: number;
  readonly predLen: number;
  readonly numMarks: number;
  private readonly values: Float32Array;
  private readonly marks: Float32Array | null;

  constructor(opts: WindowDatasetOptions) {
    const { values, channels, seqLen, predLen } = opts;
    for (const [k, v] of [['channels', channels], ['seqLen', seqLen], ['predLen', predLen]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`WindowDataset: ${k} must be a positive integer, got ${v}`);
    }
    if (values.length % channels !== 0) throw new Error(`WindowDataset: ${values.length} values are not whole rows of ${channels} channels`);
    this.rows = values.length / channels;
    this.length = this.rows - seqLen - predLen + 1;
    if (this.length < 1) {
      throw new Error(`WindowDataset: ${this.rows} rows hold no window of look-back ${seqLen} + horizon ${predLen}`);
    }
    this.values = values;
    this.channels = channels;
    this.seqLen = seqLen;
    this.predLen = predLen;
    this.marks = opts.marks ?? null;
    this.numMarks = this.marks ? (opts.numMarks ?? 0) : 0;
    if (this.marks && (this.numMarks < 1 || this.marks.length !== this.rows * this.numMarks)) {
      throw new Error(`WindowDataset: marks hold ${this.marks.length} values, expected ${this.rows} rows × ${this.numMarks} features`);
    }
  }

  get(index: number): WindowSample {
    const b = this.getBatch(Int32Array.of(index));
    const drop = (t: Tensor): Tensor => new Tensor(t.data, t.shape.slice(1), t.dtype);
    const out: WindowSample = { x: drop(b.x), y: drop(b.y) };
    if (b.xMark) {
      out.xMark = drop(b.xMark);
      out.yMark = drop(b.yMark);
    }
    return out;
  }

  getRange(start: number, end: number): Record<string, Tensor> {
    return this.getBatch(Int32Array.from({ length: Math.max(0, end - start) }, (_, k) => start + k));
  }

  /** Windows at `indices`: x [B, L, C], y [B, H, C] (+ xMark [B, L, F], yMark [B, H, F]). */
  getBatch(indices: Int32Array): Record<string, Tensor> {
    const { seqLen: L, predLen: H, channels: C } = this;
    const n = indices.length;
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new RangeError(`WindowDataset: index ${i} is out of range for ${this.length} windows`);
    }
    const gather = (src: Float32Array, width: number, offset: number, len: number): Tensor => {
      const out = new Float32Array(n * len * width);
      for (let b = 0; b < n; b++) {
        const from = (indices[b] + offset) * width;
        out.set(src.subarray(from, from + len * width), b * len * width);
      }
      return new Tensor(out, [n, len, width], 'float32');
    };
    const batch: Record<string, Tensor> = { x: gather(this.values, C, 0, L), y: gather(this.values, C, L, H) };
    if (this.marks) {
      batch.xMark = gather(this.marks, this.numMarks, 0, L);
      batch.yMark = gather(this.marks, this.numMarks, L, H);
    }
    return batch;
  }
}
