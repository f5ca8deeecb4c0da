/**
 * Layers and the Module base class.
 * @example
 * import { nn, randn } from 'mlpkit';
 * const mlp = new nn.Sequential(new nn.Linear(784, 256), new nn.GELU(), new nn.Linear(256, 10));
 * mlp.forward(randn([32, 784])).shape; // [32, 10]
 * Object.keys(mlp.stateDict());        // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export { Module, camelToSnake } from './module.js';
export type { AnyModule, StateDict, LoadStateDictOptions, LoadStateDictResult } from './module.js';
export { Parameter, Buffer, emptyParameter } from './parameter.js';
export type { FactoryOptions } from './parameter.js';
export { Linear, Identity, Flatten } from './linear.js';
export type { LinearOptions } from './linear.js';
export { Conv1d, Conv2d } from './conv.js';
export type { ConvOptions, ConvPaddingMode } from './conv.js';
export { Embedding } from './embedding.js';
export type { EmbeddingOptions } from './embedding.js';
export { LayerNorm, RMSNorm, GroupNorm } from './norm.js';
export type { LayerNormOptions, RMSNormOptions, GroupNormOptions } from './norm.js';
export { BatchNorm1d, BatchNorm2d } from './batchnorm.js';
export type { BatchNormOptions } from './batchnorm.js';
export { Dropout } from './dropout.js';
export type { DropoutOptions } from './dropout.js';
export { DropPath, dropPath } from './droppath.js';
export type { DropPathOptions } from './droppath.js';
export { ReLU, SquaredReLU, GELU, SiLU, Sigmoid, Tanh, Softplus, LeakyReLU, ELU, Mish, GLU, GEGLU, SwiGLU } from './activation.js';
export { MaxPool2d, AvgPool2d, MaxPool1d, AvgPool1d } from './pooling.js';
export type { Pool1dOptions } from './pooling.js';
export { Sequential, ModuleList, ModuleDict } from './containers.js';
export { Mlp, gelu } from './mlp.js';
export type { MlpOptions, MlpNames, MlpField, TensorModule, LayerFactory, ActFactory, FcLayer, FcFactory } from './mlp.js';
export * as init from './init.js';
export * as functional from './functional.js';
