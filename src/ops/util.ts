/** Helpers every op file uses: output allocation, graph recording, scalar lifting. */
import { getBackend } from '../backend/index.js';
import type { KernelTable } from '../backend/types.js';
import { isGradEnabled } from '../autograd/mode.js';
import { allocStorage, allocStorageUninit, isFloat, type DType } from '../tensor/dtype.js';
import { numel, shapeStr, broadcastShapes, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export type TensorLike = Tensor | number;

export const kernels = (): KernelTable => getBackend().kernels;

/**
 * Running count of multiply-add FLOPs (2·m·k·n per matmul, which covers
 * linear layers and convolutions) while `active`; read by tools/flops.ts.
 */
export const flopCounter = { active: false, flops: 0 };

/** A fresh zero-filled tensor (no graph). */
export function empty(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocStorage(dtype, numel(shape)), shape, dtype);
}

/**
 * A fresh tensor whose contents are unspecified (no graph): only for an output
 * the next kernel call writes in full. Saves zero-filling the large
 * intermediates of a training step.
 */
export function uninit(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocStorageUninit(dtype, numel(shape)), shape, dtype);
}

/**
 * Attach a backward rule to `out` when grad mode is on and some input
 * requires grad. Returns `out`.
 */
export function record(op: string, out: Tensor, inputs: readonly Tensor[], backward: (g: Tensor) => (Tensor | null)[]): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    out._node = { op, inputs, backward };
    out._requiresGrad = true;
  }
  return out;
}

/** Lift a JS number to a 0-d tensor of a dtype compatible with `like` (an int tensor with a fractional number becomes float32). */
export function lift(x: TensorLike, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  let dtype: DType = like.dtype;
  if (!isFloat(dtype) && !Number.isInteger(x)) dtype = 'float32';
  if (dtype === 'bool' && x !== 0 && x !== 1) dtype = 'int32';
  const t = empty([], dtype);
  t.data[0] = x;
  return t;
}

export function floatDType(t: Tensor): DType {
  return isFloat(t.dtype) ? t.dtype : 'float32';
}

export function requireFloat(t: Tensor, op: string): void {
  if (!isFloat(t.dtype)) throw new TypeError(`${op}: expected a floating-point tensor, got ${t.dtype}`);
}

export function requireInt(t: Tensor, op: string, what = 'index'): void {
  if (t.dtype !== 'int32') throw new TypeError(`${op}: ${what} must be an int32 tensor, got ${t.dtype}`);
}

export function checkIndexRange(idx: Tensor, size: number, op: string, dim: number): void {
  const d = idx.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0 || d[i] >= size) {
      throw new RangeError(`${op}: index ${d[i]} is out of range for dim ${dim} of size ${size}`);
    }
  }
}

export { broadcastShapes, shapeStr };
