/**
 * The plain multi-layer perceptron classifier: flatten → (Linear → act →
 * dropout) × depth → Linear head. The baseline every MLP-family paper
 * compares with, and mlpkit's demo model on MNIST.
 *
 * State-dict names: `layers.{i}.weight|bias`, `head.weight|bias`.
 */
import { GELU, ReLU, SiLU, Tanh } from '../nn/activation.js';
import { Mlp, type ActFactory } from '../nn/mlp.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { register } from './registry.js';

export type MlpActivation = 'gelu' | 'gelu_tanh' | 'relu' | 'silu' | 'tanh';

export type MlpConfig = {
  inFeatures: number;
  hiddenDims: number[];
  numClasses: number;
  act: MlpActivation;
  dropout: number;
};

const ACTIVATIONS: Record<MlpActivation, ActFactory> = {
  gelu: () => new GELU(),
  gelu_tanh: () => new GELU('tanh'),
  relu: () => new ReLU(),
  silu: () => new SiLU(),
  tanh: () => new Tanh(),
};

/**
 * nn's Mlp with one hidden layer per entry of hiddenDims, the dropout after
 * every hidden activation and none after the head, under the names
 * `layers.{i}` and `head`. x: [B, ...] with inFeatures elements per sample → logits [B, numClasses].
 */
export class MlpClassifier extends Mlp {
  constructor(readonly config: MlpConfig, generator?: Generator) {
    const act = ACTIVATIONS[config.act];
    if (!act) throw new Error(`mlp: unknown activation '${config.act}' (known: ${Object.keys(ACTIVATIONS).join(', ')})`);
    super(config.inFeatures, {
      hiddenFeatures: config.hiddenDims,
      outFeatures: config.numClasses,
      actLayer: act,
      drop: [config.dropout, 0],
      names: { fc1: 'layers.0', hidden: (i) => `layers.${i + 1}`, fc2: 'head' },
      generator,
    });
  }

  override forward(x: Tensor): Tensor {
    return super.forward(x.flatten(1)); // (B, inFeatures) → (B, numClasses)
  }
}

register<MlpConfig>({
  name: 'mlp',
  family: 'mlp',
  task: 'classify',
  paper: 'Rumelhart, Hinton & Williams, "Learning representations by back-propagating errors" (Nature 1986)',
  description: 'plain MLP classifier (flatten → Linear/act × depth → Linear), 28×28 inputs by default',
  defaults: { inFeatures: 784, hiddenDims: [512, 256], numClasses: 10, act: 'gelu', dropout: 0 },
  // The classic architecture has no single reference implementation; this one is mlpkit's own.
  reference: 'mlpkit src/models/mlp.ts',
  inputs: (c) => [{ name: 'x', shape: [c.inFeatures] }],
  outputs: (c) => [{ name: 'logits', shape: [c.numClasses] }],
  create: (c, g) => new MlpClassifier(c, g),
});
