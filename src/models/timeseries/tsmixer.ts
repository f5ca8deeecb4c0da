/**
 * TSMixer — Chen, Li, Yoder, Arık & Pfister, "TSMixer: An All-MLP Architecture
 * for Time Series Forecasting" (TMLR 2023), https://arxiv.org/abs/2303.06053.
 * Reference: google-research/google-research `tsmixer/tsmixer_basic/models/`
 * (tsmixer.py, tsmixer_rev_in.py, rev_in.py; TensorFlow/Keras).
 *
 * x [B, L, C] → n_block residual blocks, each
 *   time mixing:    x + Dropout(act(Dense_L→L(Norm(x)ᵀ))ᵀ)
 *   feature mixing: x + Dropout(Dense_ff→C(Dropout(act(Dense_C→ff(Norm(x))))))
 * → temporal head Dense_L→H over time → [B, H, C]; the RevIN variant wraps it
 * in reversible instance normalisation.
 *
 * Kept from the Keras reference (its math, not PyTorch habits):
 *  - Norm is over BOTH the time and feature axes (`axis=[-2, -1]`): Keras
 *    LayerNormalization normalises each sample over its whole [L, C] slab with
 *    a [L, C] scale and shift; BatchNormalization keeps statistics (and a
 *    scale and shift) per (time, feature) position, computed over the batch.
 *  - Keras constants: eps 1e-3 for both norms, BN momentum 0.99 (a running
 *    update of 0.01), the biased batch variance in the running statistics.
 *  - Dense layers are initialised as Keras does: Glorot-uniform kernel, zero bias.
 *  - RevIN: statistics over time without gradient, biased variance + 1e-5 in
 *    the square root; denorm divides by the raw affine weight (no eps).
 * Deviation: the reference is TensorFlow, so there is no PyTorch state dict to
 * match. The names here are mlpkit's; a Keras checkpoint maps as
 * weight ← kernelᵀ (Dense), weight/bias/running_mean/running_var ←
 * gamma/beta/moving_mean/moving_variance (norms, shape [L, C]),
 * rev_norm.affine_weight/affine_bias ← the RevNorm layer's weights.
 *
 * State dict: rev_norm.affine_{weight,bias} [C]; blocks.{i}.temporal_norm.*,
 * blocks.{i}.temporal_linear.{weight [L, L], bias}, blocks.{i}.feature_norm.*,
 * blocks.{i}.fc1 [ff, C], blocks.{i}.fc2 [C, ff]; head.{weight [H, L], bias}.
 */
import { noGrad } from '../../autograd/mode.js';
import { xavierUniform_ } from '../../nn/init.js';
import { Dropout } from '../../nn/dropout.js';
import { GELU, ReLU } from '../../nn/activation.js';
import { Linear } from '../../nn/linear.js';
import { Mlp, type ActFactory, type TensorModule } from '../../nn/mlp.js';
import { Module } from '../../nn/module.js';
import { LayerNorm } from '../../nn/norm.js';
import { Buffer, emptyParameter, type Parameter } from '../../nn/parameter.js';
import { ones, zeros } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';
import { RevIN } from './revin.js';

export type TSMixerConfig = {
  /** Look-back length L. */
  seqLen: number;
  /** Horizon H. */
  predLen: number;
  /** Channels C of the series. */
  numChannels: number;
  nBlock: number;
  ffDim: number;
  dropout: number;
  /** 'B': BatchNorm, 'L': LayerNorm (both over time and feature axes). */
  normType: 'B' | 'L';
  activation: 'relu' | 'gelu';
  /** Wrap the model in reversible instance normalisation (tsmixer_rev_in). */
  revIn: boolean;
};

/** A Keras Dense layer: a Linear with Glorot-uniform weight and zero bias. */
function kerasDense(inFeatures: number, outFeatures: number, { generator }: { generator?: Generator }): Linear {
  const d = new Linear(inFeatures, outFeatures, { generator });
  xavierUniform_(d.weight, { generator });
  d.bias!.data.fill(0);
  return d;
}

/**
 * Keras BatchNormalization(axis=[-2, -1]) on x [B, L, C]: every (time,
 * feature) position is normalised with its own batch statistics and has its
 * own scale and shift [L, C]. Running statistics move by 1 − momentum per
 * step towards the batch mean and the biased batch variance.
 */
export class TimeFeatureBatchNorm extends Module<[Tensor], Tensor> {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Buffer;
  readonly runningVar: Buffer;

  constructor(readonly seqLen: number, readonly numChannels: number, readonly eps = 1e-3, readonly momentum = 0.99) {
    super();
    this.weight = emptyParameter([seqLen, numChannels]);
    this.weight.data.fill(1);
    this.bias = emptyParameter([seqLen, numChannels]);
    this.runningMean = new Buffer(zeros([seqLen, numChannels]));
    this.runningVar = new Buffer(ones([seqLen, numChannels]));
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 3 || x.shape[1] !== this.seqLen || x.shape[2] !== this.numChannels) {
      throw new Error(`TimeFeatureBatchNorm: expected [B, ${this.seqLen}, ${this.numChannels}], got ${shapeStr(x.shape)}`);
    }
    let y: Tensor;
    if (this.training) {
      const mean = x.mean(0, true); // (1, L, C)
      const centered = x.sub(mean);
      const variance = centered.mul(centered).mean(0, true); // (1, L, C), biased
      y = centered.mul(variance.add(this.eps).rsqrt());
      noGrad(() => {
        const m = this.momentum;
        const rm = this.runningMean.data;
        const rv = this.runningVar.data;
        for (let i = 0; i < rm.length; i++) {
          rm[i] = rm[i] * m + mean.data[i] * (1 - m);
          rv[i] = rv[i] * m + variance.data[i] * (1 - m);
        }
      });
    } else {
      y = x.sub(this.runningMean.detach()).mul(this.runningVar.detach().add(this.eps).rsqrt());
    }
    return y.mul(this.weight).add(this.bias);
  }

  override extraRepr(): string {
    return `[${this.seqLen}, ${this.numChannels}], eps=${this.eps}, momentum=${this.momentum}`;
  }
}

function timeFeatureNorm(type: 'B' | 'L', seqLen: number, channels: number): TensorModule {
  if (type === 'B') return new TimeFeatureBatchNorm(seqLen, channels);
  if (type === 'L') return new LayerNorm([seqLen, channels], { eps: 1e-3 });
  throw new Error(`tsmixer: normType must be 'B' or 'L', got '${type as string}'`);
}

/** Keras activations by name (Keras 'gelu' is the exact erf form by default). */
const ACTIVATIONS: Record<TSMixerConfig['activation'], ActFactory> = { relu: () => new ReLU(), gelu: () => new GELU() };

/**
 * One residual block: time mixing, then feature mixing. x [B, L, C] → [B, L, C].
 * The norms are built by `norm` over the [L, C] slab; the feature MLP is nn's
 * Mlp (which runs the ReLU form as one fused op), its fields listed as the
 * block's own so the names stay `fc1`, `fc2`.
 */
export class TSMixerBlock extends Module<[Tensor], Tensor> {
  readonly temporalNorm: TensorModule;
  readonly temporalLinear: Linear;
  readonly featureNorm: TensorModule;
  readonly mlp: Mlp;
  readonly drop: Dropout;

  constructor(seqLen: number, numChannels: number, ffDim: number, { norm, actLayer, dropout, generator }: {
    norm: () => TensorModule; actLayer: ActFactory; dropout: number; generator?: Generator;
  }) {
    super();
    this.temporalNorm = norm();
    this.temporalLinear = kerasDense(seqLen, seqLen, { generator });
    this.featureNorm = norm();
    // Dense_C→ff, act, Dropout, Dense_ff→C, Dropout: each Dense initialised as it is built, as Keras does.
    this.mlp = new Mlp(numChannels, { hiddenFeatures: ffDim, actLayer, drop: dropout, fcLayer: kerasDense, generator });
    this.drop = new Dropout(dropout, { generator });
  }

  override namedFields(): [string, unknown][] {
    return super.namedFields().flatMap(([n, v]) => (v === this.mlp ? this.mlp.namedFields() : [[n, v]]));
  }

  forward(x: Tensor): Tensor {
    let y = this.temporalNorm.forward(x).transpose(1, 2); // (B, C, L)
    y = this.mlp.act.forward(this.temporalLinear.forward(y)).transpose(1, 2); // (B, L, C)
    const res = x.add(this.drop.forward(y));
    y = this.mlp.forward(this.featureNorm.forward(res)); // (B, L, C), (B, L, ff) inside
    return y.add(res);
  }
}

/**
 * TSMixer forecaster: x [B, L, C] → forecast [B, H, C].
 * @example
 * const m = new TSMixer({ seqLen: 512, predLen: 96, numChannels: 7, nBlock: 6, ffDim: 512, dropout: 0.9, normType: 'B', activation: 'relu', revIn: true });
 * m.forward(randn([32, 512, 7])).shape; // [32, 96, 7]
 */
export class TSMixer extends Module<[Tensor], Tensor> {
  readonly revNorm: RevIN | null;
  readonly blocks: TSMixerBlock[];
  readonly head: Linear;

  constructor(readonly config: TSMixerConfig, generator?: Generator) {
    super();
    const c = config;
    for (const k of ['seqLen', 'predLen', 'numChannels', 'nBlock', 'ffDim'] as const) {
      if (!Number.isInteger(c[k]) || c[k] < (k === 'nBlock' ? 0 : 1)) throw new Error(`tsmixer: ${k} must be a positive integer, got ${c[k]}`);
    }
    this.revNorm = c.revIn ? new RevIN(c.numChannels) : null;
    const actLayer = ACTIVATIONS[c.activation];
    if (!actLayer) throw new Error(`tsmixer: activation must be 'relu' or 'gelu', got '${c.activation as string}'`);
    const norm = () => timeFeatureNorm(c.normType, c.seqLen, c.numChannels);
    this.blocks = Array.from({ length: c.nBlock }, () => new TSMixerBlock(c.seqLen, c.numChannels, c.ffDim, { norm, actLayer, dropout: c.dropout, generator }));
    this.head = kerasDense(c.seqLen, c.predLen, { generator });
  }

  forward(x: Tensor): Tensor {
    const { seqLen, numChannels } = this.config;
    if (x.ndim !== 3 || x.shape[1] !== seqLen || x.shape[2] !== numChannels) {
      throw new Error(`tsmixer: expected input [B, ${seqLen}, ${numChannels}], got ${shapeStr(x.shape)}`);
    }
    let h = x;
    const norm = this.revNorm?.normalize(h);
    if (norm) h = norm.y; // (B, L, C)
    for (const block of this.blocks) h = block.forward(h); // (B, L, C)
    let out = this.head.forward(h.transpose(1, 2)).transpose(1, 2); // (B, H, C)
    if (this.revNorm && norm) out = this.revNorm.denormalize(out, norm.stats);
    return out;
  }
}

const TSMIXER_DEFAULTS: TSMixerConfig = {
  // run.py defaults (google-research tsmixer_basic).
  seqLen: 336,
  predLen: 96,
  numChannels: 7,
  nBlock: 2,
  ffDim: 2048,
  dropout: 0.05,
  normType: 'B',
  activation: 'relu',
  revIn: false,
};

const REFERENCE = 'google-research/google-research tsmixer/tsmixer_basic/models/ (tsmixer.py, tsmixer_rev_in.py, rev_in.py)';
// A short window, few channels and a narrow feature MLP: every layer, little arithmetic.
const SMALL = { seqLen: 24, predLen: 6, numChannels: 3, ffDim: 8, nBlock: 2 };
const PAPER = 'Chen et al., "TSMixer: An All-MLP Architecture for Time Series Forecasting" (TMLR 2023), https://arxiv.org/abs/2303.06053';

register<TSMixerConfig>({
  name: 'tsmixer',
  family: 'tsmixer',
  task: 'forecast',
  paper: PAPER,
  reference: REFERENCE,
  description: 'TSMixer (Google): time- and feature-mixing MLP blocks, temporal head; run.py defaults',
  defaults: TSMIXER_DEFAULTS,
  inputs: (c) => [{ name: 'x', shape: [c.seqLen, c.numChannels] }],
  outputs: (c) => [{ name: 'forecast', shape: [c.predLen, c.numChannels] }],
  smallConfig: SMALL,
  create: (c, g) => new TSMixer(c, g),
});

register<TSMixerConfig>({
  name: 'tsmixer_rev_in',
  family: 'tsmixer',
  task: 'forecast',
  paper: PAPER,
  reference: REFERENCE,
  description: 'TSMixer with reversible instance normalisation (the benchmark variant)',
  defaults: { ...TSMIXER_DEFAULTS, revIn: true },
  inputs: (c) => [{ name: 'x', shape: [c.seqLen, c.numChannels] }],
  outputs: (c) => [{ name: 'forecast', shape: [c.predLen, c.numChannels] }],
  smallConfig: SMALL,
  create: (c, g) => new TSMixer(c, g),
});
