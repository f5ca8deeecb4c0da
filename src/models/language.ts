/**
 * What the language-modelling task (src/tasks/lm.ts) and `generate` need of
 * a model: next-token logits for a batch of token ids, and optionally an
 * incremental path with a key/value cache for sampling.
 *
 * Every registry entry with `task: 'lm'` builds a `LanguageModel`: one input
 * `idx` (int32 [B, T], T ≤ blockSize, ids < vocabSize) and one output, the
 * logits [B, T, vocabSize].
 */
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** The state of incremental decoding: how many positions it holds. */
export interface LMCache {
  /** Positions already in the cache (the next token's position). */
  readonly length: number;
}

export interface LanguageModel extends Module<[Tensor], Tensor> {
  /** Number of token ids; logits have this many classes. */
  readonly vocabSize: number;
  /** Longest context the model takes (its position table's length). */
  readonly blockSize: number;
  /**
   * A fresh cache for `batch` sequences. Models without one are sampled by
   * running the whole (cropped) context at every step.
   */
  newCache?(batch: number): LMCache;
  /**
   * Logits [B, T, vocabSize] for tokens `idx` [B, T] at positions
   * cache.length … cache.length + T − 1; appends their keys and values to
   * `cache`. Equal (to rounding) to the last T rows of `forward` over the
   * whole sequence. cache.length + T must not exceed blockSize.
   */
  forwardCached?(idx: Tensor, cache: LMCache): Tensor;
}

/** Whether a registered model has the incremental path. */
export const hasCache = (m: LanguageModel): m is LanguageModel & Required<Pick<LanguageModel, 'newCache' | 'forwardCached'>> =>
  typeof m.newCache === 'function' && typeof m.forwardCached === 'function';
