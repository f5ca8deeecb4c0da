/**
 * Parts shared by the vision MLP zoo, with timm's names and shapes
 * (huggingface/pytorch-image-models `timm/layers/mlp.py`, `patch_embed.py`,
 * `timm/models/mlp_mixer.py`), so reference state dicts load unchanged:
 *
 * - `TokenMlp`: nn's Mlp (timm's Mlp) applied across tokens (MLP-Mixer's token
 *   mixing), and `GatedMlp`, the Mlp with a gate layer after the activation
 *   (gMLP's channel MLP); `Mlp` itself lives in nn/mlp.ts;
 * - `PatchEmbed`: non-overlapping p×p patches → tokens by a strided convolution;
 * - `Affine`: ResMLP's per-channel α·x + β "norm".
 * The initialisers `lecunNormal_` and `truncNormalFast_` live in nn/init.ts
 * and are re-exported here.
 *
 * Layers are passed around as factories (`(dim) => module`), timm's
 * `norm_layer=partial(nn.LayerNorm, eps=1e-6)`, so a block can be assembled
 * from any parts without flags.
 */
import { Conv2d } from '../../nn/conv.js';
import { Identity } from '../../nn/linear.js';
import { Mlp, type LayerFactory, type MlpOptions, type TensorModule } from '../../nn/mlp.js';
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { ones, zeros } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

export { Mlp, gelu, type MlpOptions, type TensorModule, type LayerFactory, type ActFactory } from '../../nn/mlp.js';
export { lecunNormal_, truncNormalFast_ } from '../../nn/init.js';

/**
 * The Mlp applied across tokens rather than channels (MLP-Mixer's token
 * mixing): x [B, N, C] → transpose → MLP over N → transpose back → [B, N, C].
 * Its parameters are an Mlp's (fc1 [hidden, N], fc2 [N, hidden]).
 */
export class TokenMlp extends Mlp {
  override forward(x: Tensor): Tensor {
    return super.forward(x.transpose(1, 2)).transpose(1, 2); // (B, C, N) mixed over N → (B, N, C)
  }
}

export interface GatedMlpOptions extends Omit<MlpOptions, 'glu'> {
  /** Gate over the hidden activations; it halves their width (gMLP's spatial gating unit). */
  gateLayer?: LayerFactory | null;
}

/**
 * timm's GatedMlp: the Mlp with a gate module between the activation and fc2,
 * x [..., in] → fc1 → act → dropout → gate (hidden → hidden/2) → norm → fc2 → dropout.
 */
export class GatedMlp extends Mlp {
  constructor(inFeatures: number, opts: GatedMlpOptions = {}) {
    super(inFeatures, opts);
  }
}

export interface PatchEmbedOptions {
  imgSize: number;
  patchSize: number;
  inChans: number;
  embedDim: number;
  /** Norm over the embedded tokens (default none). */
  normLayer?: LayerFactory | null;
  generator?: Generator;
}

/**
 * Image → patch tokens (timm's PatchEmbed): a p×p convolution with stride p,
 * flattened to tokens. x [B, inChans, H, W] → [B, (H/p)·(W/p), embedDim].
 */
export class PatchEmbed extends Module<[Tensor], Tensor> {
  readonly imgSize: number;
  readonly patchSize: number;
  readonly gridSize: number;
  readonly numPatches: number;
  readonly proj: Conv2d;
  readonly norm: TensorModule;

  constructor({ imgSize, patchSize, inChans, embedDim, normLayer = null, generator }: PatchEmbedOptions) {
    super();
    if (!(Number.isInteger(patchSize) && patchSize >= 1 && patchSize <= imgSize)) {
      throw new Error(`PatchEmbed: patch size ${patchSize} must be an integer in [1, image size ${imgSize}]`);
    }
    this.imgSize = imgSize;
    this.patchSize = patchSize;
    this.gridSize = Math.floor(imgSize / patchSize);
    this.numPatches = this.gridSize * this.gridSize;
    this.proj = new Conv2d(inChans, embedDim, patchSize, { stride: patchSize, generator });
    this.norm = normLayer ? normLayer(embedDim) : new Identity();
  }

  forward(x: Tensor): Tensor {
    const [, c, h, w] = x.shape;
    if (x.ndim !== 4 || c !== this.proj.inChannels || h !== this.imgSize || w !== this.imgSize) {
      throw new Error(`PatchEmbed: expected images [B, ${this.proj.inChannels}, ${this.imgSize}, ${this.imgSize}], got ${shapeStr(x.shape)}`);
    }
    const grid = this.proj.forward(x); //                   (B, D, H/p, W/p)
    return this.norm.forward(grid.flatten(2).transpose(1, 2)); // (B, N, D)
  }
}

/**
 * ResMLP's replacement for LayerNorm: a learned per-channel affine map
 * β + α ⊙ x, with alpha (ones) and beta (zeros) of shape [1, 1, dim] as in timm.
 * x [B, N, dim] → [B, N, dim].
 */
export class Affine extends Module<[Tensor], Tensor> {
  readonly alpha: Parameter;
  readonly beta: Parameter;

  constructor(readonly dim: number) {
    super();
    this.alpha = new Parameter(ones([1, 1, dim]));
    this.beta = new Parameter(zeros([1, 1, dim]));
  }

  forward(x: Tensor): Tensor {
    return x.mul(this.alpha).add(this.beta);
  }

  override extraRepr(): string {
    return `${this.dim}`;
  }
}
