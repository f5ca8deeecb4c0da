/**
 * MLP-Mixer.
 *
 * Paper: Tolstikhin et al., "MLP-Mixer: An all-MLP Architecture for Vision"
 * (NeurIPS 2021), https://arxiv.org/abs/2105.01601.
 * Reference: timm `timm/models/mlp_mixer.py` (MixerBlock, MlpMixer, _init_weights),
 * `timm/layers/mlp.py` (Mlp), `timm/layers/patch_embed.py` (PatchEmbed).
 *
 *   image [B, C, H, W] → stem (p×p patches) → [B, N, D]
 *   → MixerBlock × numBlocks:  x += MLP_tokens(LN(x)ᵀ)ᵀ;  x += MLP_channels(LN(x))
 *   → LN → mean over tokens → head → logits [B, numClasses]
 *
 * `MlpMixer` is timm's backbone for ResMLP and gMLP too (resmlp.ts, gmlp.ts):
 * they pass a different block and norm constructor.
 *
 * State-dict names are timm's: `stem.proj.weight`, `blocks.0.norm1.weight`,
 * `blocks.0.mlp_tokens.fc1.weight`, `blocks.0.mlp_channels.fc2.bias`, …,
 * `norm.weight`, `head.weight`. Initialisation is timm's (non-Flax) one:
 * Linear xavier-uniform with N(0, 1e-6) biases inside MLPs and zero biases
 * elsewhere, a zero head, LeCun-normal patch embedding, norms 1/0, then each
 * module's own `initWeights` (gMLP's gate).
 *
 * Deviations: square images only (`imgSize` is one number); timm's
 * `block_layer`/`mlp_layer`/`norm_layer`/`act_layer` constructors are
 * constructor arguments of `MlpMixer`, not config fields.
 */
import { Dropout } from '../../nn/dropout.js';
import { constant_, lecunNormal_, normal_, ones_, xavierUniform_, zeros_ } from '../../nn/init.js';
import { Conv2d } from '../../nn/conv.js';
import { Identity, Linear } from '../../nn/linear.js';
import { Mlp, type LayerFactory, type TensorModule } from '../../nn/mlp.js';
import { Module, type AnyModule } from '../../nn/module.js';
import { BatchNorm2d } from '../../nn/batchnorm.js';
import { GroupNorm, LayerNorm } from '../../nn/norm.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';
import { PatchEmbed, TokenMlp } from './layers.js';
import { MetaFormerBlock } from './metaformer.js';

/** LayerNorm with eps 1e-6, timm's `partial(nn.LayerNorm, eps=1e-6)` for Mixer and gMLP. */
export const layerNorm6: LayerFactory = (d) => new LayerNorm(d, { eps: 1e-6 });

/** What MlpMixer hands its block constructor besides (dim, seqLen, mlpRatio). */
export interface BlockLayerOptions {
  normLayer: LayerFactory;
  /** Dropout inside the MLPs (timm's proj_drop_rate). */
  drop: number;
  dropPath: number;
  generator?: Generator;
}

/** timm's `block_layer(dim, seq_len, mlp_ratio, ...)`. */
export type BlockLayer = (dim: number, seqLen: number, mlpRatio: number | readonly number[], opts: BlockLayerOptions) => TensorModule;

/** Both ratios of a (token, channel) pair; one number is used for both (timm's to_2tuple). */
function ratioPair(mlpRatio: number | readonly number[]): [number, number] {
  if (typeof mlpRatio === 'number') return [mlpRatio, mlpRatio];
  if (mlpRatio.length !== 2) throw new Error(`MixerBlock: mlpRatio must be a number or a [token, channel] pair, got ${JSON.stringify(mlpRatio)}`);
  return [mlpRatio[0], mlpRatio[1]];
}

/**
 * Token-mixing MLP then channel-mixing MLP, each pre-norm and residual.
 * The token MLP's hidden width is mlpRatio[0]·dim (not ·seqLen), as timm.
 * x [B, seqLen, dim] → [B, seqLen, dim].
 */
export class MixerBlock extends MetaFormerBlock {
  static override stateNames = { tokenMixer: 'mlp_tokens', mlp: 'mlp_channels' };

  constructor(dim: number, seqLen: number, mlpRatio: number | readonly number[], { normLayer, drop, dropPath, generator }: BlockLayerOptions) {
    const [tokensDim, channelsDim] = ratioPair(mlpRatio).map((r) => Math.trunc(r * dim));
    super(dim, {
      norm: normLayer,
      tokenMixer: () => new TokenMlp(seqLen, { hiddenFeatures: tokensDim, drop, generator }), // mixes across the N tokens
      mlp: (d) => new Mlp(d, { hiddenFeatures: channelsDim, drop, generator }), //               mixes across the D channels
      dropPath,
      generator,
    });
  }
}

export const mixerBlock: BlockLayer = (dim, seqLen, mlpRatio, opts) => new MixerBlock(dim, seqLen, mlpRatio, opts);

/** timm's MlpMixer keyword arguments that are plain data (camelCase). */
export type MlpMixerConfig = {
  numClasses: number;
  imgSize: number;
  inChans: number;
  patchSize: number;
  numBlocks: number;
  embedDim: number;
  /** Hidden-width ratios: [token, channel] for Mixer, one number for ResMLP and gMLP. */
  mlpRatio: number | number[];
  /** Dropout before the head. */
  dropRate: number;
  /** Dropout inside the MLPs. */
  projDropRate: number;
  /** Stochastic depth, the same in every block (timm's Mixer has no depth schedule). */
  dropPathRate: number;
  /** Initialise the head bias to −log(numClasses) ("negative log head bias"). */
  nlhb: boolean;
  /** Normalise the patch embeddings. */
  stemNorm: boolean;
  /** 'avg' pools tokens before the head; '' keeps them (logits per token). */
  globalPool: 'avg' | '';
};

export interface MlpMixerParts {
  blockLayer?: BlockLayer;
  normLayer?: LayerFactory;
  generator?: Generator;
}

/**
 * The all-MLP backbone shared by MLP-Mixer, ResMLP and gMLP.
 * x [B, inChans, imgSize, imgSize] → logits [B, numClasses].
 */
export class MlpMixer extends Module<[Tensor], Tensor> {
  readonly stem: PatchEmbed;
  readonly blocks: TensorModule[];
  readonly norm: TensorModule;
  readonly headDrop: Dropout;
  readonly head: TensorModule;

  constructor(readonly config: MlpMixerConfig, { blockLayer = mixerBlock, normLayer = layerNorm6, generator }: MlpMixerParts = {}) {
    super();
    const c = config;
    this.stem = new PatchEmbed({ imgSize: c.imgSize, patchSize: c.patchSize, inChans: c.inChans, embedDim: c.embedDim, normLayer: c.stemNorm ? normLayer : null, generator });
    const opts: BlockLayerOptions = { normLayer, drop: c.projDropRate, dropPath: c.dropPathRate, generator };
    this.blocks = Array.from({ length: c.numBlocks }, () => blockLayer(c.embedDim, this.stem.numPatches, c.mlpRatio, opts));
    this.norm = normLayer(c.embedDim);
    this.headDrop = new Dropout(c.dropRate, { generator });
    this.head = c.numClasses > 0 ? new Linear(c.embedDim, c.numClasses, { generator }) : new Identity();
    initMixerWeights(this, { headBias: c.nlhb ? -Math.log(c.numClasses) : 0, generator });
  }

  /** Tokens after the last block and the final norm: [B, N, D]. */
  forwardFeatures(x: Tensor): Tensor {
    let h = this.stem.forward(x); // (B, N, D)
    for (const block of this.blocks) h = block.forward(h); // (B, N, D)
    return this.norm.forward(h);
  }

  forward(x: Tensor): Tensor {
    let h = this.forwardFeatures(x); // (B, N, D)
    if (this.config.globalPool === 'avg') h = h.mean(1); // (B, D)
    return this.head.forward(this.headDrop.forward(h)); // (B, numClasses)
  }
}

/** A module that overrides the initialisation of its children (timm's `init_weights` hook). */
interface HasInitWeights {
  initWeights(generator?: Generator): void;
}

const hasInitWeights = (m: unknown): m is HasInitWeights => typeof (m as Partial<HasInitWeights>).initWeights === 'function';

/**
 * timm's Mixer initialisation (`_init_weights`, flax=False), by module name:
 * Linear → xavier-uniform weight, bias N(0, 1e-6) when the name contains 'mlp'
 * and 0 otherwise; the head → weight 0, bias `headBias`; Conv2d → LeCun normal,
 * bias 0; LayerNorm/BatchNorm/GroupNorm → 1/0. Then modules with an
 * `initWeights` method (gMLP's spatial gate) override their children — timm
 * reaches them after their children in its depth-first walk.
 */
export function initMixerWeights(model: AnyModule, { headBias = 0, generator }: { headBias?: number; generator?: Generator } = {}): void {
  const named = model.namedModules().filter(([name]) => name !== '');
  for (const [name, m] of named) {
    if (m instanceof Linear) {
      if (name.startsWith('head')) {
        zeros_(m.weight);
        if (m.bias) constant_(m.bias, headBias);
      } else {
        xavierUniform_(m.weight, { generator });
        if (m.bias) {
          if (name.includes('mlp')) normal_(m.bias, 0, 1e-6, { generator });
          else zeros_(m.bias);
        }
      }
    } else if (m instanceof Conv2d) {
      lecunNormal_(m.weight, { generator });
      if (m.bias) zeros_(m.bias);
    } else if (m instanceof LayerNorm || m instanceof BatchNorm2d || m instanceof GroupNorm) {
      if (m.weight) ones_(m.weight);
      if (m.bias) zeros_(m.bias);
    }
  }
  for (const [, m] of named) if (hasInitWeights(m)) m.initWeights(generator);
}

// ---------------------------------------------------------------- registry

const MIXER_PAPER = 'Tolstikhin et al., "MLP-Mixer: An all-MLP Architecture for Vision" (NeurIPS 2021), https://arxiv.org/abs/2105.01601';

/** timm's MlpMixer defaults (num_classes 1000, 224×224×3, Mixer-S/16 widths). */
export const MIXER_DEFAULTS: MlpMixerConfig = {
  numClasses: 1000,
  imgSize: 224,
  inChans: 3,
  patchSize: 16,
  numBlocks: 8,
  embedDim: 512,
  mlpRatio: [0.5, 4.0],
  dropRate: 0,
  projDropRate: 0,
  dropPathRate: 0,
  nlhb: false,
  stemNorm: false,
  globalPool: 'avg',
};

export const imageInputs = (c: { inChans: number; imgSize: number }) => [{ name: 'x', shape: [c.inChans, c.imgSize, c.imgSize] }];

function registerMixer(name: string, description: string, overrides: Partial<MlpMixerConfig>): void {
  register<MlpMixerConfig>({
    name,
    family: 'mlp-mixer',
    task: 'classify',
    paper: MIXER_PAPER,
    reference: 'huggingface/pytorch-image-models timm/models/mlp_mixer.py (MixerBlock, MlpMixer)',
    description,
    defaults: { ...MIXER_DEFAULTS, ...overrides },
    inputs: imageInputs,
    outputs: (c) => [{ name: 'logits', shape: [c.numClasses] }],
    smallConfig: { numBlocks: 1 },
    create: (c, g) => new MlpMixer(c, { generator: g }),
  });
}

// The paper's Table 1 sizes, with timm's names.
registerMixer('mixer_s32_224', 'Mixer-S/32: 8 blocks, 512 wide, 32×32 patches (19M parameters)', { patchSize: 32, numBlocks: 8, embedDim: 512 });
registerMixer('mixer_s16_224', 'Mixer-S/16: 8 blocks, 512 wide, 16×16 patches (18M parameters)', { patchSize: 16, numBlocks: 8, embedDim: 512 });
registerMixer('mixer_b32_224', 'Mixer-B/32: 12 blocks, 768 wide, 32×32 patches (60M parameters)', { patchSize: 32, numBlocks: 12, embedDim: 768 });
registerMixer('mixer_b16_224', 'Mixer-B/16: 12 blocks, 768 wide, 16×16 patches (59.9M parameters)', { patchSize: 16, numBlocks: 12, embedDim: 768 });
registerMixer('mixer_l32_224', 'Mixer-L/32: 24 blocks, 1024 wide, 32×32 patches (206M parameters)', { patchSize: 32, numBlocks: 24, embedDim: 1024 });
registerMixer('mixer_l16_224', 'Mixer-L/16: 24 blocks, 1024 wide, 16×16 patches (208M parameters)', { patchSize: 16, numBlocks: 24, embedDim: 1024 });
// Small variants for 28×28 grey images (MNIST, Fashion-MNIST) and 32×32 colour images (CIFAR).
registerMixer('mixer_tiny_28', 'Mixer for 28×28×1 images: 7×7 patches (16 tokens), 4 blocks, 128 wide', {
  numClasses: 10, imgSize: 28, inChans: 1, patchSize: 7, numBlocks: 4, embedDim: 128,
});
registerMixer('mixer_tiny_32', 'Mixer for 32×32×3 images: 4×4 patches (64 tokens), 4 blocks, 128 wide', {
  numClasses: 10, imgSize: 32, inChans: 3, patchSize: 4, numBlocks: 4, embedDim: 128,
});
