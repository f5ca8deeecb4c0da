/**
 * TimeMixer — Wang, Wu, Shi, Hu, Luo, Ma, Zhang & Zhou, "TimeMixer:
 * Decomposable Multiscale Mixing for Time Series Forecasting" (ICLR 2024),
 * https://arxiv.org/abs/2405.14616. Reference: kwuking/TimeMixer @8d230b7
 * (`models/TimeMixer.py`, `layers/Autoformer_EncDec.py`, `layers/StandardNorm.py`,
 * `layers/Embed.py`); class layout and state-dict names follow it.
 *
 * x [B, T, N] → M average-pool down-samplings (scales T, T/w, …, T/w^M) →
 * RevIN per scale → (channel independence: [B·N, T_m, 1]) → embedding →
 * e_layers × Past-Decomposable-Mixing (moving-average decomposition; seasons
 * mixed bottom-up fine→coarse, trends top-down coarse→fine; + residual MLP)
 * → Future-Multipredictor-Mixing (per scale Linear T_m → H over time, then a
 * projection d_model → 1) → sum over scales → RevIN denorm with scale 0's
 * statistics → [B, H, N].
 *
 * Reference quirks, matched by default and kept visible here:
 *  - channelIndependence 0: the PDM block has NO residual (`out = ori + …`
 *    runs only when channel_independence is truthy); its output is the
 *    out_cross_layer-free sum of mixed season and trend.
 *  - channelIndependence 1: the calendar covariates are tiled with
 *    `x_mark.repeat(N, 1, 1)` while the values are reshaped batch-major
 *    ([B, N] → B·N), so row b·N + n receives the marks of window (b·N + n) mod B,
 *    not of window b. `tiledMarks: false` gives each row its own window's marks.
 *  - The RevIN denorm divides by (affine_weight + eps²).
 *  - PastDecomposableMixing owns a LayerNorm (`layer_norm`) it never uses, and
 *    the embedding owns the unused positional table `pe`; both stay in the
 *    state dict.
 *  - The marks are down-sampled by taking every w-th row while the values are
 *    average-pooled.
 * Deviations: decompMethod 'dft_decomp' (needs an FFT; upstream buggy) and
 * downSamplingMethod 'conv' (the reference builds a fresh randomly initialised
 * Conv1d on every forward call) are not supported; embed must be 'timeF'.
 */
import { avgPool1d, maxPool1d } from '../../ops/conv.js';
import { stack } from '../../ops/movement.js';
import { Dropout } from '../../nn/dropout.js';
import { Linear } from '../../nn/linear.js';
import { Mlp, type TensorModule } from '../../nn/mlp.js';
import { Module } from '../../nn/module.js';
import { LayerNorm } from '../../nn/norm.js';
import type { Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';
import { SeriesDecomp } from './decomposition.js';
import { RevIN, type RevINStats } from './revin.js';
import { DataEmbeddingWoPos } from './timemixer_embed.js';

export type TimeMixerConfig = {
  seqLen: number;
  predLen: number;
  /** Input channels N. */
  encIn: number;
  /** Output channels (must equal encIn with channel independence). */
  cOut: number;
  dModel: number;
  dFf: number;
  eLayers: number;
  movingAvg: number;
  dropout: number;
  embed: 'timeF';
  /** Calendar covariate frequency: h → 4 features, t → 5, s → 6, d/b → 3, w → 2, m → 1. */
  freq: 'h' | 't' | 's' | 'd' | 'b' | 'w' | 'm';
  channelIndependence: number;
  decompMethod: 'moving_avg';
  useNorm: number;
  downSamplingLayers: number;
  downSamplingWindow: number;
  downSamplingMethod: 'avg' | 'max';
  useFutureTemporalFeature: number;
  /** Reproduce the reference's x_mark.repeat(N, 1, 1) pairing of rows and marks (see the file header). */
  tiledMarks: boolean;
};

const FREQ_FEATURES: Record<TimeMixerConfig['freq'], number> = { h: 4, t: 5, s: 6, m: 1, w: 2, d: 3, b: 3 };

/** Lengths of the scales: T // w^i for i = 0 … M. */
export function scaleLengths(c: Pick<TimeMixerConfig, 'seqLen' | 'downSamplingWindow' | 'downSamplingLayers'>): number[] {
  return Array.from({ length: c.downSamplingLayers + 1 }, (_, i) => Math.floor(c.seqLen / c.downSamplingWindow ** i));
}

/** Linear(a → hidden) → GELU → Linear(hidden → b): nn's Mlp under the reference's Sequential names (0.*, 2.*). */
function sequentialMlp(a: number, hidden: number, b: number, generator?: Generator): Mlp {
  return new Mlp(a, { hiddenFeatures: hidden, outFeatures: b, names: { fc1: '0', act: '1', fc2: '2' }, generator });
}

/** Builds the MLP over time from a scale of length `from` to one of length `to`. */
export type TimeMlpFactory = (from: number, to: number) => TensorModule;

/** Seasons, fine → coarse: s_{i+1} ← s_{i+1} + MLP_i(s_i). Inputs and outputs [N, D, T_i]. */
export class MultiScaleSeasonMixing extends Module<[Tensor[]], Tensor[]> {
  readonly downSamplingLayers: TensorModule[];

  /** `lengths`: T_0 > T_1 > … of the scales. */
  constructor(lengths: readonly number[], timeMlp: TimeMlpFactory) {
    super();
    this.downSamplingLayers = lengths.slice(1).map((t, i) => timeMlp(lengths[i], t));
  }

  /** seasons [N, D, T_i] → mixed seasons [N, T_i, D]. */
  forward(seasons: Tensor[]): Tensor[] {
    let high = seasons[0];
    const out = [high.transpose(1, 2)];
    for (let i = 0; i < seasons.length - 1; i++) {
      high = seasons[i + 1].add(this.downSamplingLayers[i].forward(high));
      out.push(high.transpose(1, 2));
    }
    return out;
  }
}

/** Trends, coarse → fine: t_i ← t_i + MLP(t_{i+1}). Inputs [N, D, T_i], outputs [N, T_i, D]. */
export class MultiScaleTrendMixing extends Module<[Tensor[]], Tensor[]> {
  /** Ordered coarsest first, as the reference builds them (reversed(range(M))). */
  readonly upSamplingLayers: TensorModule[];

  constructor(lengths: readonly number[], timeMlp: TimeMlpFactory) {
    super();
    this.upSamplingLayers = [];
    for (let i = lengths.length - 2; i >= 0; i--) this.upSamplingLayers.push(timeMlp(lengths[i + 1], lengths[i]));
  }

  forward(trends: Tensor[]): Tensor[] {
    const rev = trends.slice().reverse();
    let low = rev[0];
    const out = [low.transpose(1, 2)];
    for (let i = 0; i < rev.length - 1; i++) {
      low = rev[i + 1].add(this.upSamplingLayers[i].forward(low));
      out.push(low.transpose(1, 2));
    }
    return out.reverse();
  }
}

/** What a past-decomposable-mixing block is built from: constructors and numbers, not the config. */
export interface PdmParts {
  movingAvg: number;
  dropout: number;
  /** The MLP over d_model (D → d_ff → D): the cross layer and the output cross layer. */
  featureMlp: () => TensorModule;
  /** The MLP over time between two scales. */
  timeMlp: TimeMlpFactory;
  /**
   * Mix each decomposed part over d_model before the scale mixing and add no
   * residual after it: the reference without channel independence (see the file header).
   */
  crossMixing: boolean;
  generator?: Generator;
}

/** The parts a TimeMixer config asks for. */
export function pdmParts(c: TimeMixerConfig, generator?: Generator): PdmParts {
  if (c.decompMethod !== 'moving_avg') throw new Error(`timemixer: decompMethod '${c.decompMethod as string}' is not supported (only 'moving_avg')`);
  return {
    movingAvg: c.movingAvg,
    dropout: c.dropout,
    featureMlp: () => sequentialMlp(c.dModel, c.dFf, c.dModel, generator),
    timeMlp: (from, to) => sequentialMlp(from, to, to, generator),
    crossMixing: !c.channelIndependence,
    generator,
  };
}

/** Past-Decomposable-Mixing block over the list of scales [N, T_i, D]. */
export class PastDecomposableMixing extends Module<[Tensor[]], Tensor[]> {
  /** Unused by the reference's forward; kept for its state dict. */
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;
  // Reference spelling (no parameters, so the name only shows in toString()).
  readonly decompsition: SeriesDecomp;
  readonly crossLayer: TensorModule | null;
  readonly mixingMultiScaleSeason: MultiScaleSeasonMixing;
  readonly mixingMultiScaleTrend: MultiScaleTrendMixing;
  readonly outCrossLayer: TensorModule;

  /** `lengths`: T_i of the scales, finest first. */
  constructor(dModel: number, lengths: readonly number[], { movingAvg, dropout, featureMlp, timeMlp, crossMixing, generator }: PdmParts) {
    super();
    this.layerNorm = new LayerNorm(dModel);
    this.dropout = new Dropout(dropout, { generator });
    this.decompsition = new SeriesDecomp(movingAvg);
    this.crossLayer = crossMixing ? featureMlp() : null;
    this.mixingMultiScaleSeason = new MultiScaleSeasonMixing(lengths, timeMlp);
    this.mixingMultiScaleTrend = new MultiScaleTrendMixing(lengths, timeMlp);
    this.outCrossLayer = featureMlp();
  }

  forward(xs: Tensor[]): Tensor[] {
    const seasons: Tensor[] = [];
    const trends: Tensor[] = [];
    for (const x of xs) {
      let { seasonal, trend } = this.decompsition.forward(x); // (N, T_i, D) each
      if (this.crossLayer) {
        seasonal = this.crossLayer.forward(seasonal);
        trend = this.crossLayer.forward(trend);
      }
      seasons.push(seasonal.transpose(1, 2)); // (N, D, T_i)
      trends.push(trend.transpose(1, 2));
    }
    const mixedSeasons = this.mixingMultiScaleSeason.forward(seasons); // (N, T_i, D)
    const mixedTrends = this.mixingMultiScaleTrend.forward(trends);
    return xs.map((x, i) => {
      let out = mixedSeasons[i].add(mixedTrends[i]);
      // Reference quirk: with cross mixing (no channel independence) no residual and no out_cross_layer.
      if (!this.crossLayer) out = x.add(this.outCrossLayer.forward(out));
      return out.narrow(1, 0, x.shape[1]);
    });
  }
}

/**
 * TimeMixer forecaster: x [B, T, N] (+ calendar marks [B, T, F], and for
 * useFutureTemporalFeature the horizon's marks [B, H, F]) → forecast [B, H, N].
 * @example
 * const m = new TimeMixer({ ...TIMEMIXER_DEFAULTS });
 * m.forward(x, xMark).shape; // x [16, 96, 7], xMark [16, 96, 4] → [16, 96, 7]
 */
export class TimeMixer extends Module<[Tensor, (Tensor | null)?, (Tensor | null)?], Tensor> {
  readonly pdmBlocks: PastDecomposableMixing[];
  readonly preprocess: SeriesDecomp;
  readonly encEmbedding: DataEmbeddingWoPos;
  readonly normalizeLayers: RevIN[];
  readonly predictLayers: Linear[];
  readonly projectionLayer: Linear;
  readonly outResLayers: Linear[] | null;
  readonly regressionLayers: Linear[] | null;

  constructor(readonly config: TimeMixerConfig, generator?: Generator) {
    super();
    const c = config;
    for (const k of ['seqLen', 'predLen', 'encIn', 'cOut', 'dModel', 'dFf', 'movingAvg', 'downSamplingWindow'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`timemixer: ${k} must be a positive integer, got ${c[k]}`);
    }
    if (!Number.isInteger(c.downSamplingLayers) || c.downSamplingLayers < 0) throw new Error(`timemixer: downSamplingLayers must be a non-negative integer, got ${c.downSamplingLayers}`);
    if (c.embed !== 'timeF') throw new Error(`timemixer: embed '${c.embed as string}' is not supported (only 'timeF')`);
    if (!(c.freq in FREQ_FEATURES)) throw new Error(`timemixer: unknown freq '${c.freq as string}' (known: ${Object.keys(FREQ_FEATURES).join(', ')})`);
    if (c.downSamplingMethod !== 'avg' && c.downSamplingMethod !== 'max') {
      throw new Error(`timemixer: downSamplingMethod '${c.downSamplingMethod as string}' is not supported (avg or max)`);
    }
    const smallest = scaleLengths(c).at(-1)!;
    if (smallest < 1) throw new Error(`timemixer: seqLen ${c.seqLen} is too short for ${c.downSamplingLayers} down-samplings by ${c.downSamplingWindow}`);
    if (c.channelIndependence && c.cOut !== c.encIn) throw new Error(`timemixer: with channel independence cOut (${c.cOut}) must equal encIn (${c.encIn})`);
    const len = scaleLengths(c);
    const parts = pdmParts(c, generator);
    this.pdmBlocks = Array.from({ length: c.eLayers }, () => new PastDecomposableMixing(c.dModel, len, parts));
    this.preprocess = new SeriesDecomp(c.movingAvg);
    this.encEmbedding = new DataEmbeddingWoPos(c.channelIndependence ? 1 : c.encIn, c.dModel, FREQ_FEATURES[c.freq], c.dropout, generator);
    this.normalizeLayers = len.map(() => new RevIN(c.encIn, { affine: true, denormWeightEps: true, nonNorm: c.useNorm === 0 }));
    this.predictLayers = len.map((t) => new Linear(t, c.predLen, { generator }));
    this.projectionLayer = new Linear(c.dModel, c.channelIndependence ? 1 : c.cOut, { generator });
    this.outResLayers = c.channelIndependence ? null : len.map((t) => new Linear(t, t, { generator }));
    this.regressionLayers = c.channelIndependence ? null : len.map((t) => new Linear(t, c.predLen, { generator }));
  }

  /** x [B, T, N] → the scales [B, T_i, N]; marks [B, T, F] → every w-th row per scale. */
  private multiScale(x: Tensor, marks: Tensor | null): { xs: Tensor[]; marks: (Tensor | null)[] } {
    const { downSamplingLayers: m, downSamplingWindow: w, downSamplingMethod } = this.config;
    const xs = [x];
    const ms = [marks];
    let cur = x.transpose(1, 2); // (B, N, T)
    let mk = marks;
    for (let i = 0; i < m; i++) {
      cur = downSamplingMethod === 'avg' ? avgPool1d(cur, w) : maxPool1d(cur, w);
      xs.push(cur.transpose(1, 2));
      if (mk) {
        mk = mk.slice(1, 0, null, w);
        ms.push(mk);
      } else {
        ms.push(null);
      }
    }
    return { xs, marks: ms };
  }

  /** Marks [B, T, F] for the B·N channel-independent rows (tiled as the reference, or per window). */
  private expandMarks(marks: Tensor, n: number): Tensor {
    const [b, t, f] = marks.shape;
    if (this.config.tiledMarks) return marks.unsqueeze(0).expand([n, b, t, f]).reshape([n * b, t, f]); // x_mark.repeat(N, 1, 1)
    return marks.unsqueeze(1).expand([b, n, t, f]).reshape([b * n, t, f]);
  }

  forward(x: Tensor, xMark: Tensor | null = null, yMark: Tensor | null = null): Tensor {
    const c = this.config;
    if (x.ndim !== 3 || x.shape[1] !== c.seqLen || x.shape[2] !== c.encIn) {
      throw new Error(`timemixer: expected input [B, ${c.seqLen}, ${c.encIn}], got ${shapeStr(x.shape)}`);
    }
    const [b, , n] = x.shape;
    const f = FREQ_FEATURES[c.freq];
    if (xMark && (xMark.ndim !== 3 || xMark.shape[0] !== b || xMark.shape[1] !== c.seqLen || xMark.shape[2] !== f)) {
      throw new Error(`timemixer: expected marks [${b}, ${c.seqLen}, ${f}] for freq '${c.freq}', got ${shapeStr(xMark.shape)}`);
    }
    let futureMarks: Tensor | null = null;
    if (c.useFutureTemporalFeature) {
      if (!yMark || yMark.ndim !== 3 || yMark.shape[1] !== c.predLen) {
        throw new Error(`timemixer: useFutureTemporalFeature needs the horizon's marks [B, ${c.predLen}, ${f}], got ${yMark ? shapeStr(yMark.shape) : 'none'}`);
      }
      // Added to the channel-independent forecasts only (the reference embeds them without it too, unused).
      if (c.channelIndependence) futureMarks = this.encEmbedding.embedMarks(this.expandMarks(yMark, n));
    }

    const scales = this.multiScale(x, xMark);
    const stats: RevINStats[] = [];
    const rows: Tensor[] = [];
    const trends: Tensor[] = [];
    scales.xs.forEach((xi, i) => {
      const { y, stats: s } = this.normalizeLayers[i].normalize(xi); // (B, T_i, N)
      stats.push(s);
      if (c.channelIndependence) {
        rows.push(y.transpose(1, 2).reshape([b * n, xi.shape[1], 1])); // (B·N, T_i, 1)
      } else {
        // The embedding sees the seasonal part; the trend goes to the output residual.
        const { seasonal, trend } = this.preprocess.forward(y);
        rows.push(seasonal);
        trends.push(trend);
      }
    });
    let enc = rows.map((r, i) => this.encEmbedding.forward(r, this.rowMarks(scales.marks[i], n))); // (B·N | B, T_i, D)
    for (const block of this.pdmBlocks) enc = block.forward(enc);

    const outs = enc.map((e, i) => {
      let dec = this.predictLayers[i].forward(e.transpose(1, 2)).transpose(1, 2); // (·, H, D)
      if (futureMarks) dec = dec.add(futureMarks);
      dec = this.projectionLayer.forward(dec); // (B·N, H, 1) | (B, H, c_out)
      if (c.channelIndependence) return dec.reshape([b, c.cOut, c.predLen]).transpose(1, 2); // (B, H, N)
      const res = this.regressionLayers![i].forward(this.outResLayers![i].forward(trends[i].transpose(1, 2))).transpose(1, 2);
      return dec.add(res);
    });
    const summed = outs.length === 1 ? outs[0] : stack(outs, -1).sum(-1); // (B, H, N)
    return this.normalizeLayers[0].denormalize(summed, stats[0]);
  }

  /** Marks [B, T, F] for the embedding's rows: repeated per channel with channel independence (see expandMarks). */
  private rowMarks(marks: Tensor | null, n: number): Tensor | null {
    return marks && this.config.channelIndependence ? this.expandMarks(marks, n) : marks;
  }
}

/** run.py defaults with the published ETTh1 "unify" script's settings (seq 96, d_model 16, d_ff 32, 3 down-samplings by 2). */
export const TIMEMIXER_DEFAULTS: TimeMixerConfig = {
  seqLen: 96,
  predLen: 96,
  encIn: 7,
  cOut: 7,
  dModel: 16,
  dFf: 32,
  eLayers: 2,
  movingAvg: 25,
  dropout: 0.1,
  embed: 'timeF',
  freq: 'h',
  channelIndependence: 1,
  decompMethod: 'moving_avg',
  useNorm: 1,
  downSamplingLayers: 3,
  downSamplingWindow: 2,
  downSamplingMethod: 'avg',
  useFutureTemporalFeature: 0,
  tiledMarks: true,
};

register<TimeMixerConfig>({
  name: 'timemixer',
  family: 'timemixer',
  task: 'forecast',
  reference: 'kwuking/TimeMixer @8d230b7 models/TimeMixer.py, layers/Autoformer_EncDec.py, layers/StandardNorm.py, layers/Embed.py',
  paper: 'Wang et al., "TimeMixer: Decomposable Multiscale Mixing for Time Series Forecasting" (ICLR 2024), https://arxiv.org/abs/2405.14616',
  description: 'TimeMixer: multiscale past-decomposable mixing and future multipredictor mixing (ETTh1 unify-script defaults)',
  defaults: TIMEMIXER_DEFAULTS,
  inputs: (c) => [
    { name: 'x_enc', shape: [c.seqLen, c.encIn] },
    { name: 'x_mark_enc', shape: [c.seqLen, FREQ_FEATURES[c.freq]] },
  ],
  outputs: (c) => [{ name: 'forecast', shape: [c.predLen, c.cOut] }],
  smallConfig: { seqLen: 24, predLen: 6, encIn: 3, cOut: 3, dModel: 8, dFf: 8, downSamplingLayers: 2, movingAvg: 5 },
  // PastDecomposableMixing's LayerNorm: the reference builds it but its forward never calls it.
  unusedParameters: /(^|\.)layer_norm\./,
  create: (c, g) => new TimeMixer(c, g),
});

/** Number of calendar covariates TimeMixer expects for a frequency. */
export const timeMixerMarks = (freq: TimeMixerConfig['freq']): number => FREQ_FEATURES[freq];
