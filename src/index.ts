/**
 * mlpkit: tensors, autograd and the MLP family, in TypeScript.
 * @example
 * import { tensor, randn } from 'mlpkit';
 * const w = randn([3, 1], { requiresGrad: true });
 * const loss = tensor([[1, 2, 3]]).matmul(w).square().sum();
 * loss.backward();
 * console.log(w.grad?.toString());
 */
export { Tensor } from './tensor/tensor.js';
export type { NestedNumbers } from './tensor/tensor.js';
export * from './tensor/creation.js';
export { Generator, defaultGenerator, manualSeed } from './tensor/random.js';
export type { GeneratorState } from './tensor/random.js';
export type { DType, Storage } from './tensor/dtype.js';
export type { Shape } from './tensor/shape.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/mode.js';
export { grad } from './autograd/engine.js';
export type { BackwardOptions, GradOptions } from './autograd/engine.js';
export { gradcheck } from './autograd/gradcheck.js';
export type { GradcheckOptions } from './autograd/gradcheck.js';
export * from './ops/index.js';
export { getBackend, setBackend, listBackends, registerBackend, withBackend } from './backend/index.js';
export { nativeInfo, setNativeThreads } from './backend/native/index.js';
export type { Backend, KernelTable, Primitive } from './backend/index.js';
export { VERSION } from './version.js';
export * as io from './io/index.js';
export * as data from './data/index.js';
export * as timeseries from './data/timeseries/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export { Module, Parameter, Sequential, Linear } from './nn/index.js';
export type { StateDict } from './nn/index.js';
export { SGD, Adam, AdamW, clipGradNorm } from './optim/index.js';
export * as models from './models/index.js';
export * as tasks from './tasks/index.js';
export { fit, evaluate } from './train/fit.js';
export type { FitOptions, FitResult, EpochRecord } from './train/fit.js';
export { saveCheckpoint, loadCheckpoint } from './train/checkpoint.js';
export * as metrics from './train/metrics.js';
export { curvesSvg, writeCurvesSvg, forecastSvg, writeForecastSvg } from './train/plot.js';
export type { CurvePoint, ForecastPanel } from './train/plot.js';
export { countFlops } from './tools/flops.js';
