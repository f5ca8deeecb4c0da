/**
 * The stateless forms of the layers (PyTorch's torch.nn.functional): the
 * layers in this folder hold parameters and call these. All are compositions
 * of engine ops, so their gradients come from the ops' rules; a fused kernel
 * may replace one later, with this version as its test oracle.
 */
import { noGrad } from '../autograd/mode.js';
import { bmm } from '../ops/linalg.js';
import { where } from '../ops/elementwise.js';
import { reluMlpFused } from '../ops/mlp.js';
import { layerNormLastDims } from '../ops/norm.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { allocStorage, allocStorageUninit, type DType } from '../tensor/dtype.js';
import { normDim, numel, shapeStr, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * y = x·Wᵀ + b. x: [..., in], weight: [out, in], bias: [out] → [..., out].
 * Reads W transposed in the matmul kernel rather than materialising Wᵀ, and
 * adds the bias there too (one pass over the output instead of two).
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (weight.ndim !== 2) throw new Error(`linear: weight must be [out, in], got ${shapeStr(weight.shape)}`);
  const [out, inF] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new Error(`linear: input ${shapeStr(x.shape)} does not end in ${inF} features (weight ${shapeStr(weight.shape)})`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== out)) throw new Error(`linear: bias ${shapeStr(bias.shape)} does not match ${out} outputs`);
  const lead = x.shape.slice(0, -1);
  return bmm(x.reshape([1, -1, inF]), weight.reshape([1, out, inF]), false, true, bias).reshape([...lead, out]);
}

/** The last `k` dims of x, checked against a normalised shape. */
function trailingDims(op: string, x: Tensor, normalizedShape: readonly number[]): number[] {
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k === 0 || x.ndim < k || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new Error(`${op}: input ${shapeStr(x.shape)} does not end in the normalised shape ${shapeStr(normalizedShape)}`);
  }
  return Array.from({ length: k }, (_, i) => x.ndim - k + i);
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims:
 * (x − mean) / √(var + eps) · weight + bias, with the biased variance.
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const dims = trailingDims('layerNorm', x, normalizedShape);
  // One fused kernel each way (src/ops/norm.ts); the composition is its test oracle.
  return layerNormLastDims(x, dims.reduce((n, d) => n * x.shape[d], 1), weight, bias, eps);
}

/** Machine epsilon of a float dtype: RMSNorm's default eps, as PyTorch's. */
export const finfoEps = (dtype: string): number => (dtype === 'float64' ? 2 ** -52 : 2 ** -23);

/**
 * Root-mean-square normalisation (Zhang & Sennrich, 2019) over the trailing
 * dims: x / √(mean(x²) + eps) · weight. `eps` defaults to the dtype's machine
 * epsilon, as torch.nn.RMSNorm.
 */
export function rmsNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, eps?: number): Tensor {
  const dims = trailingDims('rmsNorm', x, normalizedShape);
  const y = x.mul(x.mul(x).mean(dims, true).add(eps ?? finfoEps(x.dtype)).rsqrt());
  return weight ? y.mul(weight) : y;
}

/** [1, C, 1, …] for per-channel parameters of an [N, C, …] input. */
const channelShape = (x: Tensor): number[] => x.shape.map((d, i) => (i === 1 ? d : 1));

/**
 * Group normalisation (Wu & He, 2018): x [N, C, …] is normalised over each
 * group of C/numGroups channels and all spatial positions; weight, bias: [C].
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  if (x.ndim < 2) throw new Error(`groupNorm: expected input [N, C, …], got ${shapeStr(x.shape)}`);
  const [n, c] = x.shape;
  if (c % numGroups !== 0) throw new Error(`groupNorm: ${c} channels (input ${shapeStr(x.shape)}) are not divisible into ${numGroups} groups`);
  // Each (sample, group) slab normalised on its own is a layer norm over the
  // slab: the fused kernel, one pass each way.
  const cols = n === 0 ? 0 : x.size / (n * numGroups);
  let y = layerNormLastDims(x.reshape([n, numGroups, cols]), cols, null, null, eps).reshape(x.shape);
  if (weight) y = y.mul(weight.reshape(channelShape(x)));
  if (bias) y = y.add(bias.reshape(channelShape(x)));
  return y;
}

export interface BatchNormOptions {
  /** Use batch statistics (and update the running ones) rather than the running ones. */
  training: boolean;
  /** Weight of the new batch in the running statistics. Default 0.1. */
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalisation (Ioffe & Szegedy, 2015) of x [N, C, …] per channel.
 * Training: normalise with the batch mean and biased variance, and move the
 * running statistics (if given) towards the batch mean and the *unbiased*
 * variance, in place: r ← (1 − momentum)·r + momentum·batch. Evaluation:
 * normalise with the running statistics.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  { training, momentum = 0.1, eps = 1e-5 }: BatchNormOptions,
): Tensor {
  if (x.ndim < 2) throw new Error(`batchNorm: expected input [N, C, …], got ${shapeStr(x.shape)}`);
  const c = x.shape[1];
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== c)) throw new Error(`batchNorm: ${name} ${shapeStr(t.shape)} does not match ${c} channels of input ${shapeStr(x.shape)}`);
  }
  const cs = channelShape(x);
  let y: Tensor;
  if (training) {
    const count = x.size / c;
    if (count <= 1) throw new Error(`batchNorm: expected more than 1 value per channel when training, got input ${shapeStr(x.shape)}`);
    const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const mean = x.mean(dims, true);
    const centered = x.sub(mean);
    const variance = centered.mul(centered).mean(dims, true);
    y = centered.mul(variance.add(eps).rsqrt());
    noGrad(() => {
      const unbias = count / (count - 1);
      if (runningMean) moveTowards(runningMean.data, mean.data, momentum, 1);
      if (runningVar) moveTowards(runningVar.data, variance.data, momentum, unbias);
    });
  } else {
    if (!runningMean || !runningVar) throw new Error('batchNorm: evaluation mode needs running statistics');
    y = x.sub(runningMean.detach().reshape(cs)).mul(runningVar.detach().reshape(cs).add(eps).rsqrt());
  }
  if (weight) y = y.mul(weight.reshape(cs));
  if (bias) y = y.add(bias.reshape(cs));
  return y;
}

/** r ← (1 − m)·r + m·scale·v, elementwise, in place. */
function moveTowards(r: Tensor['data'], v: Tensor['data'], m: number, scale: number): void {
  for (let i = 0; i < r.length; i++) r[i] = (1 - m) * r[i] + m * scale * v[i];
}

export interface DropoutOptions {
  generator?: Generator;
}

/**
 * Zero each element with probability p and scale the rest by 1/(1 − p)
 * (inverted dropout); the identity when not training. The mask is drawn from
 * `generator`, so a seeded run is reproducible.
 */
export function dropout(x: Tensor, p = 0.5, training = true, { generator = defaultGenerator }: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: probability must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  return x.mul(dropoutMask(x.shape, x.dtype, p, generator));
}

/** Inverted-dropout factors of the given shape: 1/(1 − p) with probability 1 − p, else 0, in generator order. */
export function dropoutMask(shape: Shape, dtype: DType, p: number, generator: Generator = defaultGenerator): Tensor {
  return bernoulliTensor(shape, dtype, 1 - p, 1 / (1 - p), generator);
}

/** `value` with probability `keep`, else 0, per element in generator order (one draw each, none when keep = 0). */
function bernoulliTensor(shape: Shape, dtype: DType, keep: number, value: number, generator: Generator): Tensor {
  if (keep === 0) return new Tensor(allocStorage(dtype, numel(shape)), shape, dtype);
  // The fill writes every element, so the storage need not be zeroed first.
  const t = new Tensor(allocStorageUninit(dtype, numel(shape)), shape, dtype);
  generator.bernoulliFill(t.data as Float32Array | Float64Array | Uint8Array, keep, value);
  return t;
}

/**
 * Input and output widths up to which reluMlp runs as one fused op. With a
 * 512-wide hidden layer (bench/fused_mlp.mjs, one thread) the fused op took
 * 1/12 of the composition's time at width 7, 1/2 at 64 and 3/4 at 128.
 */
export const FUSED_MLP_MAX_WIDTH = 64;

export interface ReluMlpOptions extends DropoutOptions {
  /** Dropout probability on the hidden layer (after the ReLU), when training. */
  p?: number;
  training?: boolean;
}

/**
 * linear(dropout(relu(linear(x, w1, b1)), p), w2, b2): a two-layer perceptron
 * with its hidden dropout, drawing the same mask from `generator` as that
 * composition. Narrow ones (input and output widths ≤ FUSED_MLP_MAX_WIDTH)
 * run as one fused op (ops/mlp.ts), the others as the composition.
 * @example reluMlp(x, fc1.weight, fc1.bias, fc2.weight, fc2.bias, { p: 0.1, training: true })
 */
export function reluMlp(
  x: Tensor, w1: Tensor, b1: Tensor | null, w2: Tensor, b2: Tensor | null,
  { p = 0, training = true, generator = defaultGenerator }: ReluMlpOptions = {},
): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`reluMlp: dropout probability must be in [0, 1], got ${p}`);
  const narrow = w1.ndim === 2 && w2.ndim === 2 && w1.shape[1] <= FUSED_MLP_MAX_WIDTH && w2.shape[0] <= FUSED_MLP_MAX_WIDTH;
  if (!narrow) return linear(dropout(linear(x, w1, b1).relu(), p, training, { generator }), w2, b2);
  if (!training || p === 0) return reluMlpFused(x, w1, b1, w2, b2);
  // The same draws as dropoutMask, one byte per hidden unit instead of a float factor.
  const keep = 1 - p;
  const kept = bernoulliTensor([...x.shape.slice(0, -1), w1.shape[0]], 'bool', keep, 1, generator);
  return reluMlpFused(x, w1, b1, w2, b2, kept, keep > 0 ? Math.fround(1 / keep) : 0);
}

/** Halves of x along dim: value first, gate second (torch.nn.functional.glu's order). */
function halves(op: string, x: Tensor, dim: number): [Tensor, Tensor] {
  const d = normDim(dim, x.ndim, op);
  if (x.shape[d] % 2 !== 0) throw new Error(`${op}: dim ${dim} of input ${shapeStr(x.shape)} has odd size ${x.shape[d]}; it must split in half`);
  const [a, b] = x.chunk(2, d);
  return [a, b];
}

/** Gated linear unit (Dauphin et al., 2017): a ⊙ σ(b) where [a, b] are the halves of x along dim. */
export function glu(x: Tensor, dim = -1): Tensor {
  const [a, b] = halves('glu', x, dim);
  return a.mul(b.sigmoid());
}

/** GEGLU (Shazeer, 2020): a ⊙ GELU(b) over the halves of x along dim. */
export function geglu(x: Tensor, dim = -1, approximate: 'none' | 'tanh' = 'none'): Tensor {
  const [a, b] = halves('geglu', x, dim);
  return a.mul(b.gelu(approximate));
}

/** SwiGLU (Shazeer, 2020): a ⊙ SiLU(b) over the halves of x along dim. */
export function swiglu(x: Tensor, dim = -1): Tensor {
  const [a, b] = halves('swiglu', x, dim);
  return a.mul(b.silu());
}

/** ReLU(x)², the Primer activation (So et al., 2021). */
export const squaredRelu = (x: Tensor): Tensor => {
  const r = x.relu();
  return r.mul(r);
};

/** x · tanh(softplus(x)) (Misra, 2019). */
export const mish = (x: Tensor): Tensor => x.mul(x.softplus().tanh());

/**
 * Rows of `weight` [num, dim] picked by the int32 `indices` (any shape) →
 * [...indices.shape, dim]. Rows equal to `paddingIdx` are returned as stored
 * but receive no gradient, as in PyTorch.
 */
export function embedding(indices: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (indices.dtype !== 'int32') throw new TypeError(`embedding: indices must be int32, got ${indices.dtype}`);
  if (weight.ndim !== 2) throw new Error(`embedding: weight must be [num, dim], got ${shapeStr(weight.shape)}`);
  const [num, dim] = weight.shape;
  const idx = indices.data;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= num) throw new RangeError(`embedding: index ${idx[i]} is out of range for ${num} embeddings`);
  }
  const flat = indices.reshape([-1]);
  let rows = weight.indexSelect(0, flat);
  if (paddingIdx !== null && weight.requiresGrad) {
    const isPad = flat.eq(paddingIdx).reshape([-1, 1]);
    rows = where(isPad, rows.detach(), rows);
  }
  return rows.reshape([...indices.shape, dim]);
}
