/**
 * gMLP.
 *
 * Paper: Liu, Dai, So & Le, "Pay Attention to MLPs" (NeurIPS 2021),
 * https://arxiv.org/abs/2105.08050.
 * Reference: timm `timm/models/mlp_mixer.py` (SpatialGatingUnit,
 * SpatialGatingBlock, gmlp_*), `timm/layers/mlp.py` (GatedMlp).
 *
 *   image → stem (16×16 patches) → [B, N, D]
 *   → SpatialGatingBlock × numBlocks:  x += fc2(SGU(GELU(fc1(LN(x)))))
 *        SGU(z): (u, v) = halves of z;  v = LN(v);  v = Linear_tokens(vᵀ)ᵀ;  u ⊙ v
 *   → LN → mean over tokens → head
 *
 * The spatial gating unit is where tokens mix; the block has one norm and one
 * residual (a MetaFormer block without its token-mixing branch). The gate's
 * token projection starts at weight N(0, 1e-6) and bias 1, so every block is
 * ≈ an ordinary channel MLP at initialisation.
 *
 * Reference details kept: the block norms are LayerNorm(eps 1e-6) but the
 * SGU's norm is a default LayerNorm (eps 1e-5); u is the first half.
 * State-dict names are timm's: `blocks.0.norm.weight`,
 * `blocks.0.mlp_channels.fc1.weight`, `blocks.0.mlp_channels.gate.norm.weight`,
 * `blocks.0.mlp_channels.gate.proj.weight`, `blocks.0.mlp_channels.fc2.weight`.
 */
import { normal_, ones_ } from '../../nn/init.js';
import { Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { LayerNorm } from '../../nn/norm.js';
import type { Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';
import { GatedMlp } from './layers.js';
import { MetaFormerBlock } from './metaformer.js';
import { imageInputs, MIXER_DEFAULTS, MlpMixer, type BlockLayer, type BlockLayerOptions, type MlpMixerConfig } from './mlp_mixer.js';

/**
 * Spatial gating unit: z [B, N, dim] → u ⊙ proj_N(LN(v)) [B, N, dim/2], where
 * u, v are the first and second halves of z's channels and proj_N is a Linear
 * over the N tokens.
 */
export class SpatialGatingUnit extends Module<[Tensor], Tensor> {
  readonly norm: LayerNorm;
  readonly proj: Linear;

  constructor(readonly dim: number, readonly seqLen: number, { generator }: { generator?: Generator } = {}) {
    super();
    if (dim % 2 !== 0) throw new Error(`SpatialGatingUnit: the channel dim must split in half, got ${dim}`);
    this.norm = new LayerNorm(dim / 2); // eps 1e-5, unlike the block's norm (as the reference)
    this.proj = new Linear(seqLen, seqLen, { generator });
  }

  /** The gate starts open: proj weight N(0, 1e-6), bias 1 (called by the model's initialisation, after its children). */
  initWeights(generator?: Generator): void {
    normal_(this.proj.weight, 0, 1e-6, { generator });
    if (this.proj.bias) ones_(this.proj.bias);
  }

  forward(z: Tensor): Tensor {
    if (z.ndim !== 3 || z.shape[1] !== this.seqLen || z.shape[2] !== this.dim) {
      throw new Error(`SpatialGatingUnit: expected [B, ${this.seqLen}, ${this.dim}], got ${shapeStr(z.shape)}`);
    }
    const [u, v0] = z.chunk(2, -1); //                                      (B, N, dim/2) each
    const v = this.proj.forward(this.norm.forward(v0).transpose(1, 2)); // (B, dim/2, N) mixed over N
    return u.mul(v.transpose(1, 2)); //                                    (B, N, dim/2)
  }
}

/**
 * gMLP block: x + GatedMlp(LN(x)) with the spatial gating unit as the gate.
 * x [B, seqLen, dim] → [B, seqLen, dim]; the hidden width is mlpRatio·dim.
 */
export class SpatialGatingBlock extends MetaFormerBlock {
  static override stateNames = { norm2: 'norm', mlp: 'mlp_channels' };

  constructor(dim: number, seqLen: number, mlpRatio: number, { normLayer, drop, dropPath, generator }: BlockLayerOptions) {
    super(dim, {
      norm: normLayer,
      tokenMixer: null, // tokens mix inside the channel MLP's gate
      mlp: (d) => new GatedMlp(d, {
        hiddenFeatures: Math.trunc(d * mlpRatio),
        gateLayer: (h) => new SpatialGatingUnit(h, seqLen, { generator }),
        drop,
        generator,
      }),
      dropPath,
      generator,
    });
  }
}

export const spatialGatingBlock: BlockLayer = (dim, seqLen, mlpRatio, opts) => {
  if (typeof mlpRatio !== 'number') throw new Error(`SpatialGatingBlock: mlpRatio must be one number, got ${JSON.stringify(mlpRatio)}`);
  return new SpatialGatingBlock(dim, seqLen, mlpRatio, opts);
};

const PAPER = 'Liu, Dai, So & Le, "Pay Attention to MLPs" (NeurIPS 2021), https://arxiv.org/abs/2105.08050';

function registerGmlp(name: string, description: string, overrides: Partial<MlpMixerConfig>): void {
  register<MlpMixerConfig>({
    name,
    family: 'gmlp',
    task: 'classify',
    paper: PAPER,
    reference: 'huggingface/pytorch-image-models timm/models/mlp_mixer.py (SpatialGatingUnit, SpatialGatingBlock), timm/layers/mlp.py (GatedMlp)',
    description,
    defaults: { ...MIXER_DEFAULTS, patchSize: 16, numBlocks: 30, mlpRatio: 6, ...overrides },
    inputs: imageInputs,
    outputs: (c) => [{ name: 'logits', shape: [c.numClasses] }],
    smallConfig: { numBlocks: 1 },
    create: (c, g) => new MlpMixer(c, { blockLayer: spatialGatingBlock, generator: g }),
  });
}

registerGmlp('gmlp_ti16_224', 'gMLP-Ti: 30 blocks, 128 wide, hidden 768, 16×16 patches (6M parameters)', { embedDim: 128 });
registerGmlp('gmlp_s16_224', 'gMLP-S: 30 blocks, 256 wide, hidden 1536, 16×16 patches (19.4M parameters)', { embedDim: 256 });
registerGmlp('gmlp_b16_224', 'gMLP-B: 30 blocks, 512 wide, hidden 3072, 16×16 patches (73M parameters)', { embedDim: 512 });
registerGmlp('gmlp_tiny_28', 'gMLP for 28×28×1 images: 7×7 patches (16 tokens), 4 blocks, 128 wide, hidden 768', {
  numClasses: 10, imgSize: 28, inChans: 1, patchSize: 7, numBlocks: 4, embedDim: 128,
});
registerGmlp('gmlp_tiny_32', 'gMLP for 32×32×3 images: 4×4 patches (64 tokens), 4 blocks, 128 wide, hidden 768', {
  numClasses: 10, imgSize: 32, inChans: 3, patchSize: 4, numBlocks: 4, embedDim: 128,
});
