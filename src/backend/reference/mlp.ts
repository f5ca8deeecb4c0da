/**
 * The fused narrow MLP's reference kernels (see MlpForwardKernel in
 * ../types.ts): plain loops, one row at a time, sums in double precision.
 */
import type { MlpBackwardKernel, MlpForwardKernel } from '../types.js';

export const mlpForward: MlpForwardKernel = (out, x, w1, b1, w2, b2, keep, { rows, c, f, o, scale }) => {
  const a = new Float64Array(f);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < f; j++) {
      let h = b1 ? b1[j] : 0;
      for (let k = 0; k < c; k++) h += x[r * c + k] * w1[j * c + k];
      a[j] = h > 0 ? h * (keep ? (keep[r * f + j] ? scale : 0) : 1) : 0;
    }
    for (let q = 0; q < o; q++) {
      let y = b2 ? b2[q] : 0;
      for (let j = 0; j < f; j++) y += w2[q * f + j] * a[j];
      out[r * o + q] = y;
    }
  }
};

export const mlpBackward: MlpBackwardKernel = (dx, dw1, db1, dw2, db2, g, x, w1, b1, w2, keep, { rows, c, f, o, scale }) => {
  const gw1 = new Float64Array(f * c);
  const gb1 = new Float64Array(f);
  const gw2 = new Float64Array(o * f);
  const gb2 = new Float64Array(o);
  const a = new Float64Array(f);
  const gh = new Float64Array(f);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < f; j++) {
      let h = b1 ? b1[j] : 0;
      for (let k = 0; k < c; k++) h += x[r * c + k] * w1[j * c + k];
      const m = keep ? (keep[r * f + j] ? scale : 0) : 1;
      a[j] = h > 0 ? h * m : 0;
      let ga = 0;
      for (let q = 0; q < o; q++) ga += g[r * o + q] * w2[q * f + j];
      gh[j] = h > 0 ? ga * m : 0;
      gb1[j] += gh[j];
      for (let k = 0; k < c; k++) gw1[j * c + k] += gh[j] * x[r * c + k];
    }
    for (let q = 0; q < o; q++) {
      const gq = g[r * o + q];
      gb2[q] += gq;
      for (let j = 0; j < f; j++) gw2[q * f + j] += gq * a[j];
    }
    for (let k = 0; k < c; k++) {
      let s = 0;
      for (let j = 0; j < f; j++) s += gh[j] * w1[j * c + k];
      dx[r * c + k] = s;
    }
  }
  if (dw1) dw1.set(gw1);
  if (db1) db1.set(gb1);
  if (dw2) dw2.set(gw2);
  if (db2) db2.set(gb2);
};
