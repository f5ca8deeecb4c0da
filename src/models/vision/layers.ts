/**
 * Parts shared by the vision MLP zoo, with timm's names and shapes
 * (huggingface/pytorch-image-models `timm/layers/mlp.py`, `patch_embed.py`,
 * `timm/models/mlp_mixer.py`), so reference state dicts load unchanged:
 *
 * - `Mlp`: fc1 → act → drop1 → norm → fc2 → drop2 (timm's Mlp), and `TokenMlp`,
 *   the same MLP applied across tokens (MLP-Mixer's token mixing);
 * - `GatedMlp`: an Mlp with a gate layer after the activation (gMLP's channel MLP);
 * - `PatchEmbed`: non-overlapping p×p patches → tokens by a strided convolution;
 * - `Affine`: ResMLP's per-channel α·x + β "norm";
 * - `lecunNormal_`: the truncated-normal fan-in init timm gives patch embeddings,
 *   and `truncNormalFast_`, truncated-normal draws by rejection.
 *
 * Layers are passed around as factories (`(dim) => module`), timm's
 * `norm_layer=partial(nn.LayerNorm, eps=1e-6)`, so a block can be assembled
 * from any parts without flags.
 */
import { Dropout } from '../../nn/dropout.js';
import { GELU } from '../../nn/activation.js';
import { Conv2d } from '../../nn/conv.js';
import { computeFans, normalCdf, randomInitEnabled, truncNormal_, type InitOptions } from '../../nn/init.js';
import { Identity, Linear } from '../../nn/linear.js';
import { Module } from '../../nn/module.js';
import { Parameter } from '../../nn/parameter.js';
import { ones, zeros } from '../../tensor/creation.js';
import { defaultGenerator, type Generator } from '../../tensor/random.js';
import { shapeStr } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A layer from one tensor to one tensor. */
export type TensorModule = Module<[Tensor], Tensor>;
/** Builds a layer over `dim` features (a norm, a gate, a mixer). */
export type LayerFactory = (dim: number) => TensorModule;
/** Builds a parameter-free activation. */
export type ActFactory = () => TensorModule;

export const gelu: ActFactory = () => new GELU();

export interface MlpOptions {
  /** Width of the hidden layer (default: inFeatures). */
  hiddenFeatures?: number;
  /** Output width (default: inFeatures). */
  outFeatures?: number;
  actLayer?: ActFactory;
  /** Norm after the activation (default none, an Identity). */
  normLayer?: LayerFactory | null;
  /** Dropout after the activation and after fc2. */
  drop?: number;
  bias?: boolean;
  generator?: Generator;
}

/**
 * Two-layer perceptron over the last dim (timm's Mlp):
 * x [..., in] → fc1 → act → dropout → norm → fc2 → dropout → [..., out].
 */
export class Mlp extends Module<[Tensor], Tensor> {
  readonly fc1: Linear;
  readonly act: TensorModule;
  readonly drop1: Dropout;
  readonly norm: TensorModule;
  readonly fc2: Linear;
  readonly drop2: Dropout;

  constructor(inFeatures: number, opts: MlpOptions = {}) {
    super();
    const { hiddenFeatures = inFeatures, outFeatures = inFeatures, actLayer = gelu, normLayer = null, drop = 0, bias = true, generator } = opts;
    this.fc1 = new Linear(inFeatures, hiddenFeatures, { bias, generator });
    this.act = actLayer();
    this.drop1 = new Dropout(drop, { generator });
    this.norm = normLayer ? normLayer(hiddenFeatures) : new Identity();
    this.fc2 = new Linear(hiddenFeatures, outFeatures, { bias, generator });
    this.drop2 = new Dropout(drop, { generator });
  }

  forward(x: Tensor): Tensor {
    const h = this.drop1.forward(this.act.forward(this.fc1.forward(x))); // (..., hidden)
    return this.drop2.forward(this.fc2.forward(this.norm.forward(h))); //   (..., out)
  }
}

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

export interface GatedMlpOptions extends MlpOptions {
  /** Gate over the hidden activations; it halves their width (gMLP's spatial gating unit). */
  gateLayer?: LayerFactory | null;
}

/**
 * An Mlp with a gate between the activation and fc2 (timm's GatedMlp):
 * x [..., in] → fc1 → act → dropout → gate (hidden → hidden/2) → norm → fc2 → dropout.
 */
export class GatedMlp extends Module<[Tensor], Tensor> {
  readonly fc1: Linear;
  readonly act: TensorModule;
  readonly drop1: Dropout;
  readonly gate: TensorModule;
  readonly norm: TensorModule;
  readonly fc2: Linear;
  readonly drop2: Dropout;

  constructor(inFeatures: number, opts: GatedMlpOptions = {}) {
    super();
    const { hiddenFeatures = inFeatures, outFeatures = inFeatures, actLayer = gelu, normLayer = null, gateLayer = null, drop = 0, bias = true, generator } = opts;
    this.fc1 = new Linear(inFeatures, hiddenFeatures, { bias, generator });
    this.act = actLayer();
    this.drop1 = new Dropout(drop, { generator });
    let width = hiddenFeatures;
    if (gateLayer) {
      if (hiddenFeatures % 2 !== 0) throw new Error(`GatedMlp: the gate splits the hidden width in half, but it is odd (${hiddenFeatures})`);
      this.gate = gateLayer(hiddenFeatures);
      width = hiddenFeatures / 2;
    } else {
      this.gate = new Identity();
    }
    this.norm = normLayer ? normLayer(width) : new Identity();
    this.fc2 = new Linear(width, outFeatures, { bias, generator });
    this.drop2 = new Dropout(drop, { generator });
  }

  forward(x: Tensor): Tensor {
    const h = this.drop1.forward(this.act.forward(this.fc1.forward(x))); // (..., hidden)
    const g = this.norm.forward(this.gate.forward(h)); //                     (..., hidden/2)
    return this.drop2.forward(this.fc2.forward(g)); //                        (..., out)
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

/**
 * N(mean, std²) conditioned on [a, b] (absolute cut points, as
 * torch.nn.init.trunc_normal_), drawn by rejection: redraw until inside. Same
 * distribution as `nn.init.truncNormal_`'s inverse-CDF method but an order of
 * magnitude faster when the cuts are wide, which they are for every use here
 * (±2σ keeps 95%; timm's std-0.02 init with cuts at ±2 keeps everything).
 * Narrow windows (under half the mass inside) go to the inverse-CDF method.
 */
export function truncNormalFast_(t: Tensor, { mean = 0, std = 1, a = -2, b = 2, generator = defaultGenerator }: InitOptions & { mean?: number; std?: number; a?: number; b?: number } = {}): Tensor {
  if (!(a < b)) throw new Error(`truncNormalFast_: need a < b, got a = ${a}, b = ${b}`);
  if (!(std > 0)) throw new Error(`truncNormalFast_: std must be positive, got ${std}`);
  if (normalCdf((b - mean) / std) - normalCdf((a - mean) / std) < 0.5) return truncNormal_(t, { mean, std, a, b, generator });
  if (!randomInitEnabled()) return t;
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    let v: number;
    do v = mean + std * generator.normal();
    while (v < a || v > b);
    d[i] = v;
  }
  return t;
}

/**
 * LeCun normal initialisation as timm (and Flax) draw it: a standard normal
 * truncated to ±2, scaled to std √(1/fan_in) / 0.8796 (0.8796 is the std of
 * that truncated normal, so the result has variance 1/fan_in).
 */
export function lecunNormal_(t: Tensor, opts: InitOptions = {}): Tensor {
  const { fanIn } = computeFans(t);
  const std = Math.sqrt(1 / fanIn) / 0.87962566103423978;
  return truncNormalFast_(t, { std, a: -2 * std, b: 2 * std, generator: opts.generator });
}
