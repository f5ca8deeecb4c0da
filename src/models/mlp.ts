/**
 * The plain multi-layer perceptron classifier: flatten → (Linear → act →
 * dropout) × depth → Linear head. The baseline every MLP-family paper
 * compares with, and mlpkit's demo model on MNIST.
 *
 * State-dict names: `layers.{i}.weight|bias`, `head.weight|bias`.
 */
import { Dropout } from '../nn/dropout.js';
import { Linear } from '../nn/linear.js';
import { Module } from '../nn/module.js';
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

const ACTIVATIONS: Record<MlpActivation, (x: Tensor) => Tensor> = {
  gelu: (x) => x.gelu(),
  gelu_tanh: (x) => x.gelu('tanh'),
  relu: (x) => x.relu(),
  silu: (x) => x.silu(),
  tanh: (x) => x.tanh(),
};

export class MlpClassifier extends Module<[Tensor], Tensor> {
  readonly layers: Linear[];
  readonly drop: Dropout;
  readonly head: Linear;
  readonly act: (x: Tensor) => Tensor;

  constructor(readonly config: MlpConfig, generator?: Generator) {
    super();
    const act = ACTIVATIONS[config.act];
    if (!act) throw new Error(`mlp: unknown activation '${config.act}' (known: ${Object.keys(ACTIVATIONS).join(', ')})`);
    this.act = act;
    const dims = [config.inFeatures, ...config.hiddenDims];
    this.layers = config.hiddenDims.map((d, i) => new Linear(dims[i], d, { generator }));
    this.drop = new Dropout(config.dropout, { generator });
    this.head = new Linear(dims[dims.length - 1], config.numClasses, { generator });
  }

  /** x: [B, ...] with inFeatures elements per sample → logits [B, numClasses]. */
  forward(x: Tensor): Tensor {
    let h = x.flatten(1); // (B, inFeatures)
    for (const layer of this.layers) h = this.drop.forward(this.act(layer.forward(h)));
    return this.head.forward(h); // (B, numClasses)
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
