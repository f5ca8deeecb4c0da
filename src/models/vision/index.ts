/**
 * The vision MLP zoo: the MetaFormer block and the models built from it
 * (MLP-Mixer, ResMLP, gMLP, PoolFormer) and the bottleneck MLPs of "Scaling MLPs".
 * Importing a model file registers its named variants.
 * @example
 * import { models } from 'mlpkit';
 * const m = models.create('mixer_tiny_28');              // x [B, 1, 28, 28] → logits [B, 10]
 * const b16 = new models.vision.MlpMixer({ ...models.vision.MIXER_DEFAULTS, numBlocks: 12, embedDim: 768 });
 */
export { Mlp, TokenMlp, GatedMlp, PatchEmbed, Affine, lecunNormal_, truncNormalFast_ } from './layers.js';
export type { TensorModule, LayerFactory, ActFactory, MlpOptions, GatedMlpOptions, PatchEmbedOptions } from './layers.js';
export { MetaFormerBlock } from './metaformer.js';
export type { MetaFormerBlockOptions } from './metaformer.js';
export { MixerBlock, MlpMixer, MIXER_DEFAULTS, initMixerWeights, mixerBlock, layerNorm6 } from './mlp_mixer.js';
export type { MlpMixerConfig, MlpMixerParts, BlockLayer, BlockLayerOptions } from './mlp_mixer.js';
export { ResBlock, TokenLinear, resBlock, affine } from './resmlp.js';
export type { ResMlpConfig } from './resmlp.js';
export { SpatialGatingUnit, SpatialGatingBlock, spatialGatingBlock } from './gmlp.js';
export { PoolFormer, PoolFormerBlock, Pooling, ConvMlp, OverlapPatchEmbed } from './poolformer.js';
export type { PoolFormerConfig, PoolFormerBlockOptions } from './poolformer.js';
export { BottleneckMLP, BottleneckBlock } from './scaling_mlp.js';
export type { BottleneckMlpConfig, BottleneckNorm } from './scaling_mlp.js';
