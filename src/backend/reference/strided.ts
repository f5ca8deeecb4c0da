/**
 * Strided iteration for the reference kernels: walk every position of a shape
 * in row-major order, tracking one flat offset per operand. The innermost dim
 * is a plain loop; the outer dims advance like an odometer.
 */
import type { Shape } from '../../tensor/shape.js';

/**
 * Calls `row(offsets, innerLen, innerStrides, outPos)` once per innermost row.
 * `offsets[k]` is operand k's flat offset at the row start, `outPos` the flat
 * row-major index of the row start.
 */
export function forEachRow(
  shape: Shape,
  strides: readonly (readonly number[])[],
  base: readonly number[],
  row: (offsets: number[], innerLen: number, innerStrides: number[], outPos: number) => void,
): void {
  const nd = shape.length;
  const k = strides.length;
  const offsets = base.slice();
  if (nd === 0) {
    row(offsets, 1, new Array<number>(k).fill(0), 0);
    return;
  }
  for (const d of shape) if (d === 0) return;
  const inner = shape[nd - 1];
  const innerStrides = strides.map((s) => s[nd - 1]);
  const idx = new Array<number>(nd).fill(0);
  let outPos = 0;
  for (;;) {
    row(offsets, inner, innerStrides, outPos);
    outPos += inner;
    // advance the odometer over dims nd-2 .. 0
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let j = 0; j < k; j++) offsets[j] += strides[j][d];
      if (idx[d] < shape[d]) break;
      for (let j = 0; j < k; j++) offsets[j] -= strides[j][d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** True when `strides` are the row-major strides of `shape` (size-1 dims ignored). */
export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}
