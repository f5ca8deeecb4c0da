/**
 * PoolFormer.
 *
 * Paper: Yu et al., "MetaFormer Is Actually What You Need for Vision"
 * (CVPR 2022), https://arxiv.org/abs/2111.11418.
 * Reference: sail-sg/poolformer `models/poolformer.py` (PatchEmbed, Pooling,
 * Mlp, PoolFormerBlock, basic_blocks, PoolFormer, poolformer_*).
 *
 *   image [B, 3, 224, 224] → patch_embed (7×7 conv, stride 4) → [B, C₁, 56, 56]
 *   → stage 1 → downsample (3×3 conv, stride 2) → stage 2 → … → stage 4
 *       PoolFormerBlock:  x += ls1 ⊙ (AvgPool₃ₓ₃(GN(x)) − GN(x));  x += ls2 ⊙ MLP₁ₓ₁(GN(x))
 *   → GroupNorm → mean over H, W → head → logits [B, numClasses]
 *
 * The block is the MetaFormer block on feature maps [B, C, H, W], with pooling
 * as the token mixer, GroupNorm with one group as the norm, a 1×1-conv MLP
 * and layer scale 1e-5. Average pooling excludes the padding from its divisor.
 * Stochastic depth grows linearly with the block index over the whole network.
 *
 * State-dict names are the reference's: `patch_embed.proj.weight`,
 * `network.0.0.layer_scale_1`, `network.0.0.norm1.weight`,
 * `network.0.0.mlp.fc1.weight` [4C, C, 1, 1], `network.1.proj.weight` (the
 * downsampling between stages sits in `network` between the stages),
 * `norm.weight`, `head.weight`. Initialisation is the reference's: Linear and
 * MLP convolutions truncated-normal(0.02) with zero bias; the patch
 * embeddings keep PyTorch's default convolution init.
 *
 * Deviations: the reference hard-codes 3 input channels, mlpkit takes
 * `inChans`; `imgSize` only sets the registry's default input shape (the
 * network itself takes any size); the dense-prediction mode (`fork_feat`) is
 * not provided.
 */
import { AvgPool2d } from '../../nn/pooling.js';
import { Conv2d } from '../../nn/conv.js';
import { truncNormalFast_, zeros_ } from '../../nn/init.js';
import { Identity, Linear } from '../../nn/linear.js';
import { Mlp, type MlpOptions, type TensorModule } from '../../nn/mlp.js';
import { Module } from '../../nn/module.js';
import { GroupNorm } from '../../nn/norm.js';
import type { Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';
import { MetaFormerBlock } from './metaformer.js';

/** Image or feature map → a coarser feature map by a (possibly overlapping) strided convolution: [B, Cin, H, W] → [B, Cout, H', W']. */
export class OverlapPatchEmbed extends Module<[Tensor], Tensor> {
  readonly proj: Conv2d;
  readonly norm: TensorModule;

  constructor(opts: { patchSize: number; stride: number; padding: number; inChans: number; embedDim: number; generator?: Generator }) {
    super();
    this.proj = new Conv2d(opts.inChans, opts.embedDim, opts.patchSize, { stride: opts.stride, padding: opts.padding, generator: opts.generator });
    this.norm = new Identity();
  }

  forward(x: Tensor): Tensor {
    return this.norm.forward(this.proj.forward(x)); // (B, embedDim, H', W')
  }
}

/** The token mixer: AvgPool(x) − x over poolSize×poolSize windows, padding not counted. x [B, C, H, W] → same. */
export class Pooling extends Module<[Tensor], Tensor> {
  readonly pool: AvgPool2d;

  constructor(readonly poolSize = 3) {
    super();
    this.pool = new AvgPool2d(poolSize, { stride: 1, padding: Math.floor(poolSize / 2), countIncludePad: false });
  }

  forward(x: Tensor): Tensor {
    // Subtracting x leaves only the mixing: the block's residual already carries x.
    return this.pool.forward(x).sub(x);
  }
}

/**
 * The channel MLP on feature maps (the reference's Mlp of 1×1 convolutions):
 * nn's Mlp in its conv form, re-initialised as the reference does once both
 * layers exist. x [B, C, H, W] → [B, out, H, W].
 */
export class ConvMlp extends Mlp {
  constructor(inFeatures: number, opts: Pick<MlpOptions, 'hiddenFeatures' | 'outFeatures' | 'actLayer' | 'drop' | 'generator'> = {}) {
    super(inFeatures, { ...opts, conv: true });
    for (const fc of [this.fc1, this.fc2]) {
      truncNormalFast_(fc.weight, { std: 0.02, generator: opts.generator });
      if (fc.bias) zeros_(fc.bias);
    }
  }
}

export interface PoolFormerBlockOptions {
  poolSize?: number;
  mlpRatio?: number;
  drop?: number;
  dropPath?: number;
  /** Layer-scale initial value; null turns layer scale off (the reference's use_layer_scale=False). */
  layerScaleInitValue?: number | null;
  generator?: Generator;
}

/** One PoolFormer block on feature maps [B, dim, H, W] → same shape. */
export class PoolFormerBlock extends MetaFormerBlock {
  static override stateNames = { ls1: 'layer_scale_1', ls2: 'layer_scale_2' };

  constructor(dim: number, { poolSize = 3, mlpRatio = 4, drop = 0, dropPath = 0, layerScaleInitValue = 1e-5, generator }: PoolFormerBlockOptions = {}) {
    super(dim, {
      norm: (d) => new GroupNorm(1, d),
      tokenMixer: () => new Pooling(poolSize),
      mlp: (d) => new ConvMlp(d, { hiddenFeatures: Math.trunc(d * mlpRatio), drop, generator }),
      layerScaleInit: layerScaleInitValue,
      dropPath,
      dataFormat: 'channels_first',
      generator,
    });
  }
}

/** The reference's PoolFormer keyword arguments (camelCase), plus inChans and imgSize. */
export type PoolFormerConfig = {
  /** Blocks per stage. */
  layers: number[];
  embedDims: number[];
  mlpRatios: number[];
  /** Downsample between stage i and i+1 (also done whenever the width changes). */
  downsamples: boolean[];
  poolSize: number;
  numClasses: number;
  inPatchSize: number;
  inStride: number;
  inPad: number;
  downPatchSize: number;
  downStride: number;
  downPad: number;
  dropRate: number;
  /** Stochastic depth of the last block; block k of K gets dropPathRate·k/(K − 1). */
  dropPathRate: number;
  useLayerScale: boolean;
  layerScaleInitValue: number;
  /** Input channels (the reference fixes 3). */
  inChans: number;
  /** Side of the default input image (registry only; any size runs). */
  imgSize: number;
};

/** x [B, inChans, H, W] → logits [B, numClasses]. */
export class PoolFormer extends Module<[Tensor], Tensor> {
  readonly patchEmbed: OverlapPatchEmbed;
  /** Stages (arrays of blocks) with the downsampling embeddings between them, as the reference's `network`. */
  readonly network: (PoolFormerBlock[] | OverlapPatchEmbed)[];
  readonly norm: GroupNorm;
  readonly head: TensorModule;

  constructor(readonly config: PoolFormerConfig, generator?: Generator) {
    super();
    const c = config;
    const n = c.layers.length;
    for (const [key, v] of [['embedDims', c.embedDims], ['mlpRatios', c.mlpRatios], ['downsamples', c.downsamples]] as const) {
      if (v.length < n) throw new Error(`PoolFormer: ${key} has ${v.length} entries for ${n} stages (layers ${JSON.stringify(c.layers)})`);
    }
    this.patchEmbed = new OverlapPatchEmbed({ patchSize: c.inPatchSize, stride: c.inStride, padding: c.inPad, inChans: c.inChans, embedDim: c.embedDims[0], generator });
    const total = c.layers.reduce((a, b) => a + b, 0);
    this.network = [];
    let before = 0; // blocks in earlier stages
    for (let i = 0; i < n; i++) {
      this.network.push(Array.from({ length: c.layers[i] }, (_, j) => new PoolFormerBlock(c.embedDims[i], {
        poolSize: c.poolSize,
        mlpRatio: c.mlpRatios[i],
        drop: c.dropRate,
        // A one-block network has no schedule to spread (the reference divides by zero there).
        dropPath: total > 1 ? (c.dropPathRate * (before + j)) / (total - 1) : 0,
        layerScaleInitValue: c.useLayerScale ? c.layerScaleInitValue : null,
        generator,
      })));
      before += c.layers[i];
      if (i < n - 1 && (c.downsamples[i] || c.embedDims[i] !== c.embedDims[i + 1])) {
        this.network.push(new OverlapPatchEmbed({ patchSize: c.downPatchSize, stride: c.downStride, padding: c.downPad, inChans: c.embedDims[i], embedDim: c.embedDims[i + 1], generator }));
      }
    }
    this.norm = new GroupNorm(1, c.embedDims[n - 1]);
    this.head = c.numClasses > 0 ? new Linear(c.embedDims[n - 1], c.numClasses, { generator }) : new Identity();
    if (this.head instanceof Linear) {
      truncNormalFast_(this.head.weight, { std: 0.02, generator });
      if (this.head.bias) zeros_(this.head.bias);
    }
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.config.inChans) {
      throw new Error(`PoolFormer: expected images [B, ${this.config.inChans}, H, W], got ${shapeStr(x.shape)}`);
    }
    let h = this.patchEmbed.forward(x); // (B, C₁, H/4, W/4)
    for (const part of this.network) {
      if (Array.isArray(part)) for (const block of part) h = block.forward(h); // (B, Cᵢ, Hᵢ, Wᵢ)
      else h = part.forward(h); //                                                (B, Cᵢ₊₁, Hᵢ/2, Wᵢ/2)
    }
    return this.head.forward(this.norm.forward(h).mean([2, 3])); // (B, C₄) → (B, numClasses)
  }
}

// ---------------------------------------------------------------- registry

const PAPER = 'Yu et al., "MetaFormer Is Actually What You Need for Vision" (CVPR 2022), https://arxiv.org/abs/2111.11418';

const POOLFORMER_DEFAULTS: PoolFormerConfig = {
  layers: [2, 2, 6, 2],
  embedDims: [64, 128, 320, 512],
  mlpRatios: [4, 4, 4, 4],
  downsamples: [true, true, true, true],
  poolSize: 3,
  numClasses: 1000,
  inPatchSize: 7,
  inStride: 4,
  inPad: 2,
  downPatchSize: 3,
  downStride: 2,
  downPad: 1,
  dropRate: 0,
  dropPathRate: 0,
  useLayerScale: true,
  layerScaleInitValue: 1e-5,
  inChans: 3,
  imgSize: 224,
};

function registerPoolFormer(name: string, description: string, overrides: Partial<PoolFormerConfig>): void {
  register<PoolFormerConfig>({
    name,
    family: 'poolformer',
    task: 'classify',
    paper: PAPER,
    reference: 'sail-sg/poolformer models/poolformer.py',
    description,
    defaults: { ...POOLFORMER_DEFAULTS, ...overrides },
    inputs: (c) => [{ name: 'x', shape: [c.inChans, c.imgSize, c.imgSize] }],
    outputs: (c) => [{ name: 'logits', shape: [c.numClasses] }],
    // One block per stage keeps every stage and downsampling step.
    smallConfig: { layers: (overrides.layers ?? POOLFORMER_DEFAULTS.layers).map(() => 1) },
    create: (c, g) => new PoolFormer(c, g),
  });
}

const S = { embedDims: [64, 128, 320, 512] };
const M = { embedDims: [96, 192, 384, 768] };
registerPoolFormer('poolformer_s12', 'PoolFormer-S12: stages [2, 2, 6, 2], widths [64, 128, 320, 512] (11.9M parameters)', { ...S, layers: [2, 2, 6, 2] });
registerPoolFormer('poolformer_s24', 'PoolFormer-S24: stages [4, 4, 12, 4], widths [64, 128, 320, 512] (21.4M parameters)', { ...S, layers: [4, 4, 12, 4] });
registerPoolFormer('poolformer_s36', 'PoolFormer-S36: stages [6, 6, 18, 6], widths [64, 128, 320, 512] (30.9M parameters)', { ...S, layers: [6, 6, 18, 6], layerScaleInitValue: 1e-6 });
registerPoolFormer('poolformer_m36', 'PoolFormer-M36: stages [6, 6, 18, 6], widths [96, 192, 384, 768] (56.2M parameters)', { ...M, layers: [6, 6, 18, 6], layerScaleInitValue: 1e-6 });
registerPoolFormer('poolformer_m48', 'PoolFormer-M48: stages [8, 8, 24, 8], widths [96, 192, 384, 768] (73.5M parameters)', { ...M, layers: [8, 8, 24, 8], layerScaleInitValue: 1e-6 });
// Small images: a 3×3 stride-2 stem instead of 7×7 stride 4, so four stages fit (28 → 14 → 7 → 4 → 2).
const TINY = { layers: [1, 1, 3, 1], embedDims: [24, 48, 96, 160], numClasses: 10, inPatchSize: 3, inStride: 2, inPad: 1 };
registerPoolFormer('poolformer_tiny_28', 'PoolFormer for 28×28×1 images: 3×3 stride-2 stem, stages [1, 1, 3, 1], widths [24, 48, 96, 160]', { ...TINY, inChans: 1, imgSize: 28 });
registerPoolFormer('poolformer_tiny_32', 'PoolFormer for 32×32×3 images: 3×3 stride-2 stem, stages [1, 1, 3, 1], widths [24, 48, 96, 160]', { ...TINY, inChans: 3, imgSize: 32 });
