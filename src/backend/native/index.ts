/**
 * The native backend: C++ kernels (native/, built at install time) called
 * through N-API on the tensors' own typed arrays, in place, without copies.
 *
 * float32 runs natively everywhere (AMSGrad's Adam step excepted). Data movement (copies, gathers, index
 * selection) and casts run natively for every dtype; the arithmetic of
 * float64, int32 and bool tensors (rare, and float64 exists for gradient
 * checks) is delegated to the reference kernels. Views of more than 16 dims
 * are delegated too.
 *
 * Call path: a kernel writes shapes and strides into one shared Float64Array
 * (the "parameter block", read in place by the addon) and passes only the
 * typed arrays and an op code, so a call allocates nothing in JavaScript.
 *
 * Tiny outputs (≤ SMALL elements) stay in JavaScript: V8 keeps typed arrays of
 * up to 64 bytes inside its heap, and handing one to native code first moves
 * it out (an allocation, ≈0.3 µs) — more than the whole op costs in JS.
 */
import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import { referenceBackend } from '../reference/index.js';
import {
  ARITH_OPS, COMPARE_OPS, REDUCE_OPS, UNARY_OPS,
  type ArithOp, type Backend, type BinaryKernel, type CompareOp, type KernelTable, type ReduceKernel, type ReduceOp,
  type MlpDims, type UnaryKernel, type UnaryOp,
} from '../types.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { checkSeam, OP_CODES, SEAM, SLOTS } from './seam.js';

const MAX_DIMS = SEAM.maxDims;
/** Outputs up to this many elements run on the reference kernels (see above). */
const SMALL_DEFAULT = 16;
let SMALL = SMALL_DEFAULT;

/** @internal tests set −1 to send even tiny tensors through the addon; no argument restores the default. */
export function _setSmallCutoff(n = SMALL_DEFAULT): void {
  SMALL = n;
}
const ref = referenceBackend.kernels;

/** True when every given storage (null: absent) is a Float32Array. */
const allF32 = (...xs: (Storage | null)[]): boolean => xs.every((x) => x === null || x instanceof Float32Array);

function makeKernels(N: NativeAddon, P: Float64Array): KernelTable {
  /** Write nd, shape and the given stride vectors into the block; false when there are too many dims. */
  function put(shape: Shape, s1: readonly number[], s2?: readonly number[], s3?: readonly number[]): boolean {
    const nd = shape.length;
    if (nd > MAX_DIMS) return false;
    P[0] = nd;
    for (let i = 0; i < nd; i++) {
      P[1 + i] = shape[i];
      P[1 + nd + i] = s1[i];
    }
    if (s2) for (let i = 0; i < nd; i++) P[1 + 2 * nd + i] = s2[i];
    if (s3) for (let i = 0; i < nd; i++) P[1 + 3 * nd + i] = s3[i];
    return true;
  }

  /** Slots of the fixed parameter-block layouts (seam.ts), looked up once here rather than per call. */
  const { reduce: RED, cumsum: CUM, index: IDX, matmul: MM, layerNorm: LN, layerNormBackward: LNB, adamStep: ADAM } = SLOTS;
  const { bernoulliFill: BERN, mlpForward: MLPF, mlpBackward: MLPB } = SLOTS;

  function mlpDims({ rows, c, f, o }: Omit<MlpDims, 'scale'>, S: typeof MLPF | typeof MLPB): void {
    P[S.rows] = rows;
    P[S.c] = c;
    P[S.f] = f;
    P[S.o] = o;
  }

  const unary = (op: UnaryOp): UnaryKernel => {
    const code = OP_CODES.unary[op];
    const fallback = ref[op];
    return (out, a) => {
      if (out.length > SMALL && out instanceof Float32Array && a instanceof Float32Array) N.unary(code, out, a);
      else fallback(out, a);
    };
  };

  const binary = (op: ArithOp | CompareOp): BinaryKernel => {
    const compare = (COMPARE_OPS as readonly string[]).includes(op);
    const code = compare ? SEAM.compareBase + OP_CODES.compare[op as CompareOp] : OP_CODES.arith[op as ArithOp];
    const fallback = ref[op];
    return (out, shape, a, as, b, bs) => {
      if (
        out.length > SMALL && a instanceof Float32Array && b instanceof Float32Array &&
        (compare ? out instanceof Uint8Array : out instanceof Float32Array) && put(shape, as, bs)
      ) {
        N.binary(code, out as Float32Array | Uint8Array, a, b);
      } else {
        fallback(out, shape, a, as, b, bs);
      }
    };
  };

  const reduce = (op: ReduceOp): ReduceKernel => {
    const code = OP_CODES.reduce[op];
    const fallback = ref[op];
    const outOk = op === 'argmax' || op === 'argmin' ? (o: Storage) => o instanceof Int32Array : (o: Storage) => o instanceof Float32Array;
    return (out, a, outer, n, inner) => {
      if (a.length > SMALL && a instanceof Float32Array && outOk(out)) {
        P[RED.outer] = outer;
        P[RED.n] = n;
        P[RED.inner] = inner;
        N.reduce(code, out as Float32Array | Int32Array, a);
      } else {
        fallback(out, a, outer, n, inner);
      }
    };
  };

  const table = {} as Record<string, unknown>;
  for (const op of UNARY_OPS) table[op] = unary(op);
  for (const op of [...ARITH_OPS, ...COMPARE_OPS]) table[op] = binary(op);
  for (const op of REDUCE_OPS) table[op] = reduce(op);

  const GELU = OP_CODES.unary.gelu;
  const GELU_BACKWARD = OP_CODES.arith.geluBackward;
  const rest: Omit<KernelTable, UnaryOp | ArithOp | CompareOp | ReduceOp> = {
    gelu(out, a) {
      if (out.length > SMALL && out instanceof Float32Array && a instanceof Float32Array) N.unary(GELU, out, a);
      else ref.gelu(out, a);
    },

    geluBackward(out, g, x) {
      if (out.length > SMALL && out instanceof Float32Array && g instanceof Float32Array && x instanceof Float32Array) {
        // The strided layout of one contiguous dim: nd, shape, then g's and x's strides.
        P[0] = 1;
        P[1] = out.length;
        P[2] = 1;
        P[3] = 1;
        N.binary(GELU_BACKWARD, out, g, x);
      } else {
        ref.geluBackward(out, g, x);
      }
    },

    layerNorm(out, mean, rstd, x, w, b, rows, cols, eps) {
      const f32 = (s: Storage | null): boolean => s === null || s instanceof Float32Array;
      if (out.length > SMALL && cols > 0 && out instanceof Float32Array && mean instanceof Float32Array && rstd instanceof Float32Array && x instanceof Float32Array && f32(w) && f32(b)) {
        P[LN.rows] = rows;
        P[LN.cols] = cols;
        P[LN.eps] = eps;
        P[LN.hasWeight] = w ? 1 : 0;
        P[LN.hasBias] = b ? 1 : 0;
        N.layerNorm(out, mean, rstd, x, (w ?? x) as Float32Array, (b ?? x) as Float32Array);
      } else {
        ref.layerNorm(out, mean, rstd, x, w, b, rows, cols, eps);
      }
    },

    layerNormBackward(dx, dw, db, g, x, mean, rstd, w, rows, cols) {
      const f32 = (s: Storage | null): boolean => s === null || s instanceof Float32Array;
      if (dx.length > SMALL && cols > 0 && dx instanceof Float32Array && g instanceof Float32Array && x instanceof Float32Array && mean instanceof Float32Array && rstd instanceof Float32Array && f32(dw) && f32(db) && f32(w)) {
        P[LNB.rows] = rows;
        P[LNB.cols] = cols;
        P[LNB.hasDw] = dw ? 1 : 0;
        P[LNB.hasDb] = db ? 1 : 0;
        P[LNB.hasWeight] = w ? 1 : 0;
        N.layerNormBackward(dx, (dw ?? dx) as Float32Array, (db ?? dx) as Float32Array, g, x, mean, rstd, (w ?? x) as Float32Array);
      } else {
        ref.layerNormBackward(dx, dw, db, g, x, mean, rstd, w, rows, cols);
      }
    },

    adamStep(p, g, m, v, vmax, h) {
      if (!vmax && p.length > SMALL && p instanceof Float32Array && g instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array) {
        P[ADAM.beta1] = h.beta1;
        P[ADAM.beta2] = h.beta2;
        P[ADAM.stepSize] = h.stepSize;
        P[ADAM.invBc2Sqrt] = h.invBc2Sqrt;
        P[ADAM.eps] = h.eps;
        P[ADAM.l2] = h.l2;
        P[ADAM.shrink] = h.shrink;
        P[ADAM.sign] = h.sign;
        N.adamStep(p, g, m, v);
      } else {
        ref.adamStep(p, g, m, v, vmax, h);
      }
    },

    bernoulliFill(out, state, threshold, value) {
      if (out.length > SMALL && (out instanceof Float32Array || out instanceof Uint8Array)) {
        P[BERN.threshold] = threshold;
        P[BERN.value] = value;
        N.bernoulliFill(out, state);
      } else {
        ref.bernoulliFill(out, state, threshold, value);
      }
    },

    mlpForward(out, x, w1, b1, w2, b2, keep, d) {
      if (d.rows * d.f > SMALL && allF32(out, x, w1, b1, w2, b2)) {
        mlpDims(d, MLPF);
        P[MLPF.hasB1] = b1 ? 1 : 0;
        P[MLPF.hasB2] = b2 ? 1 : 0;
        P[MLPF.hasKeep] = keep ? 1 : 0;
        P[MLPF.scale] = d.scale;
        N.mlpForward(out as Float32Array, x as Float32Array, w1 as Float32Array, (b1 ?? x) as Float32Array, w2 as Float32Array, (b2 ?? x) as Float32Array, keep ?? x as Float32Array);
      } else {
        ref.mlpForward(out, x, w1, b1, w2, b2, keep, d);
      }
    },

    mlpBackward(dx, dw1, db1, dw2, db2, g, x, w1, b1, w2, keep, d) {
      if (d.rows * d.f > SMALL && allF32(dx, dw1, db1, dw2, db2, g, x, w1, b1, w2)) {
        mlpDims(d, MLPB);
        P[MLPB.hasDw1] = dw1 ? 1 : 0;
        P[MLPB.hasDb1] = db1 ? 1 : 0;
        P[MLPB.hasDw2] = dw2 ? 1 : 0;
        P[MLPB.hasDb2] = db2 ? 1 : 0;
        P[MLPB.hasB1] = b1 ? 1 : 0;
        P[MLPB.hasKeep] = keep ? 1 : 0;
        P[MLPB.scale] = d.scale;
        const any = x as Float32Array;
        N.mlpBackward(
          dx as Float32Array, (dw1 ?? any) as Float32Array, (db1 ?? any) as Float32Array, (dw2 ?? any) as Float32Array, (db2 ?? any) as Float32Array,
          g as Float32Array, any, w1 as Float32Array, (b1 ?? any) as Float32Array, w2 as Float32Array, keep ?? any,
        );
      } else {
        ref.mlpBackward(dx, dw1, db1, dw2, db2, g, x, w1, b1, w2, keep, d);
      }
    },

    where(out, shape, c, cs, a, as, b, bs) {
      if (out.length > SMALL && out instanceof Float32Array && c instanceof Uint8Array && a instanceof Float32Array && b instanceof Float32Array && put(shape, cs, as, bs)) {
        N.where(out, c, a, b);
      } else {
        ref.where(out, shape, c, cs, a, as, b, bs);
      }
    },

    cast(out, a) {
      if (out.length > SMALL) N.cast(out, a);
      else ref.cast(out, a);
    },

    cumsum(out, a, outer, n, inner) {
      if (out.length > SMALL && out instanceof Float32Array && a instanceof Float32Array) {
        P[CUM.outer] = outer;
        P[CUM.n] = n;
        P[CUM.inner] = inner;
        N.cumsum(out, a);
      } else {
        ref.cumsum(out, a, outer, n, inner);
      }
    },

    matmul(out, a, b, p) {
      const bias = p.bias ?? null;
      if (out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array && (bias === null || bias instanceof Float32Array) && p.batch * p.m * p.n * p.k > SMALL * 4) {
        P[MM.batch] = p.batch;
        P[MM.m] = p.m;
        P[MM.k] = p.k;
        P[MM.n] = p.n;
        P[MM.transA] = p.transA ? 1 : 0;
        P[MM.transB] = p.transB ? 1 : 0;
        P[MM.aBatchStride] = p.aBatchStride;
        P[MM.bBatchStride] = p.bBatchStride;
        P[MM.hasBias] = bias ? 1 : 0;
        if (bias) N.matmul(out, a, b, bias);
        else N.matmul(out, a, b);
      } else {
        ref.matmul(out, a, b, p);
      }
    },

    stridedCopy(out, shape, a, as, offset) {
      if (out.length > SMALL && out.constructor === a.constructor && put(shape, as)) {
        P[1 + 2 * shape.length] = offset;
        N.stridedCopy(out, a);
      } else {
        ref.stridedCopy(out, shape, a, as, offset);
      }
    },

    stridedScatterAdd(out, outStrides, offset, src, srcShape) {
      if (src.length > SMALL && out instanceof Float32Array && src instanceof Float32Array && put(srcShape, outStrides)) {
        P[1 + 2 * srcShape.length] = offset;
        N.stridedScatterAdd(out, src);
      } else {
        ref.stridedScatterAdd(out, outStrides, offset, src, srcShape);
      }
    },

    gather(out, shape, a, as, idx, axis) {
      if (out.length > SMALL && out.constructor === a.constructor && shape.length <= MAX_DIMS) {
        const nd = shape.length;
        put(shape, as);
        P[1 + nd + axis] = 0;
        P[1 + 2 * nd] = as[axis];
        N.gather(out, a, idx);
      } else {
        ref.gather(out, shape, a, as, idx, axis);
      }
    },

    scatterAdd(out, outStrides, src, shape, idx, axis) {
      if (src.length > SMALL && out instanceof Float32Array && src instanceof Float32Array && shape.length <= MAX_DIMS) {
        const nd = shape.length;
        put(shape, outStrides);
        P[1 + nd + axis] = 0;
        P[1 + 2 * nd] = outStrides[axis];
        N.scatterAdd(out, src, idx);
      } else {
        ref.scatterAdd(out, outStrides, src, shape, idx, axis);
      }
    },

    indexSelect(out, a, idx, outer, nA, inner) {
      if (out.length > SMALL && out.constructor === a.constructor) {
        P[IDX.outer] = outer;
        P[IDX.n] = nA;
        P[IDX.inner] = inner;
        N.indexSelect(out, a, idx);
      } else {
        ref.indexSelect(out, a, idx, outer, nA, inner);
      }
    },

    indexAdd(out, src, idx, outer, nOut, inner) {
      if (src.length > SMALL && out instanceof Float32Array && src instanceof Float32Array) {
        P[IDX.outer] = outer;
        P[IDX.n] = nOut;
        P[IDX.inner] = inner;
        N.indexAdd(out, src, idx);
      } else {
        ref.indexAdd(out, src, idx, outer, nOut, inner);
      }
    },
  };
  Object.assign(table, rest);
  return table as unknown as KernelTable;
}

/** What the native backend reports about itself once loaded. */
export interface NativeInfo {
  /** Instruction set of the kernels chosen at load time: 'avx512', 'avx2+fma' or 'generic'. */
  isa: string;
  /** Threads the kernels use (MLPKIT_THREADS, default: every CPU this process may use). */
  threads: number;
  cpus: number;
}

let addon: NativeAddon | null = null;
let backend: Backend | null = null;
let loadError: string | null = null;

function init(): void {
  const r = loadAddon();
  if (!r.addon) {
    loadError = r.error;
    return;
  }
  try {
    // A build from another seam table would run the wrong kernels or misread
    // the block without any error, so such a build is refused, by name.
    checkSeam(r.addon.seam());
    const params = new Float64Array(128);
    r.addon.init(params);
    const env = (globalThis as { process?: NodeJS.Process }).process?.env.MLPKIT_THREADS;
    if (env !== undefined && env !== '') {
      const n = Number(env);
      if (!Number.isInteger(n) || n < 1) throw new Error(`MLPKIT_THREADS must be a positive integer, got '${env}'`);
      r.addon.setThreads(n);
    }
    addon = r.addon;
    backend = { name: 'native', kernels: makeKernels(r.addon, params) };
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
  }
}
init();

/** The native backend, or null when the addon could not load (see `nativeLoadError`). */
export const nativeBackend: Backend | null = backend;

/** Why the native backend is unavailable, or null when it loaded. */
export const nativeLoadError: string | null = loadError;

/** ISA, thread count and CPU count of the native backend (null when it is unavailable). */
export function nativeInfo(): NativeInfo | null {
  return addon ? addon.info() : null;
}

/**
 * Set the number of threads the native kernels may use (at least 1); returns
 * the value in force. Throws when the native backend is unavailable.
 */
export function setNativeThreads(n: number): number {
  if (!addon) throw new Error(`setNativeThreads: the native backend is unavailable (${loadError})`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNativeThreads: expected a positive integer, got ${n}`);
  return addon.setThreads(n);
}
