/**
 * PatchTSMixer — Ekambaram, Jati, Nguyen, Sinthong & Kalagnanam, "TSMixer:
 * Lightweight MLP-Mixer Model for Multivariate Time Series Forecasting"
 * (KDD 2023), https://arxiv.org/abs/2306.09364.
 * Reference: huggingface/transformers `models/patchtsmixer/modeling_patchtsmixer.py`
 * (+ configuration_patchtsmixer.py); class and state-dict names follow it, so a
 * `PatchTSMixerForPrediction` state dict loads unchanged.
 *
 * past_values [B, L, C] → std scaling per window and channel → patches
 * [B, C, Np, P] → patcher Linear(P → D) → num_layers × (channel mixer in
 * mix_channel mode → patch mixer → feature mixer) → head: flatten Np·D →
 * dropout → Linear → [B, H, C] → undo the scaling.
 *
 * Where the gate sits (as in the reference, and easy to get wrong):
 *  - patch mixer and feature mixer: norm → MLP → gated attention → + residual;
 *  - channel mixer (mix_channel only): norm → gated attention → MLP → + residual.
 * Gated attention is x · softmax(Linear(x)) over the mixed (last) dimension.
 *
 * Deviations: the distribution ("nll") heads, `prediction_channel_indices`
 * and masking for pretraining are not implemented (none is a config key here;
 * the prediction head is the mean-squared-error one).
 * Initialisation is PyTorch's default, as the reference with post_init=False
 * (its default); postInit=true gives the reference's N(0, init_std) Linears.
 */
import { asStrided } from '../../ops/movement.js';
import { BatchNorm1d } from '../../nn/batchnorm.js';
import { Dropout } from '../../nn/dropout.js';
import { normal_ } from '../../nn/init.js';
import { Linear } from '../../nn/linear.js';
import { Mlp, type LayerFactory, type TensorModule } from '../../nn/mlp.js';
import { Module } from '../../nn/module.js';
import { LayerNorm } from '../../nn/norm.js';
import { Parameter } from '../../nn/parameter.js';
import { cast } from '../../ops/cast.js';
import { randn, zeros } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';

export type PatchTSMixerConfig = {
  contextLength: number;
  patchLength: number;
  numInputChannels: number;
  patchStride: number;
  dModel: number;
  expansionFactor: number;
  numLayers: number;
  dropout: number;
  mode: 'common_channel' | 'mix_channel';
  gatedAttn: boolean;
  normMlp: 'LayerNorm' | 'BatchNorm';
  /** Add multi-head self-attention over patches in each patch mixer. */
  selfAttn: boolean;
  selfAttnHeads: number;
  usePositionalEncoding: boolean;
  positionalEncodingType: 'sincos' | 'random';
  /** 'std' (default), 'mean', or null for none. */
  scaling: 'std' | 'mean' | null;
  initStd: number;
  postInit: boolean;
  normEps: number;
  headDropout: number;
  predictionLength: number;
};

/** num_patches = (max(L, P) − P) // stride + 1, as the reference config. */
export function numPatches(c: Pick<PatchTSMixerConfig, 'contextLength' | 'patchLength' | 'patchStride'>): number {
  return Math.floor((Math.max(c.contextLength, c.patchLength) - c.patchLength) / c.patchStride) + 1;
}

/** x · softmax(Linear(x)) over the last dimension. */
export class PatchTSMixerGatedAttention extends Module<[Tensor], Tensor> {
  readonly attnLayer: Linear;

  constructor(inSize: number, outSize: number, generator?: Generator) {
    super();
    this.attnLayer = new Linear(inSize, outSize, { generator });
  }

  forward(x: Tensor): Tensor {
    return x.mul(this.attnLayer.forward(x).softmax(-1));
  }
}

/** BatchNorm1d over d_model of x [N, T, D] (the reference transposes to [N, D, T] around it). */
export class PatchTSMixerBatchNorm extends Module<[Tensor], Tensor> {
  readonly batchnorm: BatchNorm1d;

  constructor(dModel: number, eps: number) {
    super();
    this.batchnorm = new BatchNorm1d(dModel, { eps });
  }

  forward(x: Tensor): Tensor {
    return this.batchnorm.forward(x.transpose(1, 2)).transpose(1, 2);
  }
}

/** LayerNorm over d_model, or BatchNorm over d_model with batch and channels merged. x [B, C, Np, D]. */
export class PatchTSMixerNormLayer extends Module<[Tensor], Tensor> {
  readonly norm: LayerNorm | PatchTSMixerBatchNorm;

  constructor(dModel: number, normMlp: PatchTSMixerConfig['normMlp'], eps: number) {
    super();
    // The reference tests `"batch" in norm_mlp.lower()`.
    this.norm = normMlp.toLowerCase().includes('batch') ? new PatchTSMixerBatchNorm(dModel, eps) : new LayerNorm(dModel, { eps });
  }

  forward(x: Tensor): Tensor {
    if (this.norm instanceof LayerNorm) return this.norm.forward(x);
    const [b, ch, np, d] = x.shape;
    return this.norm.forward(x.reshape([b * ch, np, d])).reshape([b, ch, np, d]);
  }
}

/** nn's Mlp as the reference's: fc1 (in → in·expansion) → GELU → dropout1 → fc2 → dropout2, on the last dimension. */
export class PatchTSMixerMLP extends Mlp {
  constructor(inFeatures: number, outFeatures: number, expansionFactor: number, dropout: number, generator?: Generator) {
    super(inFeatures, { hiddenFeatures: inFeatures * expansionFactor, outFeatures, drop: dropout, names: { drop1: 'dropout1', drop2: 'dropout2' }, generator });
  }
}

/** What every mixer block is built from: constructors, not the config (timm's blocks take `mlp_layer`, `norm_layer`). */
export interface MixerBlockParts {
  /** The norm over d_model of x [B, C, Np, D]. */
  norm: () => TensorModule;
  /** The MLP over `width` features, width → width. */
  mlp: (width: number) => TensorModule;
  /** Gated attention over `width` features, or null for none. */
  gate: LayerFactory | null;
}

/** The parts a config asks for: its norm, the expanding MLP with its dropout, gated attention when gatedAttn. */
export function mixerBlockParts(c: PatchTSMixerConfig, generator?: Generator): MixerBlockParts {
  return {
    norm: () => new PatchTSMixerNormLayer(c.dModel, c.normMlp, c.normEps),
    mlp: (w) => new PatchTSMixerMLP(w, w, c.expansionFactor, c.dropout, generator),
    gate: c.gatedAttn ? (w) => new PatchTSMixerGatedAttention(w, w, generator) : null,
  };
}

/**
 * Multi-head self-attention in the BART form the reference uses
 * (PatchTSMixerAttention): q, k, v and output projections with bias, queries
 * scaled by head_dim^-0.5, dropout on the attention weights. x [N, T, D].
 */
export class PatchTSMixerAttention extends Module<[Tensor], Tensor> {
  readonly kProj: Linear;
  readonly vProj: Linear;
  readonly qProj: Linear;
  readonly outProj: Linear;
  readonly dropout: Dropout;

  constructor(readonly embedDim: number, readonly numHeads: number, dropout: number, generator?: Generator) {
    super();
    this.kProj = new Linear(embedDim, embedDim, { generator });
    this.vProj = new Linear(embedDim, embedDim, { generator });
    this.qProj = new Linear(embedDim, embedDim, { generator });
    this.outProj = new Linear(embedDim, embedDim, { generator });
    this.dropout = new Dropout(dropout, { generator });
  }

  forward(x: Tensor): Tensor {
    const [n, t, d] = x.shape;
    const hd = d / this.numHeads;
    const heads = (y: Tensor): Tensor => y.reshape([n, t, this.numHeads, hd]).transpose(1, 2); // (N, H, T, hd)
    const q = heads(this.qProj.forward(x).mul(hd ** -0.5));
    const w = this.dropout.forward(q.matmul(heads(this.kProj.forward(x)).transpose(2, 3)).softmax(-1)); // (N, H, T, T)
    return this.outProj.forward(w.matmul(heads(this.vProj.forward(x))).transpose(1, 2).reshape([n, t, d]));
  }
}

/** norm, MLP and optional gated attention over `width` features: the parts every mixer block has. */
abstract class GatedMixerBlock extends Module<[Tensor], Tensor> {
  readonly norm: TensorModule;
  readonly mlp: TensorModule;
  readonly gatingBlock: TensorModule | null;

  constructor(width: number, { norm, mlp, gate }: MixerBlockParts) {
    super();
    this.norm = norm();
    this.mlp = mlp(width);
    this.gatingBlock = gate?.(width) ?? null;
  }
}

/**
 * Mixes across patches: gate AFTER the MLP. With `attention` (self-attention
 * over the patches of the normalised input), its output is added to the MLP's
 * and the sum normalised again (norm_attn) before the residual. x [B, C, Np, D].
 */
export class PatchMixerBlock extends GatedMixerBlock {
  readonly selfAttnLayer: TensorModule | null;
  readonly normAttn: TensorModule | null;

  constructor(numPatches: number, parts: MixerBlockParts, attention: (() => TensorModule) | null = null) {
    super(numPatches, parts);
    this.selfAttnLayer = attention?.() ?? null;
    this.normAttn = attention ? parts.norm() : null;
  }

  forward(x: Tensor): Tensor {
    const n = this.norm.forward(x);
    let h = this.mlp.forward(n.transpose(2, 3)); // (B, C, D, Np)
    if (this.gatingBlock) h = this.gatingBlock.forward(h);
    h = h.transpose(2, 3); // (B, C, Np, D)
    if (this.selfAttnLayer && this.normAttn) {
      const [b, ch, np, d] = n.shape;
      const attn = this.selfAttnLayer.forward(n.reshape([b * ch, np, d])).reshape([b, ch, np, d]);
      h = this.normAttn.forward(h.add(attn));
    }
    return h.add(x);
  }
}

/** Mixes across the hidden features: gate AFTER the MLP. x [B, C, Np, D]; built as `new FeatureMixerBlock(dModel, parts)`. */
export class FeatureMixerBlock extends GatedMixerBlock {
  forward(x: Tensor): Tensor {
    let h = this.mlp.forward(this.norm.forward(x));
    if (this.gatingBlock) h = this.gatingBlock.forward(h);
    return h.add(x);
  }
}

/** Mixes across channels (mix_channel mode): gate BEFORE the MLP. x [B, C, Np, D]; built as `new …(numChannels, parts)`. */
export class PatchTSMixerChannelFeatureMixerBlock extends GatedMixerBlock {
  forward(x: Tensor): Tensor {
    let h = this.norm.forward(x).permute([0, 3, 2, 1]); // (B, D, Np, C)
    if (this.gatingBlock) h = this.gatingBlock.forward(h);
    h = this.mlp.forward(h).permute([0, 3, 2, 1]); // (B, C, Np, D)
    return h.add(x);
  }
}

/** [channel mixer] → patch mixer → feature mixer, each built by its constructor in the reference's order. */
export class PatchTSMixerLayer extends Module<[Tensor], Tensor> {
  readonly patchMixer: TensorModule;
  readonly featureMixer: TensorModule;
  readonly channelFeatureMixer: TensorModule | null;

  constructor({ patchMixer, featureMixer, channelMixer = null }: {
    patchMixer: () => TensorModule; featureMixer: () => TensorModule; channelMixer?: (() => TensorModule) | null;
  }) {
    super();
    this.patchMixer = patchMixer();
    this.featureMixer = featureMixer();
    this.channelFeatureMixer = channelMixer?.() ?? null;
  }

  forward(x: Tensor): Tensor {
    let h = this.channelFeatureMixer ? this.channelFeatureMixer.forward(x) : x;
    h = this.patchMixer.forward(h);
    return this.featureMixer.forward(h);
  }
}

/** numLayers mixer layers in sequence, as `mixers.{i}`. */
export class PatchTSMixerBlock extends Module<[Tensor], Tensor> {
  readonly mixers: TensorModule[];

  constructor(numLayers: number, layer: () => TensorModule) {
    super();
    this.mixers = Array.from({ length: numLayers }, layer);
  }

  forward(x: Tensor): Tensor {
    return this.mixers.reduce((h, m) => m.forward(h), x);
  }
}

/** Positional encoding added to the patch embeddings: position_enc [Np, D]. */
export class PatchTSMixerPositionalEncoding extends Module<[Tensor], Tensor> {
  readonly positionEnc: Parameter;

  constructor(c: PatchTSMixerConfig, generator?: Generator) {
    super();
    const np = numPatches(c);
    if (c.positionalEncodingType === 'random') {
      this.positionEnc = new Parameter(randn([np, c.dModel], { generator }));
    } else if (c.positionalEncodingType === 'sincos') {
      // sin/cos table, centred and scaled to std 1/10 over all entries, frozen.
      const pe = zeros([np, c.dModel], { dtype: 'float64' });
      const d = c.dModel;
      for (let p = 0; p < np; p++) {
        for (let i = 0; i < d; i += 2) {
          const angle = p * Math.exp(-(i * Math.log(10000)) / d);
          pe.data[p * d + i] = Math.sin(angle);
          if (i + 1 < d) pe.data[p * d + i + 1] = Math.cos(angle);
        }
      }
      const centred = pe.sub(pe.mean());
      const scaled = cast(centred.div(centred.std().mul(10)), 'float32');
      this.positionEnc = new Parameter(scaled, false);
    } else {
      throw new Error(`patchtsmixer: positionalEncodingType must be 'sincos' or 'random', got '${c.positionalEncodingType as string}'`);
    }
  }

  forward(x: Tensor): Tensor {
    return x.add(this.positionEnc);
  }
}

/** patches [B, C, Np, P] → patcher → (positional encoding) → mixer layers → [B, C, Np, D]. */
export class PatchTSMixerEncoder extends Module<[Tensor], Tensor> {
  readonly patcher: Linear;
  readonly positionalEncoder: PatchTSMixerPositionalEncoding | null;
  readonly mlpMixerEncoder: PatchTSMixerBlock;

  constructor(c: PatchTSMixerConfig, generator?: Generator) {
    super();
    this.patcher = new Linear(c.patchLength, c.dModel, { generator });
    this.positionalEncoder = c.usePositionalEncoding ? new PatchTSMixerPositionalEncoding(c, generator) : null;
    // The config is read here, once: the blocks below it take constructors and widths.
    const parts = mixerBlockParts(c, generator);
    const attention = c.selfAttn ? () => new PatchTSMixerAttention(c.dModel, c.selfAttnHeads, c.dropout, generator) : null;
    this.mlpMixerEncoder = new PatchTSMixerBlock(c.numLayers, () => new PatchTSMixerLayer({
      patchMixer: () => new PatchMixerBlock(numPatches(c), parts, attention),
      featureMixer: () => new FeatureMixerBlock(c.dModel, parts),
      channelMixer: c.mode === 'mix_channel' ? () => new PatchTSMixerChannelFeatureMixerBlock(c.numInputChannels, parts) : null,
    }));
  }

  forward(patches: Tensor): Tensor {
    let h = this.patcher.forward(patches); // (B, C, Np, D)
    if (this.positionalEncoder) h = this.positionalEncoder.forward(h);
    return this.mlpMixerEncoder.forward(h);
  }
}

/** The reference's Patchify: x [B, L, C] → [B, C, Np, P], dropping the oldest rows that do not fill a patch. */
export function patchify(x: Tensor, c: Pick<PatchTSMixerConfig, 'contextLength' | 'patchLength' | 'patchStride'>): Tensor {
  const [b, l, ch] = x.shape;
  if (x.ndim !== 3 || l !== c.contextLength) throw new Error(`patchtsmixer: expected past values [B, ${c.contextLength}, C], got ${shapeStr(x.shape)}`);
  const np = numPatches(c);
  const start = l - (c.patchLength + c.patchStride * (np - 1));
  // Strides of a contiguous [B, L, C]: patch p, offset j of channel c sits at (start + p·stride + j)·C + c.
  return asStrided(x, [b, ch, np, c.patchLength], [l * ch, 1, c.patchStride * ch, ch], start * ch);
}

/** Per-window, per-channel scaling over time: (x − loc) / scale, with loc and scale [B, 1, C]. */
export function scaleWindow(x: Tensor, scaling: PatchTSMixerConfig['scaling']): { scaled: Tensor; loc: Tensor; scale: Tensor } {
  const [b, , ch] = x.shape;
  if (scaling === 'std') {
    const loc = x.mean(1, true);
    const scale = x.sub(loc).square().mean(1, true).add(1e-5).sqrt(); // minimum_scale 1e-5 inside the root
    return { scaled: x.sub(loc).div(scale), loc, scale };
  }
  if (scaling === 'mean') {
    const scale = x.abs().mean(1, true).clamp(1e-10);
    return { scaled: x.div(scale), loc: zeros([b, 1, ch]), scale };
  }
  if (scaling === null) return { scaled: x, loc: zeros([b, 1, ch]), scale: zeros([b, 1, ch]).add(1) };
  throw new Error(`patchtsmixer: scaling must be 'std', 'mean' or null, got '${scaling as string}'`);
}

/** PatchTSMixerModel: scaling, patching and the encoder (no parameters outside the encoder). */
export class PatchTSMixerModel extends Module<[Tensor], Tensor> {
  readonly encoder: PatchTSMixerEncoder;

  constructor(readonly config: PatchTSMixerConfig, generator?: Generator) {
    super();
    this.encoder = new PatchTSMixerEncoder(config, generator);
  }

  /** past values [B, L, C] → last hidden state [B, C, Np, D], with the scaling used. */
  encode(x: Tensor): { hidden: Tensor; loc: Tensor; scale: Tensor } {
    const { scaled, loc, scale } = scaleWindow(x, this.config.scaling);
    return { hidden: this.encoder.forward(patchify(scaled, this.config)), loc, scale };
  }

  forward(x: Tensor): Tensor {
    return this.encode(x).hidden;
  }
}

/** Flatten Np·D → dropout → Linear → [B, H, C]. */
export class PatchTSMixerForPredictionHead extends Module<[Tensor], Tensor> {
  readonly dropoutLayer: Dropout;
  readonly baseForecastBlock: Linear;

  constructor(c: PatchTSMixerConfig, generator?: Generator) {
    super();
    this.dropoutLayer = new Dropout(c.headDropout, { generator });
    this.baseForecastBlock = new Linear(numPatches(c) * c.dModel, c.predictionLength, { generator });
  }

  forward(hidden: Tensor): Tensor {
    const h = this.dropoutLayer.forward(hidden.flatten(-2)); // (B, C, Np·D)
    return this.baseForecastBlock.forward(h).transpose(-1, -2); // (B, H, C)
  }
}

/**
 * PatchTSMixerForPrediction: past values [B, L, C] → forecast [B, H, C] in the input's units.
 * @example
 * const m = new PatchTSMixerForPrediction({ ...defaults, contextLength: 512, predictionLength: 96, numInputChannels: 7, dModel: 48 });
 * m.forward(x).shape; // [32, 96, 7]
 */
export class PatchTSMixerForPrediction extends Module<[Tensor], Tensor> {
  readonly model: PatchTSMixerModel;
  readonly head: PatchTSMixerForPredictionHead;

  constructor(readonly config: PatchTSMixerConfig, generator?: Generator) {
    super();
    const c = config;
    for (const k of ['contextLength', 'patchLength', 'numInputChannels', 'patchStride', 'dModel', 'expansionFactor', 'numLayers', 'predictionLength'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`patchtsmixer: ${k} must be a positive integer, got ${c[k]}`);
    }
    if (c.contextLength <= c.patchLength) throw new Error(`patchtsmixer: context length ${c.contextLength} must exceed the patch length ${c.patchLength}`);
    if (c.mode !== 'common_channel' && c.mode !== 'mix_channel') throw new Error(`patchtsmixer: mode must be 'common_channel' or 'mix_channel', got '${c.mode as string}'`);
    if (c.selfAttn && (!Number.isInteger(c.selfAttnHeads) || c.selfAttnHeads < 1 || c.dModel % c.selfAttnHeads !== 0)) {
      throw new Error(`patchtsmixer: selfAttnHeads must be a positive integer dividing dModel ${c.dModel}, got ${c.selfAttnHeads}`);
    }
    this.model = new PatchTSMixerModel(c, generator);
    this.head = new PatchTSMixerForPredictionHead(c, generator);
    if (c.postInit) this.postInit(generator);
  }

  /** The reference's _init_weights: Linear N(0, init_std) with zero bias, norms 1/0, random positional encodings N(0, 0.1). */
  private postInit(generator?: Generator): void {
    for (const m of this.modules()) {
      if (m instanceof Linear) {
        normal_(m.weight, 0, this.config.initStd, { generator });
        m.bias?.data.fill(0);
      } else if (m instanceof LayerNorm) {
        m.resetParameters();
      } else if (m instanceof BatchNorm1d) {
        m.weight?.data.fill(1);
        m.bias?.data.fill(0);
      } else if (m instanceof PatchTSMixerPositionalEncoding && this.config.positionalEncodingType === 'random') {
        normal_(m.positionEnc, 0, 0.1, { generator });
      }
    }
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 3 || x.shape[2] !== this.config.numInputChannels) {
      throw new Error(`patchtsmixer: expected past values [B, ${this.config.contextLength}, ${this.config.numInputChannels}], got ${shapeStr(x.shape)}`);
    }
    const { hidden, loc, scale } = this.model.encode(x);
    return this.head.forward(hidden).mul(scale).add(loc); // (B, H, C)
  }
}

/** PatchTSMixerConfig's defaults (transformers). */
export const PATCHTSMIXER_DEFAULTS: PatchTSMixerConfig = {
  contextLength: 32,
  patchLength: 8,
  numInputChannels: 1,
  patchStride: 8,
  dModel: 8,
  expansionFactor: 2,
  numLayers: 3,
  dropout: 0.2,
  mode: 'common_channel',
  gatedAttn: true,
  normMlp: 'LayerNorm',
  selfAttn: false,
  selfAttnHeads: 1,
  usePositionalEncoding: false,
  positionalEncodingType: 'sincos',
  scaling: 'std',
  initStd: 0.02,
  postInit: false,
  normEps: 1e-5,
  headDropout: 0.2,
  predictionLength: 16,
};

register<PatchTSMixerConfig>({
  name: 'patchtsmixer',
  family: 'patchtsmixer',
  task: 'forecast',
  reference: 'huggingface/transformers src/transformers/models/patchtsmixer/modeling_patchtsmixer.py',
  paper: 'Ekambaram et al., "TSMixer: Lightweight MLP-Mixer Model for Multivariate Time Series Forecasting" (KDD 2023), https://arxiv.org/abs/2306.09364',
  description: 'PatchTSMixer (IBM; transformers PatchTSMixerForPrediction): patch, feature and channel mixers with gated attention',
  defaults: PATCHTSMIXER_DEFAULTS,
  inputs: (c) => [{ name: 'past_values', shape: [c.contextLength, c.numInputChannels] }],
  outputs: (c) => [{ name: 'prediction_outputs', shape: [c.predictionLength, c.numInputChannels] }],
  // mix_channel builds the channel mixer too, so the small model has every block kind.
  smallConfig: { contextLength: 24, predictionLength: 6, numInputChannels: 3, dModel: 8, mode: 'mix_channel' },
  create: (c, g) => new PatchTSMixerForPrediction(c, g),
});
