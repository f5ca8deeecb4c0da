/**
 * Element conversion between safetensors' little-endian bytes and mlpkit
 * storage. Every conversion is exact or refused: an int64 that does not fit
 * int32, a bool byte that is neither 0 nor 1, or a non-integer written as an
 * integer type throws (through `fail`) rather than producing different numbers.
 */
import { allocStorage, type DType, type Storage } from '../../tensor/dtype.js';
import { decodeMinifloats, encodeMinifloats } from './minifloat.js';
import { MINIFLOATS, SUB_BYTE_DTYPES, loadedDType, type SafetensorsDType } from './dtypes.js';

/** Called with what is wrong and the byte offset (within the tensor's bytes) where. */
export type Fail = (problem: string, byteInTensor?: number) => never;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndianHost(): void {
  // safetensors is little-endian; the copies below reinterpret bytes in host order.
  if (!HOST_LITTLE_ENDIAN) throw new Error('safetensors: big-endian hosts are not supported');
}

type Ctor<T> = { new (buffer: ArrayBuffer): T };

/** The bytes reinterpreted as a typed array, through an aligned copy (file offsets need not be aligned). */
function view<T>(bytes: Uint8Array, C: Ctor<T>): T {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new C(copy.buffer);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Decode one tensor's bytes (exactly numel × size long; the caller checked)
 * into mlpkit storage of `loadedDType(d, keepFloat64)`.
 */
export function decodeElements(d: SafetensorsDType, bytes: Uint8Array, numel: number, keepFloat64: boolean, fail: Fail): Storage {
  requireLittleEndianHost();
  if (SUB_BYTE_DTYPES.has(d)) {
    fail(`dtype ${d} packs several elements per byte in an order the spec does not fix; mlpkit does not convert it (its raw bytes are available from readSafetensorsHeader)`);
  }
  const outType: DType = loadedDType(d, keepFloat64);
  const out = allocStorage(outType, d === 'C64' ? 2 * numel : numel);
  const mini = MINIFLOATS[d];
  if (mini) {
    decodeMinifloats(mini, bytes, out as Float32Array);
    return out;
  }
  switch (d) {
    case 'F32':
    case 'C64':
    case 'I32':
      new Uint8Array(out.buffer).set(bytes);
      return out;
    case 'F64':
      out.set(view(bytes, Float64Array));
      return out;
    case 'I16':
      out.set(view(bytes, Int16Array));
      return out;
    case 'U16':
      out.set(view(bytes, Uint16Array));
      return out;
    case 'I8':
      out.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
      return out;
    case 'U8':
      out.set(bytes);
      return out;
    case 'BOOL':
      for (let i = 0; i < numel; i++) {
        if (bytes[i] > 1) fail(`BOOL element ${i} is the byte ${bytes[i]}, not 0 or 1`, i);
      }
      out.set(bytes);
      return out;
    case 'U32': {
      const u = view(bytes, Uint32Array);
      for (let i = 0; i < numel; i++) {
        if (u[i] > INT32_MAX) fail(`U32 element ${i} is ${u[i]}, which does not fit int32`, 4 * i);
        out[i] = u[i];
      }
      return out;
    }
    case 'I64':
    case 'U64': {
      const words = view(bytes, Int32Array);
      for (let i = 0; i < numel; i++) {
        const lo = words[2 * i];
        const hi = words[2 * i + 1];
        // A 64-bit value fits int32 exactly when its high word is the sign extension of the low word.
        const fits = d === 'I64' ? hi === lo >> 31 : hi === 0 && lo >= 0;
        if (!fits) {
          const big = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
          const value = d === 'U64' ? BigInt.asUintN(64, big) : big;
          fail(`${d} element ${i} is ${value}, which does not fit int32`, 8 * i);
        }
        out[i] = lo;
      }
      return out;
    }
    default:
      return fail(`dtype ${d} has no decoder`);
  }
}

/** Range of each integer type (inclusive). */
const INT_RANGE: Partial<Record<SafetensorsDType, [number, number]>> = {
  U8: [0, 255],
  I8: [-128, 127],
  I16: [-32768, 32767],
  U16: [0, 65535],
  I32: [INT32_MIN, INT32_MAX],
  U32: [0, 2 ** 32 - 1],
  // int64 values beyond 2^53 cannot come from a JS number exactly; the storage we write from holds at most float64.
  I64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  U64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * Encode storage values as dtype `d`, little-endian. `fail(problem, elementIndex)`
 * receives the index of the first value the target type cannot hold exactly.
 */
export function encodeElements(d: SafetensorsDType, src: Storage, fail: (problem: string, element: number) => never): Uint8Array {
  requireLittleEndianHost();
  if (SUB_BYTE_DTYPES.has(d)) fail(`writing ${d} from a tensor is not supported (pass raw bytes: { dtype, shape, bytes })`, 0);
  const mini = MINIFLOATS[d];
  if (mini) {
    const out = new Uint8Array((src.length * mini.bits) / 8);
    encodeMinifloats(mini, src, out, (i, v, max) => fail(`value ${v} is outside ${d}'s range (largest finite ${max}${mini.specials === 'e8m0' ? ', no negatives' : ''})`, i));
    return out;
  }
  switch (d) {
    case 'F32':
    case 'C64':
      return bytesOf(src instanceof Float32Array ? src : Float32Array.from(src));
    case 'F64':
      return bytesOf(src instanceof Float64Array ? src : Float64Array.from(src));
    case 'BOOL': {
      for (let i = 0; i < src.length; i++) if (src[i] !== 0 && src[i] !== 1) fail(`value ${src[i]} is not a bool (0 or 1)`, i);
      return Uint8Array.from(src);
    }
    default: {
      const range = INT_RANGE[d];
      if (!range) return fail(`dtype ${d} has no encoder`, 0);
      const [lo, hi] = range;
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        if (!Number.isInteger(v) || v < lo || v > hi) fail(`value ${v} is not an integer in ${d}'s range [${lo}, ${hi}]`, i);
      }
      return encodeIntegers(d, src);
    }
  }
}

function encodeIntegers(d: SafetensorsDType, src: Storage): Uint8Array {
  switch (d) {
    case 'U8':
      return Uint8Array.from(src);
    case 'I8':
      return bytesOf(Int8Array.from(src));
    case 'I16':
      return bytesOf(Int16Array.from(src));
    case 'U16':
      return bytesOf(Uint16Array.from(src));
    case 'I32':
      return bytesOf(src instanceof Int32Array ? src : Int32Array.from(src));
    case 'U32':
      return bytesOf(Uint32Array.from(src));
    default: {
      // I64 / U64 from values checked to be safe integers.
      const out = new BigInt64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = BigInt(src[i]);
      return bytesOf(out);
    }
  }
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
