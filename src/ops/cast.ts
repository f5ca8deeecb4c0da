/** dtype conversion and copying. */
import { isFloat, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { kernels, record, uninit } from './util.js';

/** Convert to `dtype`; differentiable between floating dtypes. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = uninit(x.shape, dtype);
  kernels().cast(out.data, x.data);
  if (!isFloat(dtype) || !isFloat(x.dtype)) return out;
  return record('cast', out, [x], (g) => [g.to(x.dtype)]);
}

/** A copy with its own storage. */
export function clone(x: Tensor): Tensor {
  const out = uninit(x.shape, x.dtype);
  out.data.set(x.data);
  return record('clone', out, [x], (g) => [g]);
}
