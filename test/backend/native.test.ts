/**
 * The native backend against the reference backend, primitive by primitive,
 * on seeded random inputs: edge cases (empty, 0-d, broadcast and negative
 * strides, sizes off the vector width, NaN/±inf) and sizes large enough to
 * take the multi-threaded paths. The engine's op tests (test/ops, test/autograd)
 * additionally run every op on this backend through BACKENDS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceBackend } from '../../src/backend/reference/index.js';
import { _setSmallCutoff, nativeBackend, nativeInfo, nativeLoadError, setNativeThreads } from '../../src/backend/native/index.js';
import {
  ARITH_OPS, COMPARE_OPS, UNARY_OPS, type KernelTable, type MatmulParams, type UnaryOp,
} from '../../src/backend/types.js';
import { allocStorage, type DType, type Storage } from '../../src/tensor/dtype.js';
import { contiguousStrides, numel } from '../../src/tensor/shape.js';

const R = referenceBackend.kernels;

/** Small seeded generator (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40, 88.5, -88.5, 100, -100, 0.5, -0.5, 1, -1];

/** Random storage of `dtype`; floats are mostly N(0, scale²)-ish with some special values mixed in. */
function randStorage(dtype: DType, n: number, seed: number, { special = false, scale = 3 } = {}): Storage {
  const r = rng(seed);
  const s = allocStorage(dtype, n);
  for (let i = 0; i < n; i++) {
    if (dtype === 'bool') s[i] = r() < 0.5 ? 1 : 0;
    else if (dtype === 'int32') s[i] = Math.floor(r() * 21) - 10;
    else s[i] = special && r() < 0.1 ? SPECIAL[Math.floor(r() * SPECIAL.length)] : (r() * 2 - 1) * scale;
  }
  return s;
}

/** Elementwise comparison: NaN matches NaN, otherwise |a − e| ≤ atol + rtol·|e|; infinities must match exactly. */
function expectStorageClose(actual: Storage, expected: Storage, atol = 0, rtol = 0, what = ''): void {
  expect(actual.constructor, `${what}: storage type`).toBe(expected.constructor);
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Object.is(a, e) || a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const ok = Number.isFinite(e) && Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) expect.fail(`${what}: element ${i} is ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Run kernel `name` of both backends on fresh outputs and compare. */
function both(
  N: KernelTable, out: () => Storage, run: (k: KernelTable, out: Storage) => void, atol = 0, rtol = 0, what = '',
): void {
  const ref = out();
  const nat = out();
  run(R, ref);
  run(N, nat);
  expectStorageClose(nat, ref, atol, rtol, what);
}

/** Per-op tolerance of the vectorised float32 math against float64-then-rounded reference results. */
const UNARY_TOL: Partial<Record<UnaryOp, [number, number]>> = {
  exp: [1e-37, 4e-7], log: [1e-7, 4e-7], tanh: [1e-7, 4e-7], sigmoid: [1e-37, 4e-7], erf: [2e-7, 4e-7],
  sin: [1e-7, 4e-7], cos: [1e-7, 4e-7], log1p: [1e-7, 4e-7], expm1: [1e-7, 4e-7], rsqrt: [0, 2e-7],
};

it('the native backend loads (a failed build shows up here, not as silently skipped tests)', () => {
  expect(nativeLoadError).toBeNull();
  expect(nativeInfo()?.threads).toBeGreaterThanOrEqual(1);
});

// Tiny tensors normally stay in JavaScript; the second pass sends them through the addon too.
describe.skipIf(!nativeBackend).each([
  { path: 'default routing', cutoff: undefined },
  { path: 'everything through the addon', cutoff: -1 },
])('native kernels match the reference backend ($path)', ({ cutoff }) => {
  // A skipped describe's body still runs at collection: without the addon, N is unused but must not throw.
  const N = nativeBackend?.kernels as KernelTable;
  beforeAll(() => _setSmallCutoff(cutoff));
  afterAll(() => _setSmallCutoff());

  describe('unary', () => {
    for (const op of UNARY_OPS) {
      it(op, () => {
        const [atol, rtol] = UNARY_TOL[op] ?? [0, 0];
        for (const n of [0, 1, 7, 16, 17, 100, 1000, 70_000]) {
          const a = randStorage('float32', n, n + 1, { special: true, scale: op === 'exp' || op === 'sigmoid' ? 40 : 5 });
          both(N, () => allocStorage('float32', n), (k, o) => k[op](o, a), atol, rtol, `${op} n=${n}`);
        }
        // Every float32 exponent once: covers subnormals, tiny and huge magnitudes.
        const sweep = new Float32Array(2 * 254 * 3);
        for (let e = -126, i = 0; e < 128; e++) {
          for (const m of [1, 1.37, 1.99]) {
            sweep[i++] = m * 2 ** e;
            sweep[i++] = -m * 2 ** e;
          }
        }
        both(N, () => allocStorage('float32', sweep.length), (k, o) => k[op](o, sweep), atol, rtol, `${op} exponent sweep`);
      });
    }

    it('delegates int32 and float64 storages', () => {
      const i = randStorage('int32', 33, 5);
      both(N, () => allocStorage('int32', 33), (k, o) => k.neg(o, i), 0, 0, 'neg int32');
      const d = randStorage('float64', 33, 6);
      both(N, () => allocStorage('float64', 33), (k, o) => k.exp(o, d), 0, 0, 'exp float64');
    });
  });

  describe('binary and compare', () => {
    // [outShape, aShape-or-strides, bShape-or-strides]: strides given explicitly to cover
    // broadcasts (0), transposed reads and odd inner lengths.
    interface Case { shape: number[]; as: number[]; aLen: number; bs: number[]; bLen: number; name: string }
    const cases: Case[] = [
      { name: 'same shape', shape: [5, 19], as: [19, 1], aLen: 95, bs: [19, 1], bLen: 95 },
      { name: 'row broadcast', shape: [7, 33], as: [33, 1], aLen: 231, bs: [0, 1], bLen: 33 },
      { name: 'column broadcast', shape: [7, 33], as: [33, 1], aLen: 231, bs: [1, 0], bLen: 7 },
      { name: 'scalar left', shape: [3, 4, 5], as: [0, 0, 0], aLen: 1, bs: [20, 5, 1], bLen: 60 },
      { name: 'outer product', shape: [9, 17], as: [1, 0], aLen: 9, bs: [0, 1], bLen: 17 },
      { name: 'transposed read', shape: [6, 11], as: [1, 6], aLen: 66, bs: [11, 1], bLen: 66 },
      { name: '0-d', shape: [], as: [], aLen: 1, bs: [], bLen: 1 },
      { name: 'empty', shape: [0, 3], as: [3, 1], aLen: 0, bs: [0, 1], bLen: 3 },
      { name: 'size-1 dims', shape: [1, 4, 1, 3], as: [12, 3, 3, 1], aLen: 12, bs: [0, 0, 0, 1], bLen: 3 },
      { name: 'large, threaded', shape: [300, 301], as: [301, 1], aLen: 90_300, bs: [0, 1], bLen: 301 },
      { name: 'one long row, threaded', shape: [200_003], as: [1], aLen: 200_003, bs: [1], bLen: 200_003 },
    ];
    for (const op of [...ARITH_OPS, ...COMPARE_OPS]) {
      it(op, () => {
        const compare = (COMPARE_OPS as readonly string[]).includes(op);
        for (const c of cases) {
          const a = randStorage('float32', c.aLen, 11, { special: true });
          const b = randStorage('float32', c.bLen, 12, { special: true });
          // Equal values make eq/le/ge interesting.
          for (let i = 0; i < Math.min(a.length, b.length); i += 3) b[i] = a[i];
          const n = numel(c.shape);
          const rtol = op === 'pow' ? 4e-7 : 0;
          both(N, () => allocStorage(compare ? 'bool' : 'float32', n), (k, o) => k[op](o, c.shape, a, c.as, b, c.bs), 1e-37, rtol, `${op} ${c.name}`);
        }
      });
    }

    it('delegates other dtypes', () => {
      const a = randStorage('int32', 12, 1);
      const b = randStorage('int32', 12, 2);
      both(N, () => allocStorage('int32', 12), (k, o) => k.mul(o, [3, 4], a, [4, 1], b, [4, 1]), 0, 0, 'mul int32');
      both(N, () => allocStorage('bool', 12), (k, o) => k.lt(o, [3, 4], a, [4, 1], b, [4, 1]), 0, 0, 'lt int32');
    });
  });

  it('where with broadcast condition and branches', () => {
    const c = randStorage('bool', 7, 3);
    const a = randStorage('float32', 7 * 33, 4, { special: true });
    const b = randStorage('float32', 1, 5);
    both(N, () => allocStorage('float32', 7 * 33), (k, o) => k.where(o, [7, 33], c, [1, 0], a, [33, 1], b, [0, 0]), 0, 0, 'where');
    const big = randStorage('bool', 100_000, 6);
    const x = randStorage('float32', 100_000, 7);
    const y = randStorage('float32', 100_000, 8);
    both(N, () => allocStorage('float32', 100_000), (k, o) => k.where(o, [100_000], big, [1], x, [1], y, [1]), 0, 0, 'where large');
    both(N, () => allocStorage('float32', 0), (k, o) => k.where(o, [0, 4], big, [4, 1], x, [4, 1], y, [4, 1]), 0, 0, 'where empty');
  });

  it('cast between every pair of dtypes', () => {
    const dtypes: DType[] = ['float32', 'float64', 'int32', 'bool'];
    for (const from of dtypes) {
      const a = randStorage(from, 101, 9, { special: true, scale: 3e9 });
      for (const to of dtypes) {
        both(N, () => allocStorage(to, 101), (k, o) => k.cast(o, a), 0, 0, `cast ${from}→${to}`);
      }
    }
  });

  describe('reductions', () => {
    const shapes: [number, number, number][] = [
      [1, 1, 1], [1, 17, 1], [3, 5, 7], [4, 1, 9], [2, 100, 1], [1, 33, 65], [0, 4, 3], [3, 4, 0],
      [1, 300_007, 1], [2, 1000, 129], [700, 1, 100], [1000, 70, 1],
    ];
    for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as const) {
      it(op, () => {
        for (const [outer, n, inner] of shapes) {
          const a = randStorage('float32', outer * n * inner, outer + n + inner, { special: op !== 'sum' });
          // Ties: argmax/argmin must return the first of equal values.
          for (let i = 0; i + 5 < a.length; i += 7) a[i + 5] = a[i];
          const outType = op.startsWith('arg') ? 'int32' : 'float32';
          // float32 accumulation (vectorised) vs float64 accumulation in the reference.
          const tol = op === 'sum' ? [1e-5 * Math.sqrt(n), 1e-5] : [0, 0];
          both(N, () => allocStorage(outType, outer * inner), (k, o) => k[op](o, a, outer, n, inner), tol[0], tol[1], `${op} [${outer}, ${n}, ${inner}]`);
        }
      });
    }

    it('NaN propagates through max/min and wins argmax/argmin', () => {
      const a = new Float32Array([1, 5, NaN, 7, 2, 3, 9, 0]);
      for (const op of ['max', 'min', 'argmax', 'argmin'] as const) {
        both(N, () => allocStorage(op.startsWith('arg') ? 'int32' : 'float32', 2), (k, o) => k[op](o, a, 2, 4, 1), 0, 0, op);
      }
    });

    it('cumsum', () => {
      for (const [outer, n, inner] of [[1, 1, 1], [3, 17, 5], [1, 1000, 1], [0, 3, 2]] as [number, number, number][]) {
        const a = randStorage('float32', outer * n * inner, n);
        both(N, () => allocStorage('float32', outer * n * inner), (k, o) => k.cumsum(o, a, outer, n, inner), 0, 0, `cumsum [${outer}, ${n}, ${inner}]`);
      }
    });
  });

  describe('matmul', () => {
    const sizes: [number, number, number][] = [
      [1, 1, 1], [1, 7, 1], [7, 1, 5], [3, 4, 5], [17, 33, 15], [33, 65, 31], [64, 64, 64],
      [97, 300, 129], [260, 70, 300],
      // skinny: at most 4 rows or columns, past the tiny-product cutoff (gemm_skinny)
      [1, 5000, 16], [16, 3000, 3], [4, 2000, 40], [300, 70, 2], [2, 700, 300], [3, 4000, 1], [5, 900, 4],
    ];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`transA=${transA} transB=${transB}`, () => {
          for (const [m, k, n] of sizes) {
            for (const [batch, aB, bB] of [[1, 1, 1], [3, 3, 3], [3, 1, 3], [3, 3, 1]]) {
              const a = randStorage('float32', aB * m * k, m + k);
              const b = randStorage('float32', bB * k * n, k + n);
              const p: MatmulParams = { batch, m, k, n, transA, transB, aBatchStride: aB === 1 ? 0 : m * k, bBatchStride: bB === 1 ? 0 : k * n };
              // float32 accumulation in a different order: error grows like √k.
              both(N, () => allocStorage('float32', batch * m * n), (kt, o) => kt.matmul(o, a, b, p), 2e-6 * Math.sqrt(k) * 9, 1e-5, `matmul ${m}×${k}×${n} batch ${batch} (${aB}, ${bB})`);
              if (aB === bB) {
                const bias = randStorage('float32', n, n + 7);
                both(N, () => allocStorage('float32', batch * m * n), (kt, o) => kt.matmul(o, a, b, { ...p, bias }), 2e-6 * Math.sqrt(k) * 9, 1e-5, `matmul ${m}×${k}×${n} batch ${batch} + bias`);
              }
            }
          }
        });
      }
    }

    it('bias on a product of several k blocks and column blocks', () => {
      // k = 2100: 9 blocks of 256; n = 600: two column blocks (the packed B of a block holds ≤ 2^20 floats).
      const [m, k, n] = [40, 2100, 600];
      const a = randStorage('float32', m * k, 3);
      const b = randStorage('float32', k * n, 4);
      const bias = randStorage('float32', n, 5);
      for (const transB of [false, true]) {
        const p: MatmulParams = { batch: 1, m, k, n, transA: false, transB, aBatchStride: 0, bBatchStride: 0, bias };
        both(N, () => allocStorage('float32', m * n), (kt, o) => kt.matmul(o, a, b, p), 2e-6 * Math.sqrt(k) * 9, 1e-5, `matmul ${m}×${k}×${n} + bias, transB ${transB}`);
      }
    });

    it('large product on every thread count', () => {
      const [m, k, n] = [300, 256, 520];
      const a = randStorage('float32', m * k, 1);
      const b = randStorage('float32', k * n, 2);
      const p: MatmulParams = { batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
      const before = nativeInfo()!.threads;
      try {
        for (const t of [1, 2, 3]) {
          setNativeThreads(t);
          both(N, () => allocStorage('float32', m * n), (kt, o) => kt.matmul(o, a, b, p), 1e-4, 1e-5, `matmul threads=${t}`);
        }
      } finally {
        setNativeThreads(before);
      }
    });

    it('delegates float64', () => {
      const a = randStorage('float64', 12, 1);
      const b = randStorage('float64', 12, 2);
      const p: MatmulParams = { batch: 1, m: 3, k: 4, n: 3, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
      both(N, () => allocStorage('float64', 9), (kt, o) => kt.matmul(o, a, b, p), 0, 0, 'matmul float64');
    });
  });

  describe('data movement', () => {
    it('stridedCopy: transpose, flip, broadcast, step, 0-d and empty, every dtype', () => {
      for (const dtype of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
        const a = randStorage(dtype, 60, 3);
        const views: [number[], number[], number][] = [
          [[5, 12], [12, 1], 0], // contiguous
          [[12, 5], [1, 12], 0], // transpose
          [[3, 4, 5], [1, 15, 3], 0], // permutation
          [[5, 12], [-12, 1], 48], // flip rows
          [[5, 12], [12, -1], 11], // flip columns
          [[5, 12], [-12, -1], 59], // flip both
          [[4, 6], [0, 2], 1], // broadcast + step
          [[2, 3, 3], [24, 1, 12], 5], // overlapping windows (unfold)
          [[], [], 7], // 0-d
          [[0, 5], [5, 1], 0], // empty
        ];
        for (const [shape, strides, offset] of views) {
          both(N, () => allocStorage(dtype, numel(shape)), (k, o) => k.stridedCopy(o, shape, a, strides, offset), 0, 0, `stridedCopy ${dtype} ${shape} ${strides} +${offset}`);
        }
      }
    });

    it('stridedScatterAdd accumulates overlaps in order', () => {
      const src = randStorage('float32', 18, 4);
      for (const [shape, strides, offset] of [
        [[2, 3, 3], [24, 1, 12], 5], [[3, 6], [-6, 1], 12], [[6, 3], [1, 6], 0], [[], [], 3],
      ] as [number[], number[], number][]) {
        const n = numel(shape);
        both(N, () => {
          const o = allocStorage('float32', 60);
          o.fill(1);
          return o;
        }, (k, o) => k.stridedScatterAdd(o, strides, offset, src.subarray(0, n), shape), 0, 0, `stridedScatterAdd ${shape}`);
      }
    });

    it('large transposes and their adjoint take the threaded path; overlapping scatters stay ordered', () => {
      const a = randStorage('float32', 400 * 500, 21);
      both(N, () => allocStorage('float32', 400 * 500), (k, o) => k.stridedCopy(o, [500, 400], a, [1, 500], 0), 0, 0, 'transpose 400×500');
      both(N, () => allocStorage('float32', 400 * 500), (k, o) => k.stridedCopy(o, [20, 500, 20], a, [20, 400, 1], 0), 0, 0, 'permute 3-d');
      const init = (): Storage => randStorage('float32', 400 * 500, 22);
      both(N, init, (k, o) => k.stridedScatterAdd(o, [1, 500], 0, a, [500, 400]), 0, 0, 'scatterAdd of a transpose');
      // Windows of 300 with step 1 overlap heavily: 199,701 × 300 positions onto 200,000 elements.
      const src = randStorage('float32', 1000 * 300, 23);
      both(N, init, (k, o) => k.stridedScatterAdd(o, [1, 1], 0, src, [1000, 300]), 1e-5, 1e-5, 'overlapping scatterAdd');
    });

    it('gather and scatterAdd along each axis', () => {
      const aShape = [4, 5, 6];
      const a = randStorage('float32', 120, 5);
      for (let axis = 0; axis < 3; axis++) {
        const shape = [3, 4, 5];
        const r = rng(axis);
        const idx = new Int32Array(60).map(() => Math.floor(r() * aShape[axis]));
        both(N, () => allocStorage('float32', 60), (k, o) => k.gather(o, shape, a, contiguousStrides(aShape), idx, axis), 0, 0, `gather axis ${axis}`);
        const src = randStorage('float32', 60, 6);
        both(N, () => allocStorage('float32', 120), (k, o) => k.scatterAdd(o, contiguousStrides(aShape), src, shape, idx, axis), 0, 0, `scatterAdd axis ${axis}`);
      }
      const ai = randStorage('int32', 120, 7);
      const idx = new Int32Array(60).fill(2);
      both(N, () => allocStorage('int32', 60), (k, o) => k.gather(o, [3, 4, 5], ai, contiguousStrides(aShape), idx, 1), 0, 0, 'gather int32');
    });

    it('indexSelect and indexAdd with repeated indices', () => {
      const a = randStorage('float32', 2 * 7 * 3, 8);
      const idx = new Int32Array([6, 0, 0, 3, 6]);
      both(N, () => allocStorage('float32', 2 * 5 * 3), (k, o) => k.indexSelect(o, a, idx, 2, 7, 3), 0, 0, 'indexSelect');
      const src = randStorage('float32', 2 * 5 * 3, 9);
      both(N, () => allocStorage('float32', 2 * 7 * 3), (k, o) => k.indexAdd(o, src, idx, 2, 7, 3), 0, 0, 'indexAdd');
      const b = randStorage('bool', 7, 10);
      both(N, () => allocStorage('bool', 5), (k, o) => k.indexSelect(o, b, idx, 1, 7, 1), 0, 0, 'indexSelect bool');
    });
  });

  describe('fused kernels', () => {
    it('gelu and geluBackward', () => {
      for (const n of [1, 17, 1000, 70_000]) {
        const x = randStorage('float32', n, n, { special: true, scale: 6 });
        const g = randStorage('float32', n, n + 1);
        both(N, () => allocStorage('float32', n), (k, o) => k.gelu(o, x), 2e-7, 4e-7, `gelu n=${n}`);
        both(N, () => allocStorage('float32', n), (k, o) => k.geluBackward(o, g, x), 2e-7, 4e-7, `geluBackward n=${n}`);
      }
    });

    it('layerNorm and layerNormBackward, with and without weight and bias', () => {
      for (const [rows, cols] of [[1, 17], [5, 130], [300, 64], [2000, 33]]) {
        const x = randStorage('float32', rows * cols, rows, { scale: 4 });
        const w = randStorage('float32', cols, cols);
        const b = randStorage('float32', cols, cols + 1);
        const g = randStorage('float32', rows * cols, rows + 2);
        for (const affine of [true, false]) {
          const [ww, bb] = affine ? [w, b] : [null, null];
          const fwd = (k: KernelTable): Storage[] => {
            const out = allocStorage('float32', rows * cols);
            const mean = allocStorage('float32', rows);
            const rstd = allocStorage('float32', rows);
            k.layerNorm(out, mean, rstd, x, ww, bb, rows, cols, 1e-5);
            return [out, mean, rstd];
          };
          const fr = fwd(R);
          const fn = fwd(N);
          fr.forEach((t, i) => expectStorageClose(fn[i], t, 1e-5, 1e-5, `layerNorm ${rows}×${cols} output ${i}`));
          const bwd = (k: KernelTable): Storage[] => {
            const dx = allocStorage('float32', rows * cols);
            const dw = allocStorage('float32', cols);
            const db = allocStorage('float32', cols);
            k.layerNormBackward(dx, affine ? dw : null, affine ? db : null, g, x, fr[1], fr[2], ww, rows, cols);
            return [dx, dw, db];
          };
          const br = bwd(R);
          const bn = bwd(N);
          br.forEach((t, i) => expectStorageClose(bn[i], t, 2e-5 * Math.sqrt(rows), 1e-4, `layerNormBackward ${rows}×${cols} gradient ${i}`));
        }
      }
    });

    it('adamStep (Adam and AdamW, ascending too) updates parameter and moments alike', () => {
      for (const [n, h] of [
        [1000, { beta1: 0.9, beta2: 0.999, stepSize: 1e-3 / (1 - 0.9 ** 3), invBc2Sqrt: 1 / Math.sqrt(1 - 0.999 ** 3), eps: 1e-8, l2: 0, shrink: 1 - 1e-5, sign: 1 }],
        [77, { beta1: 0.8, beta2: 0.99, stepSize: 0.1, invBc2Sqrt: 3, eps: 1e-6, l2: 0.01, shrink: 1, sign: -1 }],
      ] as const) {
        const run = (k: KernelTable): Storage[] => {
          const p = randStorage('float32', n, 1);
          const g = randStorage('float32', n, 2);
          const m = randStorage('float32', n, 3, { scale: 0.1 });
          const v = randStorage('float32', n, 4, { scale: 0.1 }).map(Math.abs);
          k.adamStep(p, g, m, v, null, h);
          return [p, m, v];
        };
        const [pr, mr, vr] = run(R);
        const [pn, mn, vn] = run(N);
        expectStorageClose(pn, pr, 1e-6, 1e-5, 'adamStep p');
        expectStorageClose(mn, mr, 1e-7, 1e-6, 'adamStep m');
        expectStorageClose(vn, vr, 1e-9, 1e-6, 'adamStep v');
      }
    });
  });

  it('inconsistent arguments throw instead of touching memory out of bounds', () => {
    const out = new Float32Array(40);
    const a = new Float32Array(30);
    expect(() => N.add(out, [40], a, [1], a, [1])).toThrow(/binary/);
    expect(() => N.stridedCopy(out, [40], a, [1], 1)).toThrow(/stridedCopy/);
    const idx = new Int32Array(40);
    idx[39] = 99;
    expect(() => N.gather(out, [40], a, [1], idx, 0)).toThrow(/gather/);
    expect(() => N.matmul(out, a, a, { batch: 1, m: 5, k: 6, n: 8, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 })).toThrow(/matmul/);
    expect(() => N.indexSelect(out, a, new Int32Array(40).fill(5), 1, 3, 1)).toThrow(/indexSelect/);
  });
});

describe.skipIf(!nativeBackend)('process tuning when the native backend loads', () => {
  it('leaves no gc function behind, globally or in contexts made later', async () => {
    const vm = await import('node:vm');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  });
});
