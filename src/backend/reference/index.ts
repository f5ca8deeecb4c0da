/**
 * The reference backend: plain TypeScript, obviously correct, always available
 * (Node and browser). It is the living definition of every primitive; faster
 * backends are tested against it. Loops favour clarity, with cheap fast paths
 * where the common case is trivially contiguous.
 */
import type { Storage } from '../../tensor/dtype.js';
import type {
  Backend, BinaryKernel, KernelTable, MatmulParams, ReduceKernel, UnaryKernel,
} from '../types.js';
import { mlpBackward, mlpForward } from './mlp.js';
import { forEachRow, isContiguous } from './strided.js';

const unary = (f: (x: number) => number): UnaryKernel => (out, a) => {
  for (let i = 0; i < out.length; i++) out[i] = f(a[i]);
};

// Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use the W. J. Cody rational
// approximations (as in most libm implementations) for float64-grade erf.
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const p = ((((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947);
    const q = ((((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683333670327);
    return (x * p) / q;
  }
  return x < 0 ? -1 + erfcPos(ax) : 1 - erfcPos(ax);
}
function erfcPos(x: number): number {
  let r: number;
  if (x < 4) {
    const p = ((((((((2.15311535474403846e-8 * x + 5.64188496988670089e-1) * x + 8.88314979438837594) * x + 66.1191906371416295) * x + 298.635138197400131) * x + 881.952221241769090) * x + 1712.04761263407058) * x + 2051.07837782607147) * x + 1230.33935479799725);
    const q = ((((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x + 1621.38957456669019) * x + 3290.79923573345963) * x + 4362.61909014324716) * x + 3439.36767414372164) * x + 1230.33935480374942);
    r = p / q;
  } else {
    const z = 1 / (x * x);
    const p = (((((1.63153871373020978e-2 * z + 3.05326634961232344e-1) * z + 3.60344899949804439e-1) * z + 1.25781726111229246e-1) * z + 1.60837851487422766e-2) * z + 6.58749161529837803e-4);
    const q = (((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 5.27905102951428412e-1) * z + 6.05183413124413191e-2) * z + 2.33520497626869185e-3);
    r = (1 / x) * (1 / Math.sqrt(Math.PI) - (z * p) / q);
  }
  return Math.exp(-x * x) * r;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
// Round half to even, as torch.round does.
const roundEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

function binary(f: (x: number, y: number) => number): BinaryKernel {
  return (out, outShape, a, as, b, bs) => {
    const n = out.length;
    if (n === 0) return;
    const aFull = isContiguous(outShape, as) && a.length === n;
    const bFull = isContiguous(outShape, bs) && b.length === n;
    if (aFull && bFull) {
      for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
      return;
    }
    if (aFull && b.length === 1) {
      const y = b[0];
      for (let i = 0; i < n; i++) out[i] = f(a[i], y);
      return;
    }
    if (bFull && a.length === 1) {
      const x = a[0];
      for (let i = 0; i < n; i++) out[i] = f(x, b[i]);
      return;
    }
    forEachRow(outShape, [as, bs], [0, 0], (off, len, st, pos) => {
      let ia = off[0];
      let ib = off[1];
      for (let i = 0; i < len; i++, ia += st[0], ib += st[1]) out[pos + i] = f(a[ia], b[ib]);
    });
  };
}

function reduce(init: number, step: (acc: number, x: number) => number): ReduceKernel {
  return (out, a, outer, n, inner) => {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = init;
        let p = o * n * inner + i;
        for (let j = 0; j < n; j++, p += inner) acc = step(acc, a[p]);
        out[o * inner + i] = acc;
      }
    }
  };
}

function argReduce(better: (x: number, best: number) => boolean): ReduceKernel {
  return (out, a, outer, n, inner) => {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = a[base];
        let bi = 0;
        for (let j = 1; j < n; j++) {
          const x = a[base + j * inner];
          // NaN wins, as in PyTorch; the first of equal values wins.
          if (!Number.isNaN(best) && (Number.isNaN(x) || better(x, best))) {
            best = x;
            bi = j;
          }
        }
        out[o * inner + i] = bi;
      }
    }
  };
}

// NaN propagates through max/min reductions (PyTorch semantics).
const maxStep = (acc: number, x: number): number => (x > acc || Number.isNaN(x) ? x : acc);
const minStep = (acc: number, x: number): number => (x < acc || Number.isNaN(x) ? x : acc);
const maximum = (x: number, y: number): number => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x > y ? x : y);
const minimum = (x: number, y: number): number => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x < y ? x : y);

function matmul(out: Storage, a: Storage, b: Storage, p: MatmulParams): void {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride, bias } = p;
  // a(i, kk) and b(kk, j) element strides for each storage layout
  const ai = transA ? 1 : k;
  const ak = transA ? m : 1;
  const bk = transB ? 1 : n;
  const bj = transB ? k : 1;
  const row = new Float64Array(n);
  for (let t = 0; t < batch; t++) {
    const ao = t * aBatchStride;
    const bo = t * bBatchStride;
    const oo = t * m * n;
    for (let i = 0; i < m; i++) {
      if (bias) row.set(bias);
      else row.fill(0);
      for (let kk = 0; kk < k; kk++) {
        const x = a[ao + i * ai + kk * ak];
        if (x === 0) continue;
        const bRow = bo + kk * bk;
        for (let j = 0; j < n; j++) row[j] += x * b[bRow + j * bj];
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j];
    }
  }
}

const kernels: KernelTable = {
  neg: unary((x) => -x),
  abs: unary(Math.abs),
  sign: unary((x) => (x > 0 ? 1 : x < 0 ? -1 : x)),
  exp: unary(Math.exp),
  log: unary(Math.log),
  log1p: unary(Math.log1p),
  expm1: unary(Math.expm1),
  sqrt: unary(Math.sqrt),
  rsqrt: unary((x) => 1 / Math.sqrt(x)),
  reciprocal: unary((x) => 1 / x),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tanh: unary(Math.tanh),
  sigmoid: unary(sigmoid),
  erf: unary(erf),
  relu: unary((x) => (x > 0 ? x : Number.isNaN(x) ? x : 0)),
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  round: unary(roundEven),

  add: binary((x, y) => x + y),
  sub: binary((x, y) => x - y),
  mul: binary((x, y) => x * y),
  div: binary((x, y) => x / y),
  pow: binary(Math.pow),
  maximum: binary(maximum),
  minimum: binary(minimum),
  eq: binary((x, y) => (x === y ? 1 : 0)),
  ne: binary((x, y) => (x !== y ? 1 : 0)),
  lt: binary((x, y) => (x < y ? 1 : 0)),
  le: binary((x, y) => (x <= y ? 1 : 0)),
  gt: binary((x, y) => (x > y ? 1 : 0)),
  ge: binary((x, y) => (x >= y ? 1 : 0)),

  where(out, outShape, c, cs, a, as, b, bs) {
    forEachRow(outShape, [cs, as, bs], [0, 0, 0], (off, len, st, pos) => {
      let ic = off[0];
      let ia = off[1];
      let ib = off[2];
      for (let i = 0; i < len; i++, ic += st[0], ia += st[1], ib += st[2]) out[pos + i] = c[ic] ? a[ia] : b[ib];
    });
  },

  cast(out, a) {
    if (out instanceof Uint8Array) {
      for (let i = 0; i < out.length; i++) out[i] = a[i] !== 0 ? 1 : 0;
    } else if (out instanceof Int32Array) {
      for (let i = 0; i < out.length; i++) out[i] = Math.trunc(a[i]);
    } else {
      for (let i = 0; i < out.length; i++) out[i] = a[i];
    }
  },

  sum: reduce(0, (acc, x) => acc + x),
  max: reduce(-Infinity, maxStep),
  min: reduce(Infinity, minStep),
  argmax: argReduce((x, best) => x > best),
  argmin: argReduce((x, best) => x < best),

  cumsum(out, a, outer, n, inner) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        let p = o * n * inner + i;
        for (let j = 0; j < n; j++, p += inner) {
          acc += a[p];
          out[p] = acc;
        }
      }
    }
  },

  matmul,

  stridedCopy(out, outShape, a, as, aOffset) {
    forEachRow(outShape, [as], [aOffset], (off, len, st, pos) => {
      let ia = off[0];
      const s = st[0];
      for (let i = 0; i < len; i++, ia += s) out[pos + i] = a[ia];
    });
  },

  stridedScatterAdd(out, outStrides, outOffset, src, srcShape) {
    forEachRow(srcShape, [outStrides], [outOffset], (off, len, st, pos) => {
      let io = off[0];
      const s = st[0];
      for (let i = 0; i < len; i++, io += s) out[io] += src[pos + i];
    });
  },

  gather(out, outShape, a, as, idx, axis) {
    const st = as.map((s, d) => (d === axis ? 0 : s));
    const sAxis = as[axis];
    forEachRow(outShape, [st], [0], (off, len, inner, pos) => {
      let ia = off[0];
      const s = inner[0];
      for (let i = 0; i < len; i++, ia += s) out[pos + i] = a[ia + idx[pos + i] * sAxis];
    });
  },

  scatterAdd(out, outStrides, src, srcShape, idx, axis) {
    const st = outStrides.map((s, d) => (d === axis ? 0 : s));
    const sAxis = outStrides[axis];
    forEachRow(srcShape, [st], [0], (off, len, inner, pos) => {
      let io = off[0];
      const s = inner[0];
      for (let i = 0; i < len; i++, io += s) out[io + idx[pos + i] * sAxis] += src[pos + i];
    });
  },

  indexSelect(out, a, idx, outer, nA, inner) {
    const nI = idx.length;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < nI; j++) {
        const src = (o * nA + idx[j]) * inner;
        const dst = (o * nI + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] = a[src + i];
      }
    }
  },

  // Fused kernels: each equals a composition of the primitives above (see types.ts).
  gelu: unary((x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2))),

  geluBackward(out, g, x) {
    for (let i = 0; i < out.length; i++) {
      const xi = x[i];
      out[i] = g[i] * (0.5 * (1 + erf(xi * Math.SQRT1_2)) + xi * Math.exp(-0.5 * xi * xi) * INV_SQRT_2PI);
    }
  },

  layerNorm(out, mean, rstd, x, w, b, rows, cols, eps) {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += x[o + j];
      const mu = s / cols;
      let ss = 0;
      for (let j = 0; j < cols; j++) ss += (x[o + j] - mu) ** 2;
      const rs = 1 / Math.sqrt(ss / cols + eps);
      mean[r] = mu;
      rstd[r] = rs;
      for (let j = 0; j < cols; j++) out[o + j] = (x[o + j] - mu) * rs * (w ? w[j] : 1) + (b ? b[j] : 0);
    }
  },

  layerNormBackward(dx, dw, db, g, x, mean, rstd, w, rows, cols) {
    const accW = dw ? new Float64Array(cols) : null;
    const accB = db ? new Float64Array(cols) : null;
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      const mu = mean[r];
      const rs = rstd[r];
      let sd = 0;
      let sdx = 0;
      for (let j = 0; j < cols; j++) {
        const xh = (x[o + j] - mu) * rs;
        const d = g[o + j] * (w ? w[j] : 1);
        sd += d;
        sdx += d * xh;
        if (accW) accW[j] += g[o + j] * xh;
        if (accB) accB[j] += g[o + j];
      }
      sd /= cols;
      sdx /= cols;
      for (let j = 0; j < cols; j++) {
        const xh = (x[o + j] - mu) * rs;
        dx[o + j] = rs * (g[o + j] * (w ? w[j] : 1) - sd - xh * sdx);
      }
    }
    if (dw && accW) for (let j = 0; j < cols; j++) dw[j] = accW[j];
    if (db && accB) for (let j = 0; j < cols; j++) db[j] = accB[j];
  },

  adamStep(p, g, m, v, vmax, { beta1: b1, beta2: b2, stepSize, invBc2Sqrt, eps, l2, shrink, sign }) {
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    const n = p.length;
    // m[i], v[i] are read back after the store so the update uses the stored
    // (float32) moments, as PyTorch does.
    if (vmax) {
      for (let i = 0; i < n; i++) {
        const pv = p[i];
        const gi = sign * g[i] + l2 * pv;
        m[i] = b1 * m[i] + c1 * gi;
        v[i] = b2 * v[i] + c2 * gi * gi;
        if (v[i] > vmax[i]) vmax[i] = v[i];
        p[i] = pv * shrink - (stepSize * m[i]) / (Math.sqrt(vmax[i]) * invBc2Sqrt + eps);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const pv = p[i];
        const gi = sign * g[i] + l2 * pv;
        m[i] = b1 * m[i] + c1 * gi;
        v[i] = b2 * v[i] + c2 * gi * gi;
        p[i] = pv * shrink - (stepSize * m[i]) / (Math.sqrt(v[i]) * invBc2Sqrt + eps);
      }
    }
  },

  indexAdd(out, src, idx, outer, nOut, inner) {
    const nI = idx.length;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < nI; j++) {
        const dst = (o * nOut + idx[j]) * inner;
        const s = (o * nI + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] += src[s + i];
      }
    }
  },

  bernoulliFill(out, state, threshold, value) {
    let s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
    for (let i = 0; i < out.length; i++) {
      // xoshiro128**, as Generator.nextUint32, on local copies of the state.
      const m5 = Math.imul(s1, 5);
      const r7 = (m5 << 7) | (m5 >>> 25);
      const u = Math.imul(r7, 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = u < threshold ? value : 0;
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
  },

  mlpForward,
  mlpBackward,
};

export const referenceBackend: Backend = { name: 'reference', kernels };
