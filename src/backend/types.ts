/**
 * The backend interface: a small set of primitive kernels over raw storage.
 *
 * Backends never see tensors, autograd or dtypes promotion: the front end in
 * src/ops validates inputs, allocates the output storage and calls a kernel,
 * which writes the output in place. `Primitive` is a union and a backend is a
 * `KernelTable` — a record over that union — so a backend that lacks a kernel
 * does not compile.
 *
 * Conventions shared by all kernels:
 *  - every storage is contiguous and exactly as long as its tensor has elements;
 *  - strides are in elements and may be 0 (broadcast) or negative (flip);
 *  - index arrays are int32 and already bounds-checked by the front end.
 */
import type { Storage } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';

export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'reciprocal',
  'sin', 'cos', 'tanh', 'sigmoid', 'erf', 'relu', 'floor', 'ceil', 'round',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Arithmetic binary ops: output has the (promoted) input dtype. */
export const ARITH_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
export type ArithOp = (typeof ARITH_OPS)[number];

/** Comparison ops: output is bool (Uint8Array of 0/1). */
export const COMPARE_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];
export type BinaryOp = ArithOp | CompareOp;

/** Reductions along one axis of a tensor viewed as [outer, n, inner]. */
export const REDUCE_OPS = ['sum', 'max', 'min', 'argmax', 'argmin'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

export type Primitive =
  | UnaryOp
  | BinaryOp
  | ReduceOp
  | 'where'
  | 'cast'
  | 'cumsum'
  | 'matmul'
  | 'stridedCopy'
  | 'stridedScatterAdd'
  | 'gather'
  | 'scatterAdd'
  | 'indexSelect'
  | 'indexAdd'
  | 'bernoulliFill'
  | FusedOp;

/**
 * Fused kernels. Each equals a composition of the primitives above — kept as
 * its test oracle — and exists because a training benchmark showed it pays
 * (fewer passes over memory, fewer temporaries to allocate and collect).
 */
export const FUSED_OPS = ['gelu', 'geluBackward', 'layerNorm', 'layerNormBackward', 'adamStep', 'mlpForward', 'mlpBackward'] as const;
export type FusedOp = (typeof FUSED_OPS)[number];

/** out[i] = f(a[i]); out and a have the same length and dtype. */
export type UnaryKernel = (out: Storage, a: Storage) => void;

/**
 * out[pos] = f(a[pos·aStrides], b[pos·bStrides]) for every position `pos` of
 * `outShape` (row-major). Broadcast dims have stride 0.
 */
export type BinaryKernel = (
  out: Storage, outShape: Shape,
  a: Storage, aStrides: readonly number[],
  b: Storage, bStrides: readonly number[],
) => void;

/** out[pos] = cond[pos·cStrides] ? a[pos·aStrides] : b[pos·bStrides]. */
export type WhereKernel = (
  out: Storage, outShape: Shape,
  cond: Storage, cStrides: readonly number[],
  a: Storage, aStrides: readonly number[],
  b: Storage, bStrides: readonly number[],
) => void;

/** Element-wise conversion between storages of different dtype (float→int truncates toward zero, →bool is `!= 0`). */
export type CastKernel = (out: Storage, a: Storage) => void;

/** Reduce `a` viewed as [outer, n, inner] along n into out [outer, inner]; argmax/argmin write int32. */
export type ReduceKernel = (out: Storage, a: Storage, outer: number, n: number, inner: number) => void;

/** Inclusive prefix sum along n of `a` viewed as [outer, n, inner]. */
export type ScanKernel = (out: Storage, a: Storage, outer: number, n: number, inner: number) => void;

export interface MatmulParams {
  batch: number;
  m: number;
  k: number;
  n: number;
  /** a is stored as [k, m] per batch (use its transpose). */
  transA: boolean;
  /** b is stored as [n, k] per batch. */
  transB: boolean;
  /** Elements between consecutive batch matrices of a (0 broadcasts one matrix). */
  aBatchStride: number;
  bBatchStride: number;
  /** n values added to every row of every product (a Linear layer's bias), when given. */
  bias?: Storage | null;
}
/** out[b] = op(a[b]) @ op(b[b]) (+ bias) with out contiguous [batch, m, n]; float storages only. */
export type MatmulKernel = (out: Storage, a: Storage, b: Storage, p: MatmulParams) => void;

/** out[pos] = a[offset + pos·strides] for every position of outShape (transpose, expand, slice, flip, unfold). */
export type StridedCopyKernel = (
  out: Storage, outShape: Shape, a: Storage, aStrides: readonly number[], aOffset: number,
) => void;

/**
 * out[offset + pos·outStrides] += src[pos] for every position of srcShape, in
 * row-major order (overlapping windows accumulate). The adjoint of stridedCopy.
 */
export type StridedScatterAddKernel = (
  out: Storage, outStrides: readonly number[], outOffset: number, src: Storage, srcShape: Shape,
) => void;

/**
 * torch.gather: out[pos] = a[pos with coordinate `axis` replaced by idx[pos]]
 * where idx and out share `outShape` and a is read through `aStrides`.
 */
export type GatherKernel = (
  out: Storage, outShape: Shape, a: Storage, aStrides: readonly number[], idx: Int32Array, axis: number,
) => void;

/** torch.scatter_add_: out[pos with `axis` replaced by idx[pos]] += src[pos], src and idx contiguous with srcShape. */
export type ScatterAddKernel = (
  out: Storage, outStrides: readonly number[], src: Storage, srcShape: Shape, idx: Int32Array, axis: number,
) => void;

/** out[o, j, i] = a[o, idx[j], i] with a viewed as [outer, nA, inner] and out as [outer, idx.length, inner]. */
export type IndexSelectKernel = (out: Storage, a: Storage, idx: Int32Array, outer: number, nA: number, inner: number) => void;

/** out[o, idx[j], i] += src[o, j, i] with out viewed as [outer, nOut, inner]. */
export type IndexAddKernel = (out: Storage, src: Storage, idx: Int32Array, outer: number, nOut: number, inner: number) => void;

/** out[i] = g[i]·gelu'(x[i]) = g·(Φ(x) + x·φ(x)) for the exact GELU x·Φ(x); all three the same length and float dtype. */
export type GeluBackwardKernel = (out: Storage, g: Storage, x: Storage) => void;

/**
 * Layer normalisation of `rows` contiguous rows of `cols` values: per row
 * mean[r] and rstd[r] = 1/√(var + eps) (biased variance), and
 * out = (x − mean)·rstd·weight + bias (weight and bias of length cols, or null).
 */
export type LayerNormKernel = (
  out: Storage, mean: Storage, rstd: Storage, x: Storage,
  weight: Storage | null, bias: Storage | null, rows: number, cols: number, eps: number,
) => void;

/**
 * Gradients of layerNorm for the output gradient g, with mean and rstd from
 * the forward pass: dx always; dweight = Σ_rows g·x̂ and dbias = Σ_rows g
 * (overwritten) when given. x̂ = (x − mean)·rstd, and with d = g·weight:
 * dx = rstd·(d − mean(d) − x̂·mean(d·x̂)) per row.
 */
export type LayerNormBackwardKernel = (
  dx: Storage, dweight: Storage | null, dbias: Storage | null, g: Storage, x: Storage,
  mean: Storage, rstd: Storage, weight: Storage | null, rows: number, cols: number,
) => void;

/** Hyperparameters of one Adam/AdamW update, as src/optim/adam.ts derives them for step t. */
export interface AdamStepParams {
  beta1: number;
  beta2: number;
  /** lr / (1 − β₁ᵗ) */
  stepSize: number;
  /** 1 / √(1 − β₂ᵗ) */
  invBc2Sqrt: number;
  eps: number;
  /** Adam's L2 decay, added to the gradient (0 for AdamW). */
  l2: number;
  /** AdamW's decoupled decay factor 1 − lr·weightDecay (1 for Adam). */
  shrink: number;
  /** −1 to ascend (maximize), else 1. */
  sign: number;
}

/**
 * One Adam update in place, per element (torch.optim.Adam's rule):
 * gᵢ = sign·g + l2·p; m = β₁m + (1−β₁)gᵢ; v = β₂v + (1−β₂)gᵢ²; vmax = max(vmax, v) (AMSGrad, when given);
 * p = p·shrink − stepSize·m / (√(vmax or v)·invBc2Sqrt + eps).
 */
export type AdamStepKernel = (p: Storage, g: Storage, m: Storage, v: Storage, vmax: Storage | null, h: AdamStepParams) => void;

/**
 * out[i] = value where the i-th draw u of the xoshiro128** stream with state
 * `state` (4 words, advanced in place) has u < threshold, else 0 — exactly
 * Generator's stream (src/tensor/random.ts), so that every backend draws the
 * same dropout masks. threshold = p·2³² for probability p.
 */
export type BernoulliFillKernel = (out: Storage, state: Uint32Array, threshold: number, value: number) => void;

/**
 * Sizes of a fused MLP — `rows` rows of `c` inputs, `f` hidden units, `o`
 * outputs — and the factor `scale` of a kept hidden unit under dropout.
 */
export interface MlpDims {
  rows: number;
  c: number;
  f: number;
  o: number;
  scale: number;
}

/**
 * A two-layer perceptron with ReLU and dropout, fused (src/ops/mlp.ts):
 * out = (relu(x·W1ᵀ + b1)·m)·W2ᵀ + b2 for x (rows × c), W1 (f × c),
 * W2 (o × f), out (rows × o), where m is `scale` for a hidden unit whose
 * byte in `keep` (bool, rows × f) is set and 0 otherwise — or 1 everywhere
 * when keep is null. b1 and b2 may be null. The hidden layer is not stored.
 */
export type MlpForwardKernel = (
  out: Storage, x: Storage, w1: Storage, b1: Storage | null, w2: Storage, b2: Storage | null, keep: Uint8Array | null, dims: MlpDims,
) => void;

/**
 * Its gradients for the output gradient g (rows × o), recomputing the hidden
 * layer: dx always; dw1, db1, dw2, db2 (overwritten) when given. A unit with
 * pre-activation exactly 0 passes no gradient (ReLU's derivative there is 0).
 */
export type MlpBackwardKernel = (
  dx: Storage, dw1: Storage | null, db1: Storage | null, dw2: Storage | null, db2: Storage | null,
  g: Storage, x: Storage, w1: Storage, b1: Storage | null, w2: Storage, keep: Uint8Array | null, dims: MlpDims,
) => void;

export type KernelFor<P extends Primitive> = P extends 'gelu'
  ? UnaryKernel
  : P extends 'geluBackward'
    ? GeluBackwardKernel
    : P extends 'layerNorm'
      ? LayerNormKernel
      : P extends 'layerNormBackward'
        ? LayerNormBackwardKernel
        : P extends 'adamStep'
          ? AdamStepKernel
          : P extends 'bernoulliFill'
            ? BernoulliFillKernel
            : P extends 'mlpForward'
              ? MlpForwardKernel
              : P extends 'mlpBackward'
                ? MlpBackwardKernel
                : KernelForBase<P>;

type KernelForBase<P extends Primitive> = P extends UnaryOp
  ? UnaryKernel
  : P extends BinaryOp
    ? BinaryKernel
    : P extends 'argmax' | 'argmin' | 'sum' | 'max' | 'min'
      ? ReduceKernel
      : P extends 'where'
        ? WhereKernel
        : P extends 'cast'
          ? CastKernel
          : P extends 'cumsum'
            ? ScanKernel
            : P extends 'matmul'
              ? MatmulKernel
              : P extends 'stridedCopy'
                ? StridedCopyKernel
                : P extends 'stridedScatterAdd'
                  ? StridedScatterAddKernel
                  : P extends 'gather'
                    ? GatherKernel
                    : P extends 'scatterAdd'
                      ? ScatterAddKernel
                      : P extends 'indexSelect'
                        ? IndexSelectKernel
                        : IndexAddKernel;

/** Every backend provides one kernel per primitive; a missing one is a compile error. */
export type KernelTable = { readonly [P in Primitive]: KernelFor<P> };

export interface Backend {
  readonly name: string;
  readonly kernels: KernelTable;
}
