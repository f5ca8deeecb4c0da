/**
 * The element types of the safetensors format and how each maps onto mlpkit's
 * dtypes (float32, float64, int32, bool) when loading, and back when saving.
 *
 * Loading widens or narrows to what mlpkit computes with:
 *   F32, F16, BF16, F8_* and F64 (unless kept) → float32, exactly where the value fits
 *     (every F16/BF16/F8 value is exactly a float32; F64 rounds)
 *   I32, I16, I8, U8, U16 → int32 exactly; I64, U32, U64 → int32 with a range check
 *   BOOL → bool (bytes must be 0 or 1)
 *   C64 → float32 with a trailing dimension of 2 (real, imaginary), like torch.view_as_real
 *   F4, F6_E2M3, F6_E3M2 → not converted: the spec packs several elements per byte
 *     but fixes no element order, so mlpkit exposes their raw bytes only.
 */
import type { DType } from '../../tensor/dtype.js';
import { FORMATS, type MinifloatFormat } from './minifloat.js';

/**
 * Every dtype of the spec, in the order of the reference implementation's enum.
 * The writer lays tensors out by this order, descending, as the reference does,
 * so that each tensor's bytes start aligned to its element size.
 */
export const SAFETENSORS_DTYPES = [
  'BOOL', 'F4', 'F6_E2M3', 'F6_E3M2', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ',
  'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'C64', 'F64', 'I64', 'U64',
] as const;

export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

/** Bits per element. */
export const DTYPE_BITS: Record<SafetensorsDType, number> = {
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, F8_E4M3FNUZ: 8, F8_E5M2FNUZ: 8,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, F64: 64, I64: 64, U64: 64,
};

export const isSafetensorsDType = (s: unknown): s is SafetensorsDType =>
  typeof s === 'string' && (SAFETENSORS_DTYPES as readonly string[]).includes(s);

/** Element types stored several to a byte; mlpkit reads and writes them only as raw bytes. */
export const SUB_BYTE_DTYPES: ReadonlySet<SafetensorsDType> = new Set(['F4', 'F6_E2M3', 'F6_E3M2']);

export const MINIFLOATS: Partial<Record<SafetensorsDType, MinifloatFormat>> = FORMATS;

/** The mlpkit dtype a stored dtype loads as (F64 only when asked to keep it). */
export function loadedDType(d: SafetensorsDType, keepFloat64: boolean): DType {
  switch (d) {
    case 'BOOL':
      return 'bool';
    case 'U8': case 'I8': case 'I16': case 'U16': case 'I32': case 'U32': case 'I64': case 'U64':
      return 'int32';
    case 'F64':
      return keepFloat64 ? 'float64' : 'float32';
    default:
      return 'float32';
  }
}

/** The stored dtype an mlpkit tensor is written as when no other is asked for. */
export function defaultStoredDType(d: DType): SafetensorsDType {
  switch (d) {
    case 'float32':
      return 'F32';
    case 'float64':
      return 'F64';
    case 'int32':
      return 'I32';
    case 'bool':
      return 'BOOL';
  }
}
