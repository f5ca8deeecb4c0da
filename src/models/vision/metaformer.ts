/**
 * The MetaFormer block.
 *
 * Paper: Yu et al., "MetaFormer Is Actually What You Need for Vision" (CVPR 2022),
 * https://arxiv.org/abs/2111.11418. Reference: sail-sg/poolformer
 * (`models/poolformer.py`, `models/metaformer.py`); timm `timm/models/metaformer.py`.
 *
 *   x = x + DropPath(ls1 ⊙ TokenMixer(Norm1(x)))
 *   x = x + DropPath(ls2 ⊙ ChannelMlp(Norm2(x)))
 *
 * The block is assembled from constructors — token mixer, channel MLP, norm —
 * and MLP-Mixer, ResMLP, gMLP and PoolFormer are instances of it that differ
 * only in those parts and in their parameter names (each subclass maps its
 * fields to the reference's state-dict names with `stateNames`).
 *
 * Deliberate extension: `tokenMixer: null` drops the first residual branch.
 * gMLP's block is then the case where token mixing lives inside the channel
 * MLP (its spatial gating unit) and there is one norm and one residual.
 */
import { DropPath } from '../../nn/droppath.js';
import { Identity } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { full } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerFactory, TensorModule } from '../../nn/mlp.js';

export interface MetaFormerBlockOptions {
  /** Token mixer over the normalised input; null: no token-mixing branch (gMLP). */
  tokenMixer: LayerFactory | null;
  /** Channel MLP of the second branch. */
  mlp: LayerFactory;
  /** Norm before each branch (one instance per branch). */
  norm: LayerFactory;
  /** Initial value of the per-channel layer scales ls1, ls2 (CaiT); null: no layer scale. */
  layerScaleInit?: number | null;
  /** Probability of dropping a sample's residual branches (stochastic depth). */
  dropPath?: number;
  /**
   * Where the channels are: 'channels_last' for tokens [B, N, C] (the layer
   * scale broadcasts over the last dim), 'channels_first' for feature maps
   * [B, C, H, W] (PoolFormer).
   */
  dataFormat?: 'channels_last' | 'channels_first';
  generator?: Generator;
}

/**
 * x [B, N, dim] (or [B, dim, H, W] with channels_first) → same shape.
 * @example
 * const block = new MetaFormerBlock(64, { tokenMixer: (d) => new Identity(), mlp: (d) => new Mlp(d, { hiddenFeatures: 4 * d }), norm: (d) => new LayerNorm(d) });
 */
export class MetaFormerBlock extends Module<[Tensor], Tensor> {
  readonly norm1: TensorModule | null;
  readonly tokenMixer: TensorModule | null;
  readonly norm2: TensorModule;
  readonly mlp: TensorModule;
  readonly ls1: Parameter | null;
  readonly ls2: Parameter | null;
  readonly dropPath: TensorModule;
  /** Shape the layer scales are viewed as to broadcast against x. */
  readonly #scaleShape: number[];

  constructor(readonly dim: number, opts: MetaFormerBlockOptions) {
    super();
    const { tokenMixer, mlp, norm, layerScaleInit = null, dropPath = 0, dataFormat = 'channels_last', generator } = opts;
    this.norm1 = tokenMixer ? norm(dim) : null;
    this.tokenMixer = tokenMixer ? tokenMixer(dim) : null;
    this.norm2 = norm(dim);
    this.mlp = mlp(dim);
    const scale = (): Parameter | null => (layerScaleInit === null ? null : new Parameter(full([dim], layerScaleInit)));
    this.ls1 = tokenMixer ? scale() : null;
    this.ls2 = scale();
    this.dropPath = dropPath > 0 ? new DropPath(dropPath, { generator }) : new Identity();
    this.#scaleShape = dataFormat === 'channels_first' ? [dim, 1, 1] : [dim];
  }

  forward(x: Tensor): Tensor {
    if (this.tokenMixer && this.norm1) {
      x = x.add(this.dropPath.forward(this.scaled(this.ls1, this.tokenMixer.forward(this.norm1.forward(x))))); // token mixing
    }
    return x.add(this.dropPath.forward(this.scaled(this.ls2, this.mlp.forward(this.norm2.forward(x))))); //     channel mixing
  }

  private scaled(ls: Parameter | null, branch: Tensor): Tensor {
    return ls ? branch.mul(ls.reshape(this.#scaleShape)) : branch;
  }

  override extraRepr(): string {
    return `${this.dim}`;
  }
}
