/**
 * The Tensor: a shape, a dtype and contiguous row-major storage in a JS typed
 * array, plus the autograd fields. Methods are thin aliases of the functions
 * in src/ops, where each op's forward and backward live.
 */
import type { GradNode } from '../autograd/node.js';
import { backward as runBackward, type BackwardOptions } from '../autograd/engine.js';
import * as ops from '../ops/index.js';
import type { Dims, VarOptions } from '../ops/reduce.js';
import type { PadMode } from '../ops/movement.js';
import type { TensorLike } from '../ops/util.js';
import { allocStorage, isFloat, type DType, type Storage } from './dtype.js';
import { numel, parseSizeArgs, shapeStr, type Shape, type SizeArgs } from './shape.js';

export type NestedNumbers = number | NestedNumbers[];

/**
 * The sizes a shape-taking method was given. The usual call, one array, is
 * passed straight on (the op checks its elements); other forms are parsed.
 */
function sizes(args: SizeArgs, op: string, noun?: string): readonly number[] {
  return args.length === 1 && Array.isArray(args[0]) ? args[0] : parseSizeArgs(args, op, { noun }).sizes;
}

/** An object literal (an options bag), as opposed to a tensor, array or class instance. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Contiguous storage, exactly `size` elements long. */
  readonly data: Storage;
  /** Accumulated gradient (set by `backward`). */
  grad: Tensor | null = null;
  /** @internal the op that produced this tensor, when recorded. */
  _node: GradNode | null = null;
  /** @internal */
  _requiresGrad = false;
  /** Keep `.grad` for this non-leaf tensor during backward. */
  retainsGrad = false;

  constructor(data: Storage, shape: Shape, dtype: DType) {
    if (data.length !== numel(shape)) throw new Error(`Tensor: storage of ${data.length} elements does not match shape ${shapeStr(shape)}`);
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  /** Only floating-point leaf tensors can be marked. */
  set requiresGrad(v: boolean) {
    if (this._node) throw new Error('requiresGrad can only be set on leaf tensors (use detach() first)');
    if (v && !isFloat(this.dtype)) throw new TypeError(`only floating-point tensors can require grad, this one is ${this.dtype}`);
    this._requiresGrad = v;
  }

  /** Mark as requiring grad and return this (chainable). */
  requiresGrad_(v = true): this {
    this.requiresGrad = v;
    return this;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  get isLeaf(): boolean {
    return this._node === null;
  }

  /** @internal same storage, new shape (callers check the element count). */
  _withShape(shape: Shape): Tensor {
    return new Tensor(this.data, shape, this.dtype);
  }

  // ---------------------------------------------------------------- conversion

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape ${shapeStr(this.shape)} has ${this.size} elements, not 1`);
    return this.data[0];
  }

  /** Nested arrays of numbers (a number for 0-d tensors). */
  toArray(): NestedNumbers {
    const build = (dim: number, offset: number): NestedNumbers => {
      if (dim === this.ndim) return this.data[offset];
      const stride = numel(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  toString(): string {
    const fmt = (v: number): string =>
      isFloat(this.dtype) ? Number(v.toPrecision(6)).toString() : this.dtype === 'bool' ? String(v !== 0) : String(v);
    const body = (dim: number, offset: number, indent: string): string => {
      if (dim === this.ndim) return fmt(this.data[offset]);
      const n = this.shape[dim];
      const stride = numel(this.shape.slice(dim + 1));
      const limit = n > 8 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
      const parts = limit.map((i) => (i < 0 ? '...' : body(dim + 1, offset + i * stride, indent + ' ')));
      const sep = dim === this.ndim - 1 ? ', ' : `,\n${indent} `;
      return `[${parts.join(sep)}]`;
    };
    const grad = this._node ? `, gradFn=${this._node.op}` : this.requiresGrad ? ', requiresGrad=true' : '';
    return `tensor(${body(0, 0, '       ')}, shape=${shapeStr(this.shape)}, dtype=${this.dtype}${grad})`;
  }

  /** Convert to another dtype (differentiable between float dtypes). */
  to(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }

  float(): Tensor {
    return this.to('float32');
  }

  int(): Tensor {
    return this.to('int32');
  }

  /** A copy with its own storage (differentiable). */
  clone(): Tensor {
    return ops.clone(this);
  }

  /** Same storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.dtype);
  }

  /** Storage is always contiguous; kept for ported code. */
  contiguous(): Tensor {
    return this;
  }

  zerosLike(): Tensor {
    return new Tensor(allocStorage(this.dtype, this.size), this.shape, this.dtype);
  }

  onesLike(): Tensor {
    const t = this.zerosLike();
    t.data.fill(1);
    return t;
  }

  // ---------------------------------------------------------------- autograd

  /**
   * Backpropagate from this tensor (a scalar, or pass the output gradient).
   * The graph is released afterwards unless `retainGraph` (or `createGraph`) is set.
   * @example loss.backward({ retainGraph: true }); // or loss.backward(undefined, { retainGraph: true })
   */
  backward(opts?: BackwardOptions): void;
  backward(gradient?: Tensor | null, opts?: BackwardOptions): void;
  backward(first?: Tensor | BackwardOptions | null, opts?: BackwardOptions): void {
    if (isPlainObject(first)) {
      if (opts !== undefined) throw new TypeError('backward: options given twice (pass backward(opts) or backward(gradient, opts))');
      runBackward(this, undefined, first);
    } else {
      runBackward(this, (first ?? undefined) as Tensor | undefined, opts ?? {});
    }
  }

  /** Keep `.grad` for this intermediate tensor. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  zeroGrad(): void {
    this.grad = null;
  }

  // ---------------------------------------------------------------- elementwise
  add(o: TensorLike): Tensor { return ops.add(this, o); }
  sub(o: TensorLike): Tensor { return ops.sub(this, o); }
  /** o − this */
  rsub(o: TensorLike): Tensor { return ops.rsub(this, o); }
  mul(o: TensorLike): Tensor { return ops.mul(this, o); }
  div(o: TensorLike): Tensor { return ops.div(this, o); }
  pow(o: TensorLike): Tensor { return ops.pow(this, o); }
  maximum(o: TensorLike): Tensor { return ops.maximum(this, o); }
  minimum(o: TensorLike): Tensor { return ops.minimum(this, o); }
  neg(): Tensor { return ops.neg(this); }
  abs(): Tensor { return ops.abs(this); }
  sign(): Tensor { return ops.sign(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  log1p(): Tensor { return ops.log1p(this); }
  expm1(): Tensor { return ops.expm1(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  reciprocal(): Tensor { return ops.reciprocal(this); }
  square(): Tensor { return ops.mul(this, this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  tanh(): Tensor { return ops.tanh(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  erf(): Tensor { return ops.erf(this); }
  relu(): Tensor { return ops.relu(this); }
  gelu(approximate: 'none' | 'tanh' = 'none'): Tensor { return ops.gelu(this, approximate); }
  silu(): Tensor { return ops.silu(this); }
  softplus(beta = 1, threshold = 20): Tensor { return ops.softplus(this, beta, threshold); }
  floor(): Tensor { return ops.floor(this); }
  ceil(): Tensor { return ops.ceil(this); }
  round(): Tensor { return ops.round(this); }
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor { return ops.clamp(this, min, max); }
  eq(o: TensorLike): Tensor { return ops.eq(this, o); }
  ne(o: TensorLike): Tensor { return ops.ne(this, o); }
  lt(o: TensorLike): Tensor { return ops.lt(this, o); }
  le(o: TensorLike): Tensor { return ops.le(this, o); }
  gt(o: TensorLike): Tensor { return ops.gt(this, o); }
  ge(o: TensorLike): Tensor { return ops.ge(this, o); }
  logicalAnd(o: Tensor): Tensor { return ops.logicalAnd(this, o); }
  logicalOr(o: Tensor): Tensor { return ops.logicalOr(this, o); }
  logicalNot(): Tensor { return ops.logicalNot(this); }

  // ---------------------------------------------------------------- reductions
  sum(dims?: Dims, keepdim = false): Tensor { return ops.sum(this, dims, keepdim); }
  mean(dims?: Dims, keepdim = false): Tensor { return ops.mean(this, dims, keepdim); }
  max(dims?: Dims, keepdim = false): Tensor { return ops.max(this, dims, keepdim); }
  min(dims?: Dims, keepdim = false): Tensor { return ops.min(this, dims, keepdim); }
  /** Values and indices along one dim (torch.max(x, dim)). */
  maxAlong(dim: number, keepdim = false): { values: Tensor; indices: Tensor } { return ops.maxAlong(this, dim, keepdim); }
  minAlong(dim: number, keepdim = false): { values: Tensor; indices: Tensor } { return ops.minAlong(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  var(dims?: Dims, opts?: VarOptions): Tensor { return ops.variance(this, dims, opts); }
  std(dims?: Dims, opts?: VarOptions): Tensor { return ops.std(this, dims, opts); }
  logsumexp(dims?: Dims, keepdim = false): Tensor { return ops.logsumexp(this, dims, keepdim); }
  softmax(dim: number): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return ops.logSoftmax(this, dim); }
  cumsum(dim: number): Tensor { return ops.cumsum(this, dim); }

  // ---------------------------------------------------------------- shape and movement
  /** New shape, as one array or separate sizes (`x.reshape([2, -1])`, `x.reshape(2, -1)`); -1 is inferred. */
  reshape(...shape: SizeArgs): Tensor { return ops.reshape(this, sizes(shape, 'reshape')); }
  /** Same as reshape (storage is always contiguous, so every reshape is a view). */
  view(...shape: SizeArgs): Tensor { return ops.reshape(this, sizes(shape, 'view'), 'view'); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  squeeze(dims?: number | readonly number[]): Tensor { return ops.squeeze(this, dims); }
  /** Reorder dims, as one array or separate dims (`x.permute([1, 0])`, `x.permute(1, 0)`). */
  permute(...dims: SizeArgs): Tensor { return ops.permute(this, sizes(dims, 'permute', 'dims')); }
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  /** Transpose of the last two dims. */
  get mT(): Tensor { return ops.transpose(this, -2, -1); }
  /** Broadcast to a shape given as one array or separate sizes; -1 keeps a dim. */
  expand(...shape: SizeArgs): Tensor { return ops.expand(this, sizes(shape, 'expand')); }
  broadcastTo(shape: readonly number[]): Tensor { return ops.expand(this, shape); }
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return ops.select(this, dim, index); }
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return ops.slice(this, dim, start, end, step); }
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.scatterAdd(this, dim, index, src); }
  split(sizes: number | readonly number[], dim = 0): Tensor[] { return ops.split(this, sizes, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  pad(pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor { return ops.pad(this, pads, mode, value); }
  roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor { return ops.roll(this, shifts, dims); }
  flip(dims: number | readonly number[]): Tensor { return ops.flip(this, dims); }
  /** Tile along each dim, repeats as one array or separate numbers (`x.repeat(2, 1)`). */
  repeat(...reps: SizeArgs): Tensor { return ops.repeat(this, sizes(reps, 'repeat', 'repeats')); }
  tril(k = 0): Tensor { return ops.tril(this, k); }
  triu(k = 0): Tensor { return ops.triu(this, k); }

  // ---------------------------------------------------------------- linear algebra
  matmul(o: Tensor): Tensor { return ops.matmul(this, o); }
}
