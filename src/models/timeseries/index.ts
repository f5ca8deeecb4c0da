/**
 * Time-series forecasting models: TSMixer (Google), PatchTSMixer (IBM) and
 * TimeMixer, with their shared layers (RevIN, series decomposition).
 * Importing this module registers 'tsmixer', 'tsmixer_rev_in',
 * 'patchtsmixer' and 'timemixer'.
 */
export { RevIN } from './revin.js';
export type { RevINOptions, RevINStats } from './revin.js';
export { SeriesDecomp, movingAverage } from './decomposition.js';
export { TSMixer, TSMixerBlock, TimeFeatureBatchNorm } from './tsmixer.js';
export type { TSMixerConfig } from './tsmixer.js';
export {
  PatchTSMixerForPrediction,
  PatchTSMixerModel,
  PatchTSMixerEncoder,
  PatchTSMixerLayer,
  PatchMixerBlock,
  FeatureMixerBlock,
  PatchTSMixerChannelFeatureMixerBlock,
  PatchTSMixerGatedAttention,
  PatchTSMixerMLP,
  PatchTSMixerNormLayer,
  PatchTSMixerAttention,
  PatchTSMixerBlock,
  mixerBlockParts,
  PATCHTSMIXER_DEFAULTS,
  numPatches,
  patchify,
  scaleWindow,
} from './patchtsmixer.js';
export type { PatchTSMixerConfig, MixerBlockParts } from './patchtsmixer.js';
export { TimeMixer, PastDecomposableMixing, MultiScaleSeasonMixing, MultiScaleTrendMixing, TIMEMIXER_DEFAULTS, pdmParts, scaleLengths, timeMixerMarks } from './timemixer.js';
export type { TimeMixerConfig, PdmParts, TimeMlpFactory } from './timemixer.js';
export { DataEmbeddingWoPos, TokenEmbedding, TimeFeatureEmbedding, PositionalEmbedding } from './timemixer_embed.js';
