/**
 * The deep MLPs of "Scaling MLPs".
 *
 * Paper: Bachmann, Anagnostidis & Hofmann, "Scaling MLPs: A Tale of Inductive
 * Bias" (NeurIPS 2023), https://arxiv.org/abs/2306.13575.
 * Reference: gregorbachmann/scaling_mlps `models/networks.py` (BottleneckMLP,
 * BottleneckBlock, B_12_Wi_1024 …).
 *
 *   image [B, 3, r, r] → flatten → [B, 3r²] → linear_in → [B, thin]
 *   → x += Linear(wide→thin)(GELU(Linear(thin→wide)(LN(x))))  per block
 *   → linear_out → logits [B, dimOut]
 *
 * No patches, no token mixing, no convolution: the inverted bottleneck (thin
 * residual stream, 4× wider hidden layer) with pre-norm residual blocks is what
 * lets such MLPs scale. The reference flattens NCHW images in C, H, W order
 * before the network; mlpkit's forward does that flatten itself, so images
 * and flat rows both work. Initialisation is PyTorch's default (the reference
 * does not re-initialise).
 *
 * State-dict names are the reference's: `linear_in.weight`, `linear_out.weight`,
 * `blocks.0.block.0.weight` (thin → wide), `blocks.0.block.2.weight` (wide → thin),
 * `layernorms.0.weight`.
 */
import { BatchNorm1d } from '../../nn/batchnorm.js';
import { Identity, Linear } from '../../nn/linear.js';
import { Mlp, type TensorModule } from '../../nn/mlp.js';
import { Module } from '../../nn/module.js';
import { LayerNorm } from '../../nn/norm.js';
import type { Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { register } from '../registry.js';

/**
 * One inverted bottleneck: thin → wide → GELU → thin, nn's Mlp under the
 * reference's Sequential names `block.0`, `block.1`, `block.2`. x [B, thin] → [B, thin].
 */
export class BottleneckBlock extends Mlp {
  constructor(readonly thin: number, readonly wide: number, generator?: Generator) {
    super(thin, { hiddenFeatures: wide, names: { fc1: 'block.0', act: 'block.1', fc2: 'block.2' }, generator });
  }
}

export type BottleneckNorm = 'layer' | 'batch' | 'none';

/** The reference's BottleneckMLP arguments (camelCase). */
export type BottleneckMlpConfig = {
  /** Input features: 3·resolution² for colour images. */
  dimIn: number;
  /** Classes. */
  dimOut: number;
  /** [wide, thin] per block, as the reference's block_dims. */
  blockDims: [number, number][];
  norm: BottleneckNorm;
};

const NORMS: Record<BottleneckNorm, (d: number) => TensorModule> = {
  layer: (d) => new LayerNorm(d),
  batch: (d) => new BatchNorm1d(d),
  none: () => new Identity(),
};

/** x [B, dimIn] or images [B, C, H, W] with C·H·W = dimIn → logits [B, dimOut]. */
export class BottleneckMLP extends Module<[Tensor], Tensor> {
  readonly linearIn: Linear;
  readonly linearOut: Linear;
  readonly blocks: BottleneckBlock[];
  readonly layernorms: TensorModule[];

  constructor(readonly config: BottleneckMlpConfig, generator?: Generator) {
    super();
    const { dimIn, dimOut, blockDims, norm } = config;
    if (!blockDims.length) throw new Error('BottleneckMLP: blockDims must list at least one [wide, thin] block');
    const makeNorm = NORMS[norm];
    if (!makeNorm) throw new Error(`BottleneckMLP: unknown norm '${norm}' (known: ${Object.keys(NORMS).join(', ')})`);
    // The residual stream needs one width: the reference uses the first block's thin dim in and the last one's out.
    this.linearIn = new Linear(dimIn, blockDims[0][1], { generator });
    this.linearOut = new Linear(blockDims[blockDims.length - 1][1], dimOut, { generator });
    this.blocks = blockDims.map(([wide, thin]) => new BottleneckBlock(thin, wide, generator));
    this.layernorms = blockDims.map(([, thin]) => makeNorm(thin));
  }

  forward(x: Tensor): Tensor {
    const flat = x.flatten(1); // (B, dimIn): C, H, W order for images
    if (flat.ndim !== 2 || flat.shape[1] !== this.config.dimIn) {
      throw new Error(`BottleneckMLP: expected ${this.config.dimIn} features per sample, got input ${shapeStr(x.shape)}`);
    }
    let h = this.linearIn.forward(flat); // (B, thin)
    this.blocks.forEach((block, i) => {
      h = h.add(block.forward(this.layernorms[i].forward(h))); // (B, thin)
    });
    return this.linearOut.forward(h); // (B, dimOut)
  }
}

// ---------------------------------------------------------------- registry

const PAPER = 'Bachmann, Anagnostidis & Hofmann, "Scaling MLPs: A Tale of Inductive Bias" (NeurIPS 2023), https://arxiv.org/abs/2306.13575';

const blocks = (depth: number, thin: number, wide = 4 * thin): [number, number][] => Array.from({ length: depth }, () => [wide, thin]);

function registerBottleneck(name: string, description: string, defaults: BottleneckMlpConfig): void {
  register<BottleneckMlpConfig>({
    name,
    family: 'scaling-mlp',
    task: 'classify',
    paper: PAPER,
    reference: 'gregorbachmann/scaling_mlps models/networks.py (BottleneckMLP, BottleneckBlock)',
    description,
    defaults,
    inputs: (c) => [{ name: 'x', shape: [c.dimIn] }],
    outputs: (c) => [{ name: 'logits', shape: [c.dimOut] }],
    smallConfig: { blockDims: defaults.blockDims.slice(0, 1) },
    create: (c, g) => new BottleneckMLP(c, g),
  });
}

// The reference's four architectures, as pre-trained on ImageNet-21k at 64×64 (dim_in 3·64², 11,230 classes).
const IN21K_64 = { dimIn: 3 * 64 * 64, dimOut: 11230, norm: 'layer' as const };
registerBottleneck('scaling_mlp_b12_wi1024', "B_12-Wi_1024: 12 bottleneck blocks, 1024 thin / 4096 wide, 64×64×3 inputs (124M parameters)", { ...IN21K_64, blockDims: blocks(12, 1024) });
registerBottleneck('scaling_mlp_b12_wi512', "B_12-Wi_512: 12 bottleneck blocks, 512 thin / 2048 wide, 64×64×3 inputs (37M parameters)", { ...IN21K_64, blockDims: blocks(12, 512) });
registerBottleneck('scaling_mlp_b6_wi1024', "B_6-Wi_1024: 6 bottleneck blocks, 1024 thin / 4096 wide, 64×64×3 inputs", { ...IN21K_64, blockDims: blocks(6, 1024) });
registerBottleneck('scaling_mlp_b6_wi512', "B_6-Wi_512: 6 bottleneck blocks, 512 thin / 2048 wide, 64×64×3 inputs", { ...IN21K_64, blockDims: blocks(6, 512) });
registerBottleneck('scaling_mlp_tiny_28', 'Bottleneck MLP for 28×28×1 images: 4 blocks, 256 thin / 1024 wide', { dimIn: 28 * 28, dimOut: 10, norm: 'layer', blockDims: blocks(4, 256) });
registerBottleneck('scaling_mlp_tiny_32', 'Bottleneck MLP for 32×32×3 images: 4 blocks, 256 thin / 1024 wide', { dimIn: 3 * 32 * 32, dimOut: 10, norm: 'layer', blockDims: blocks(4, 256) });
