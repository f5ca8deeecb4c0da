/**
 * The multi-layer perceptron that every MLP-family model is built from: one
 * class for timm's Mlp, GluMlp and GatedMlp and for the 1×1-convolution form
 * of its ConvMlp (huggingface/pytorch-image-models `timm/layers/mlp.py`):
 *
 *   x [..., in] → fc1 → act → drop1 → (hidden layers) → gate → norm → fc2 → drop2 → [..., out]
 *
 * Parts are passed as constructors (timm's `act_layer=nn.GELU`,
 * `norm_layer=partial(nn.LayerNorm, eps=1e-6)`), never as flags naming a
 * model. The reference state-dict names of each model that uses it (`fc1`,
 * `dense1`, `mlp.0`, `block.2`, `layers.0` … `head`) come from the `names`
 * option, so checkpoints load without renaming.
 *
 * With ReLU and nothing between the two layers, the forward pass runs as
 * `reluMlp` (nn/functional), which takes the fused kernel for narrow layers
 * and draws the same dropout mask from the same generator as the composition.
 */
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { GELU, ReLU } from './activation.js';
import { Conv2d } from './conv.js';
import { Dropout } from './dropout.js';
import { reluMlp } from './functional.js';
import { Identity, Linear } from './linear.js';
import { Module } from './module.js';

/** A layer from one tensor to one tensor. */
export type TensorModule = Module<[Tensor], Tensor>;
/** Builds a layer over `dim` features (a norm, a gate, a mixer). */
export type LayerFactory = (dim: number) => TensorModule;
/** Builds a parameter-free activation. */
export type ActFactory = () => TensorModule;
/** A fully connected layer of the MLP: a Linear, or a 1×1 Conv2d in the conv form. */
export type FcLayer = Linear | Conv2d;
/** Builds one fully connected layer (fc1, the hidden layers, fc2, in that order). */
export type FcFactory = (inFeatures: number, outFeatures: number, opts: { bias: boolean; generator?: Generator }) => FcLayer;

export const gelu: ActFactory = () => new GELU();

/** The fields of an Mlp whose state-dict name an option may change. */
export type MlpField = 'fc1' | 'act' | 'drop1' | 'gate' | 'norm' | 'fc2' | 'drop2';

/** State-dict names: a field → its name (dots nest: 'block.0'), and the name of hidden layer i. */
export type MlpNames = Partial<Record<MlpField, string>> & { hidden?: (i: number) => string };

export interface MlpOptions {
  /**
   * Width of the hidden layer (default: inFeatures); a list gives one hidden
   * layer per entry, each followed by the activation and drop1 (a deep perceptron).
   */
  hiddenFeatures?: number | readonly number[];
  /** Output width (default: inFeatures). */
  outFeatures?: number;
  /** The activation (default GELU); with `glu`, the activation of the gate half. */
  actLayer?: ActFactory;
  /**
   * Gated linear unit (timm's GluMlp): fc1's output splits into a value half a
   * and a gate half b, and the hidden layer is a ⊙ act(b), half as wide.
   */
  glu?: boolean;
  /** A gate module over the hidden activations that halves their width (gMLP's spatial gating unit). */
  gateLayer?: LayerFactory | null;
  /** Norm over the (gated) hidden layer, before fc2 (default none, an Identity). */
  normLayer?: LayerFactory | null;
  /** Dropout after the activation and after fc2: one probability for both, or [drop1, drop2]. */
  drop?: number | readonly [number, number];
  /** Biases of the fully connected layers: one flag for all, or [fc1 and hidden layers, fc2]. */
  bias?: boolean | readonly [boolean, boolean];
  /**
   * 1×1 convolutions over feature maps [B, C, H, W] instead of Linears over
   * the last dim. The norm stays after the activation (timm's ConvMlp puts it before).
   */
  conv?: boolean;
  /** Builds the fully connected layers (default Linear, or a 1×1 Conv2d with `conv`), for a reference's own initialisation. */
  fcLayer?: FcFactory;
  /** Reference state-dict names (see MlpNames); unnamed fields keep their own names. */
  names?: MlpNames;
  generator?: Generator;
}

const linearFc: FcFactory = (i, o, opts) => new Linear(i, o, opts);
const convFc: FcFactory = (i, o, opts) => new Conv2d(i, o, 1, opts);

/**
 * The MLP. x [..., in] → [..., out] over the last dim, or x [B, in, H, W] →
 * [B, out, H, W] in the conv form. Parameters are built in dataflow order
 * (fc1, hidden layers, gate, norm, fc2), so a seeded generator gives the same
 * numbers as the references' constructors.
 * @example
 * const mlp = new Mlp(64, { hiddenFeatures: 256, actLayer: () => new ReLU(), drop: 0.1 });
 * mlp.forward(randn([8, 64])).shape; // [8, 64]
 * Object.keys(new Mlp(8, { names: { fc1: 'dense1', fc2: 'dense2' } }).stateDict()); // dense1.weight, dense1.bias, dense2.weight, dense2.bias
 */
export class Mlp extends Module<[Tensor], Tensor> {
  readonly fc1: FcLayer;
  readonly act: TensorModule;
  readonly drop1: Dropout;
  /** Hidden layers after the first (a deep perceptron), each followed by act and drop1. */
  readonly hidden: FcLayer[];
  readonly gate: TensorModule | null;
  readonly norm: TensorModule;
  readonly fc2: FcLayer;
  readonly drop2: Dropout;
  readonly glu: boolean;
  readonly #names: MlpNames;

  constructor(inFeatures: number, opts: MlpOptions = {}) {
    super();
    const { hiddenFeatures = inFeatures, outFeatures = inFeatures, actLayer = gelu, glu = false, gateLayer = null, normLayer = null, drop = 0, bias = true, conv = false, names = {}, generator } = opts;
    const widths = typeof hiddenFeatures === 'number' ? [hiddenFeatures] : [...hiddenFeatures];
    if (!widths.length) throw new Error('Mlp: needs at least one hidden layer (with none it is a Linear)');
    if (glu && gateLayer) throw new Error('Mlp: glu and gateLayer both halve the hidden layer; give one of them');
    if (glu && widths.length > 1) throw new Error(`Mlp: glu takes one hidden layer, got widths ${JSON.stringify(widths)}`);
    const [bias1, bias2] = typeof bias === 'boolean' ? [bias, bias] : bias;
    const [p1, p2] = typeof drop === 'number' ? [drop, drop] : drop;
    const fc = opts.fcLayer ?? (conv ? convFc : linearFc);
    this.fc1 = fc(inFeatures, widths[0], { bias: bias1, generator });
    this.act = actLayer();
    this.drop1 = new Dropout(p1, { generator });
    this.hidden = widths.slice(1).map((w, i) => fc(widths[i], w, { bias: bias1, generator }));
    let width = widths[widths.length - 1];
    if (glu || gateLayer) {
      if (width % 2 !== 0) throw new Error(`Mlp: the ${glu ? 'GLU' : 'gate'} splits the hidden width in half, but it is odd (${width})`);
      this.gate = gateLayer ? gateLayer(width) : null;
      width /= 2;
    } else {
      this.gate = null;
    }
    this.norm = normLayer ? normLayer(width) : new Identity();
    this.fc2 = fc(width, outFeatures, { bias: bias2, generator });
    this.drop2 = new Dropout(p2, { generator });
    this.glu = glu;
    this.#names = names;
  }

  /** The fields under the reference's names; hidden layers one by one (`layers.1`, `layers.2` …). */
  override namedFields(): [string, unknown][] {
    const names = this.#names;
    return super.namedFields().flatMap(([n, v]): [string, unknown][] => {
      if (v === this.hidden) return this.hidden.map((l, i) => [names.hidden?.(i) ?? `hidden.${i}`, l]);
      return [[names[n as MlpField] ?? n, v]];
    });
  }

  /** True where the forward pass can run as one reluMlp op (a plain ReLU MLP of Linears). */
  get fusable(): boolean {
    return this.act instanceof ReLU && !this.glu && this.gate === null && this.hidden.length === 0 &&
      this.norm instanceof Identity && this.fc1 instanceof Linear && this.fc2 instanceof Linear;
  }

  forward(x: Tensor): Tensor {
    if (this.fusable) {
      const { fc1, fc2, drop1 } = this as { fc1: Linear; fc2: Linear; drop1: Dropout };
      // drop1's own mode, not this.training: a parent may list this MLP's fields as its own (TSMixer).
      const h = reluMlp(x, fc1.weight, fc1.bias, fc2.weight, fc2.bias, { p: drop1.p, training: drop1.training, generator: drop1.generator });
      return this.drop2.forward(h); // (..., out)
    }
    let h = this.activate(this.fc1.forward(x)); //                                (..., hidden)
    for (const layer of this.hidden) h = this.activate(layer.forward(h)); //      (..., hiddenᵢ)
    if (this.gate) h = this.gate.forward(h); //                                    (..., hidden/2)
    return this.drop2.forward(this.fc2.forward(this.norm.forward(h))); //         (..., out)
  }

  /** act then drop1; with glu, value ⊙ act(gate) over the halves of the feature dim. */
  private activate(h: Tensor): Tensor {
    if (!this.glu) return this.drop1.forward(this.act.forward(h));
    const [a, b] = h.chunk(2, this.fc1 instanceof Conv2d ? 1 : -1);
    return this.drop1.forward(a.mul(this.act.forward(b)));
  }
}
