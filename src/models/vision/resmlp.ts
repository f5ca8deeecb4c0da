/**
 * ResMLP.
 *
 * Paper: Touvron et al., "ResMLP: Feedforward networks for image classification
 * with data-efficient training" (TPAMI 2022), https://arxiv.org/abs/2105.03404.
 * Reference: timm `timm/models/mlp_mixer.py` (Affine, ResBlock, resmlp_*);
 * the authors' code is facebookresearch/deit `resmlp_models.py`.
 *
 *   image → stem (16×16 patches) → [B, N, D]
 *   → ResBlock × numBlocks:  x += ls1 ⊙ Linear_tokens(Aff(x)ᵀ)ᵀ;  x += ls2 ⊙ MLP(Aff(x))
 *   → Aff → mean over tokens → head
 *
 * "Aff" is a per-channel α·x + β in place of LayerNorm, and token mixing is a
 * single linear layer over the N tokens. It is MlpMixer with another block and
 * norm. State-dict names are timm's: `blocks.0.norm1.alpha`, `blocks.0.ls1`,
 * `blocks.0.linear_tokens.weight`, `blocks.0.mlp_channels.fc1.weight`,
 * `norm.beta`, … (the deit checkpoints' `gamma_1`/`attn.`/`mlp.` names are what
 * timm's checkpoint filter renames into these).
 *
 * Deviation: `initValues` (timm passes it to ResBlock through a partial) is a
 * config field, so ResMLP-24's 1e-5 and ResMLP-36's 1e-6 are data. The named
 * variants keep timm's values; note that the authors' code starts ResMLP-12 at
 * 0.1 where timm uses its block default 1e-4. The small variants use 0.1: with
 * four blocks there is no depth to stabilise, and 1e-4 only slows learning.
 */
import { Linear } from '../../nn/linear.js';
import { Mlp, type LayerFactory } from '../../nn/mlp.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';
import { Affine } from './layers.js';
import { MetaFormerBlock } from './metaformer.js';
import { imageInputs, MIXER_DEFAULTS, MlpMixer, type BlockLayer, type BlockLayerOptions, type MlpMixerConfig } from './mlp_mixer.js';

/** A Linear layer across tokens: x [B, N, C] → mixed over N → [B, N, C]; weight [N, N]. */
export class TokenLinear extends Linear {
  override forward(x: Tensor): Tensor {
    return super.forward(x.transpose(1, 2)).transpose(1, 2); // (B, C, N) → (B, N, C)
  }
}

export const affine: LayerFactory = (d) => new Affine(d);

/**
 * ResMLP's residual block: linear token mixing and a channel MLP, each after
 * an Affine "norm" and scaled per channel by a layer scale starting at
 * `initValues`. x [B, seqLen, dim] → [B, seqLen, dim].
 */
export class ResBlock extends MetaFormerBlock {
  static override stateNames = { tokenMixer: 'linear_tokens', mlp: 'mlp_channels' };

  constructor(dim: number, seqLen: number, mlpRatio: number, initValues: number, { normLayer, drop, dropPath, generator }: BlockLayerOptions) {
    super(dim, {
      norm: normLayer,
      tokenMixer: () => new TokenLinear(seqLen, seqLen, { generator }),
      mlp: (d) => new Mlp(d, { hiddenFeatures: Math.trunc(d * mlpRatio), drop, generator }),
      layerScaleInit: initValues,
      dropPath,
      generator,
    });
  }
}

/** timm's `partial(ResBlock, init_values=…)`. */
export function resBlock(initValues: number): BlockLayer {
  return (dim, seqLen, mlpRatio, opts) => {
    if (typeof mlpRatio !== 'number') throw new Error(`ResBlock: mlpRatio must be one number, got ${JSON.stringify(mlpRatio)}`);
    return new ResBlock(dim, seqLen, mlpRatio, initValues, opts);
  };
}

export type ResMlpConfig = MlpMixerConfig & {
  /** Initial layer-scale value (timm: 1e-4 for 12 blocks, 1e-5 for 24, 1e-6 for 36 and B-24). */
  initValues: number;
};

const PAPER = 'Touvron et al., "ResMLP: Feedforward networks for image classification with data-efficient training" (TPAMI 2022), https://arxiv.org/abs/2105.03404';

function registerResMlp(name: string, description: string, overrides: Partial<ResMlpConfig>): void {
  register<ResMlpConfig>({
    name,
    family: 'resmlp',
    task: 'classify',
    paper: PAPER,
    reference: 'huggingface/pytorch-image-models timm/models/mlp_mixer.py (Affine, ResBlock, resmlp_*)',
    description,
    defaults: { ...MIXER_DEFAULTS, patchSize: 16, embedDim: 384, mlpRatio: 4, initValues: 1e-4, ...overrides },
    inputs: imageInputs,
    outputs: (c) => [{ name: 'logits', shape: [c.numClasses] }],
    smallConfig: { numBlocks: 1 },
    create: (c, g) => new MlpMixer(c, { blockLayer: resBlock(c.initValues), normLayer: affine, generator: g }),
  });
}

registerResMlp('resmlp_12_224', 'ResMLP-S12: 12 blocks, 384 wide, 16×16 patches (15.4M parameters)', { numBlocks: 12 });
registerResMlp('resmlp_24_224', 'ResMLP-S24: 24 blocks, 384 wide, 16×16 patches (30.0M parameters)', { numBlocks: 24, initValues: 1e-5 });
registerResMlp('resmlp_36_224', 'ResMLP-36: 36 blocks, 384 wide, 16×16 patches (44.7M parameters)', { numBlocks: 36, initValues: 1e-6 });
registerResMlp('resmlp_big_24_224', 'ResMLP-B24: 24 blocks, 768 wide, 8×8 patches (129.1M parameters)', { patchSize: 8, numBlocks: 24, embedDim: 768, initValues: 1e-6 });
registerResMlp('resmlp_tiny_28', 'ResMLP for 28×28×1 images: 7×7 patches (16 tokens), 4 blocks, 128 wide', {
  numClasses: 10, imgSize: 28, inChans: 1, patchSize: 7, numBlocks: 4, embedDim: 128, initValues: 0.1,
});
registerResMlp('resmlp_tiny_32', 'ResMLP for 32×32×3 images: 4×4 patches (64 tokens), 4 blocks, 128 wide', {
  numClasses: 10, imgSize: 32, inChans: 3, patchSize: 4, numBlocks: 4, embedDim: 128, initValues: 0.1,
});
