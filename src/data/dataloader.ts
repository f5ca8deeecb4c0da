/**
 * DataLoader: batches of a dataset, in order or in a seeded random order, with
 * a state that can be saved and restored so a resumed run sees exactly the
 * batches the interrupted one would have.
 *
 * Reproducibility: each epoch's order is one `randperm` drawn from the loader's
 * Generator. The state records the generator as it was at the start of the
 * epoch in progress and how many batches of it were handed out; restoring
 * redraws that permutation and skips those batches.
 */
import { randperm } from '../tensor/creation.js';
import { defaultGenerator, Generator, type GeneratorState } from '../tensor/random.js';
import { collate } from './collate.js';
import { isBatchSource, type Batch, type Dataset, type Sample } from './dataset.js';

export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit samples in a new random order each epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /**
   * Source of the shuffling order. Default: a Generator seeded with `seed`, or, without
   * a seed, with a number drawn from mlpkit's default generator (so `manualSeed` fixes it).
   * Give the loader a generator of its own: draws made from it elsewhere change the order.
   */
  generator?: Generator;
  seed?: number;
  /** Turns a list of samples into a batch (default: `collate`). Not used for in-memory datasets. */
  collate?: (samples: Sample[]) => Batch;
}

/** What `stateDict` returns: plain JSON-serialisable data. */
export interface DataLoaderState {
  /** Index of the epoch in progress, or of the next one. */
  epoch: number;
  /** Batches of that epoch already handed out. */
  batchIndex: number;
  /** Generator state at the start of that epoch (null without shuffling). */
  generator: GeneratorState | null;
}

/**
 * @example
 * const loader = new DataLoader(train, { batchSize: 128, shuffle: true, seed: 0 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { x, y } of loader) step(x, y); // x [128, 784], y [128]
 * }
 */
export class DataLoader<S extends Sample = Sample> implements Iterable<Batch> {
  readonly dataset: Dataset<S>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator | null;
  private readonly collateFn: (samples: Sample[]) => Batch;

  private epochIndex = 0;
  private batchIndex = 0;
  private inEpoch = false;
  /** Set by loadStateDict: the next iteration continues the saved epoch. */
  private resume = false;
  private epochStartState: GeneratorState | null;

  constructor(dataset: Dataset<S>, opts: DataLoaderOptions = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false } = opts;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = shuffle ? (opts.generator ?? new Generator(opts.seed ?? defaultGenerator.nextUint32())) : null;
    this.collateFn = opts.collate ?? collate;
    this.epochStartState = this.generator?.getState() ?? null;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Index of the epoch in progress (or the next one to start). */
  get epoch(): number {
    return this.epochIndex;
  }

  /** One epoch of batches. Iterating again starts the next epoch (an abandoned one counts as done). */
  *[Symbol.iterator](): Iterator<Batch> {
    if (this.resume) {
      this.resume = false;
      if (this.generator && this.epochStartState) this.generator.setState(this.epochStartState);
    } else {
      if (this.inEpoch) this.epochIndex++;
      this.batchIndex = 0;
      this.epochStartState = this.generator?.getState() ?? null;
    }
    this.inEpoch = true;
    const n = this.dataset.length;
    const order = this.generator ? (randperm(n, { generator: this.generator }).data as Int32Array) : null;
    const batches = this.length;
    while (this.batchIndex < batches) {
      const start = this.batchIndex * this.batchSize;
      const end = Math.min(start + this.batchSize, n);
      this.batchIndex++;
      yield this.makeBatch(order, start, end);
    }
    this.inEpoch = false;
    this.epochIndex++;
    this.batchIndex = 0;
    this.epochStartState = this.generator?.getState() ?? null;
  }

  private makeBatch(order: Int32Array | null, start: number, end: number): Batch {
    const ds = this.dataset;
    if (isBatchSource(ds)) return order ? ds.getBatch(order.slice(start, end)) : ds.getRange(start, end);
    const samples: Sample[] = [];
    for (let k = start; k < end; k++) samples.push(ds.get(order ? order[k] : k));
    return this.collateFn(samples);
  }

  /** Where the loader is: restore it with `loadStateDict` to continue from the next batch. */
  stateDict(): DataLoaderState {
    const gen = this.inEpoch || this.resume ? this.epochStartState : (this.generator?.getState() ?? null);
    return { epoch: this.epochIndex, batchIndex: this.inEpoch || this.resume ? this.batchIndex : 0, generator: gen ? { s: [...gen.s], spare: gen.spare } : null };
  }

  /** Continue from a saved state: the next iteration yields the batches the saved run had not yet seen. */
  loadStateDict(state: DataLoaderState): void {
    const { epoch, batchIndex, generator } = state;
    if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex > this.length) {
      throw new Error(`DataLoader.loadStateDict: invalid state (epoch ${epoch}, batchIndex ${batchIndex}, ${this.length} batches per epoch)`);
    }
    if (this.shuffle && !generator) throw new Error('DataLoader.loadStateDict: this loader shuffles but the state has no generator state');
    this.epochIndex = epoch;
    this.batchIndex = batchIndex;
    this.epochStartState = generator ? { s: [...generator.s], spare: generator.spare } : null;
    this.inEpoch = false;
    this.resume = true;
  }
}
