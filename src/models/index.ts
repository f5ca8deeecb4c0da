/**
 * The model zoo. Importing this module registers every family's named
 * variants; `create(name, config)` builds one.
 * @example
 * import { models } from 'mlpkit';
 * const m = models.create('mlp', { hiddenDims: [256] });
 * models.list().map((e) => e.name);
 */
import './mlp.js';
import './timeseries/index.js';
import './vision/mlp_mixer.js';
import './vision/resmlp.js';
import './vision/gmlp.js';
import './vision/poolformer.js';
import './vision/scaling_mlp.js';

export { create, fitToInput, get, list, register, resolveConfig } from './registry.js';
export type { ConfigValue, ModelConfig, ModelEntry, ModelTask, RegisteredModel, TensorSpec } from './registry.js';
export { MlpClassifier } from './mlp.js';
export type { MlpConfig, MlpActivation } from './mlp.js';
export * as vision from './vision/index.js';
export * as timeseries from './timeseries/index.js';
export { hasCache } from './language.js';
export type { LanguageModel, LMCache } from './language.js';
