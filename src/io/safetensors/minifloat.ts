/**
 * Small floating-point formats (float16, bfloat16 and the 8-bit formats of the
 * safetensors spec), decoded through 2^bits lookup tables built from the
 * format's definition, and encoded by round-to-nearest-even.
 *
 * Tables rather than bit tricks: the table is the readable definition
 * (sign · 2^(e − bias) · 1.m, subnormals at e = 0, and the format's NaN/Inf
 * rule), and a lookup is also the fastest decoder in JS.
 */

/** How a format spends its top codes. */
type Specials =
  /** IEEE 754 style: all-ones exponent is Inf (mantissa 0) or NaN. */
  | 'ieee'
  /** "FN" (finite, with NaN): only the all-ones code of each sign is NaN; no Inf. */
  | 'fn'
  /** "FNUZ": no Inf, no negative zero; the negative-zero code 0x80 is the only NaN. */
  | 'fnuz'
  /** Unsigned exponent-only format (E8M0): 2^(e − 127), all-ones is NaN. */
  | 'e8m0';

export interface MinifloatFormat {
  readonly name: string;
  readonly bits: 8 | 16;
  readonly expBits: number;
  readonly manBits: number;
  readonly bias: number;
  readonly specials: Specials;
}

export const FORMATS = {
  F16: { name: 'F16', bits: 16, expBits: 5, manBits: 10, bias: 15, specials: 'ieee' },
  BF16: { name: 'BF16', bits: 16, expBits: 8, manBits: 7, bias: 127, specials: 'ieee' },
  F8_E5M2: { name: 'F8_E5M2', bits: 8, expBits: 5, manBits: 2, bias: 15, specials: 'ieee' },
  F8_E4M3: { name: 'F8_E4M3', bits: 8, expBits: 4, manBits: 3, bias: 7, specials: 'fn' },
  F8_E4M3FNUZ: { name: 'F8_E4M3FNUZ', bits: 8, expBits: 4, manBits: 3, bias: 8, specials: 'fnuz' },
  F8_E5M2FNUZ: { name: 'F8_E5M2FNUZ', bits: 8, expBits: 5, manBits: 2, bias: 16, specials: 'fnuz' },
  F8_E8M0: { name: 'F8_E8M0', bits: 8, expBits: 8, manBits: 0, bias: 127, specials: 'e8m0' },
} as const satisfies Record<string, MinifloatFormat>;

export type MinifloatName = keyof typeof FORMATS;

/** The value of one code of a format (the definition every table is built from). */
export function minifloatValue(f: MinifloatFormat, code: number): number {
  if (f.specials === 'e8m0') return code === 0xff ? NaN : 2 ** (code - f.bias);
  const signBit = 1 << (f.bits - 1);
  const sign = code & signBit ? -1 : 1;
  const e = (code >> f.manBits) & ((1 << f.expBits) - 1);
  const m = code & ((1 << f.manBits) - 1);
  const eMax = (1 << f.expBits) - 1;
  const mMax = (1 << f.manBits) - 1;
  if (f.specials === 'ieee' && e === eMax) return m === 0 ? sign * Infinity : NaN;
  if (f.specials === 'fn' && e === eMax && m === mMax) return NaN;
  if (f.specials === 'fnuz' && code === signBit) return NaN;
  const frac = m / 2 ** f.manBits;
  return e === 0 ? sign * 2 ** (1 - f.bias) * frac : sign * 2 ** (e - f.bias) * (1 + frac);
}

const decodeTables = new Map<string, Float32Array>();

/** code → value table (2^bits entries), built on first use. */
export function decodeTable(f: MinifloatFormat): Float32Array {
  let t = decodeTables.get(f.name);
  if (!t) {
    t = new Float32Array(2 ** f.bits);
    for (let c = 0; c < t.length; c++) t[c] = minifloatValue(f, c);
    decodeTables.set(f.name, t);
  }
  return t;
}

/** Decode `count` little-endian codes starting at `bytes[0]` into float32. */
export function decodeMinifloats(f: MinifloatFormat, bytes: Uint8Array, out: Float32Array): void {
  const n = out.length;
  if (f.name === 'BF16') {
    // bfloat16 is the top half of a float32: place the bits directly (exact, and no 256 KiB table).
    const bits = new Uint32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) bits[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
    return;
  }
  const table = decodeTable(f);
  if (f.bits === 8) {
    for (let i = 0; i < n; i++) out[i] = table[bytes[i]];
  } else {
    for (let i = 0; i < n; i++) out[i] = table[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
  }
}

// ---------------------------------------------------------------- encoding

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Nearest bfloat16 code (ties to even), NaN kept as a quiet NaN. */
function encodeBf16(v: number): number {
  f32[0] = v;
  const x = u32[0];
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  const rounded = x + 0x7fff + ((x >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

/**
 * Finite, positive codes of a format sorted by value, for nearest-value search.
 * Codes within a sign are monotone in value, so this is just the positive half.
 */
function positiveCodes(f: MinifloatFormat): { values: Float64Array; maxFinite: number } {
  const half = f.specials === 'e8m0' ? 2 ** f.bits : 2 ** (f.bits - 1);
  const values: number[] = [];
  for (let c = 0; c < half; c++) {
    const v = minifloatValue(f, c);
    if (!Number.isFinite(v)) break;
    values.push(v);
  }
  return { values: Float64Array.from(values), maxFinite: values[values.length - 1] };
}

const encodeTables = new Map<string, ReturnType<typeof positiveCodes>>();

/**
 * Encode float values into a format by round-to-nearest, ties to the even code.
 * For IEEE-style formats with an Inf (F16, BF16, F8_E5M2), values past the
 * largest finite value round to ±Inf as IEEE 754 requires; formats without an
 * Inf have no honest answer there, so `onOverflow(index, value, maxFinite)` is
 * called (the caller throws). NaN maps to the format's NaN.
 */
export function encodeMinifloats(
  f: MinifloatFormat,
  src: ArrayLike<number>,
  out: Uint8Array,
  onOverflow: (index: number, value: number, maxFinite: number) => never,
): void {
  const n = src.length;
  if (f.name === 'BF16') {
    for (let i = 0; i < n; i++) {
      const c = encodeBf16(src[i]);
      out[2 * i] = c & 0xff;
      out[2 * i + 1] = c >>> 8;
    }
    return;
  }
  let table = encodeTables.get(f.name);
  if (!table) encodeTables.set(f.name, (table = positiveCodes(f)));
  const { values, maxFinite } = table;
  const signBit = f.specials === 'e8m0' ? 0 : 1 << (f.bits - 1);
  const nanCode = f.specials === 'fnuz' ? signBit : f.specials === 'e8m0' ? 0xff : (2 ** f.bits - 1) & ~signBit;
  const infCode = ((1 << f.expBits) - 1) << f.manBits;
  const maxIndex = values.length - 1;
  const halfUlp = (maxFinite - values[maxIndex - 1]) / 2;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    let code: number;
    if (Number.isNaN(v)) code = nanCode;
    else {
      const negative = v < 0 || Object.is(v, -0);
      if (negative && f.specials === 'e8m0') onOverflow(i, v, maxFinite);
      const a = Math.abs(v);
      if (a <= maxFinite) code = nearestCode(values, a);
      // Past the largest value, round-to-nearest still lands on it within half an ulp (ties to even code).
      else if (f.specials !== 'e8m0' && (a < maxFinite + halfUlp || (a === maxFinite + halfUlp && maxIndex % 2 === 0))) code = maxIndex;
      else if (f.specials === 'ieee') code = infCode;
      else onOverflow(i, v, maxFinite);
      // fnuz has no negative zero: −0 and negatives rounding to 0 are +0.
      if (negative && !(f.specials === 'fnuz' && code === 0)) code |= signBit;
    }
    if (f.bits === 8) out[i] = code;
    else {
      out[2 * i] = code & 0xff;
      out[2 * i + 1] = code >>> 8;
    }
  }
}

/** Index of the value nearest to a (0 ≤ a ≤ max), ties to the even index (even mantissa). */
function nearestCode(values: Float64Array, a: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= a) lo = mid;
    else hi = mid;
  }
  const dLo = a - values[lo];
  const dHi = values[hi] - a;
  if (dLo < dHi) return lo;
  if (dHi < dLo) return hi;
  return lo % 2 === 0 ? lo : hi;
}
