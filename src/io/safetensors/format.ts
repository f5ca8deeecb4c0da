/**
 * safetensors to and from bytes: no file system, so these run in a browser too.
 * File-level load/save (atomic writes) are in ./file.ts.
 */
import { Tensor } from '../../tensor/tensor.js';
import { shapeStr } from '../../tensor/shape.js';
import { FormatError } from '../errors.js';
import { decodeElements, encodeElements } from './codec.js';
import { DTYPE_BITS, SAFETENSORS_DTYPES, defaultStoredDType, isSafetensorsDType, loadedDType, type SafetensorsDType } from './dtypes.js';
import { MAX_HEADER_BYTES, readSafetensorsHeader, type SafetensorsEntry, type SafetensorsHeader } from './header.js';

export interface ParseOptions {
  /** Load F64 tensors as float64 instead of float32 (default false). */
  keepFloat64?: boolean;
  /** Load only these tensors (default: all). Naming one the file lacks is an error. */
  only?: readonly string[];
}

export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  /** The free-form `__metadata__` map ({} when absent). */
  metadata: Record<string, string>;
}

/**
 * Tensors and metadata from the bytes of a safetensors file. Stored dtypes map to
 * mlpkit dtypes as described in ./dtypes.ts (F16/BF16/F8/F64 → float32, integer
 * types → int32 with a range check, BOOL → bool).
 * @param name used in error messages (a path, or e.g. the URL the bytes came from)
 * @example
 * const { tensors, metadata } = parseSafetensors(new Uint8Array(await (await fetch(url)).arrayBuffer()), url);
 */
export function parseSafetensors(bytes: Uint8Array, name = '<buffer>', opts: ParseOptions = {}): SafetensorsContents {
  const header = readSafetensorsHeader(bytes, name);
  return { tensors: decodeTensors(header, name, opts, (e) => bytes.subarray(e.byteOffset, e.byteOffset + e.byteLength)), metadata: header.metadata };
}

/** @internal the tensors of a validated header, their bytes fetched by `bytesOf` (from memory or a file). */
export function decodeTensors(header: SafetensorsHeader, name: string, opts: ParseOptions, bytesOf: (e: SafetensorsEntry) => Uint8Array): Record<string, Tensor> {
  const wanted = opts.only ? new Set(opts.only) : null;
  if (wanted) {
    const have = new Set(header.entries.map((e) => e.name));
    for (const w of wanted) if (!have.has(w)) throw new FormatError(name, `has no tensor '${w}' (it has ${[...have].map((h) => `'${h}'`).join(', ') || 'none'})`);
  }
  const keepFloat64 = opts.keepFloat64 ?? false;
  const tensors: Record<string, Tensor> = {};
  for (const e of header.entries) {
    if (wanted && !wanted.has(e.name)) continue;
    const fail = (problem: string, byteInTensor?: number): never => {
      throw new FormatError(name, `tensor '${e.name}': ${problem}`, { byte: e.byteOffset + (byteInTensor ?? 0) });
    };
    const data = decodeElements(e.dtype, bytesOf(e), e.numel, keepFloat64, fail);
    const shape = e.dtype === 'C64' ? [...e.shape, 2] : e.shape;
    tensors[e.name] = new Tensor(data, shape, loadedDType(e.dtype, keepFloat64));
  }
  return tensors;
}

/** Bytes stored as they are, for dtypes mlpkit does not compute with (F4, F6) or pre-encoded data. */
export interface RawTensor {
  dtype: SafetensorsDType;
  shape: readonly number[];
  bytes: Uint8Array;
}

export interface SerializeOptions {
  /** The `__metadata__` map (string → string). */
  metadata?: Record<string, string>;
  /**
   * Stored dtype per tensor name, e.g. `{ 'fc.weight': 'BF16' }`. Default: float32 → F32,
   * float64 → F64, int32 → I32, bool → BOOL. Converting to a type that cannot hold a value
   * (an integer type from 2.5, I8 from 300, F8_E4M3 from 1000) is an error; F16/BF16 round
   * to nearest-even like torch's `.half()`/`.bfloat16()`. C64 takes a float tensor whose
   * last dimension is 2 (real, imaginary).
   */
  dtypes?: Record<string, SafetensorsDType>;
}

interface Prepared {
  name: string;
  dtype: SafetensorsDType;
  shape: readonly number[];
  bytes: Uint8Array;
}

/**
 * The bytes of a safetensors file holding `tensors`. Layout follows the reference
 * writer: tensors ordered by dtype (widest first) then name, so each starts aligned
 * to its element size, and the JSON header padded with spaces to a multiple of 8.
 * @example
 * const bytes = serializeSafetensors({ 'fc.weight': w, 'fc.bias': b }, { metadata: { format: 'pt' } });
 */
export function serializeSafetensors(tensors: Record<string, Tensor | RawTensor>, opts: SerializeOptions = {}): Uint8Array {
  const fail = (problem: string): never => {
    throw new Error(`serializeSafetensors: ${problem}`);
  };
  for (const key of Object.keys(opts.dtypes ?? {})) if (!(key in tensors)) fail(`dtypes names '${key}', which is not among the tensors`);
  const prepared: Prepared[] = Object.entries(tensors).map(([name, t]) => prepare(name, t, opts.dtypes?.[name], fail));
  const order = (d: SafetensorsDType): number => SAFETENSORS_DTYPES.indexOf(d);
  prepared.sort((a, b) => order(b.dtype) - order(a.dtype) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (opts.metadata !== undefined) {
    for (const [k, v] of Object.entries(opts.metadata)) if (typeof v !== 'string') fail(`metadata value for '${k}' is ${typeof v}, not a string`);
    header.__metadata__ = opts.metadata;
  }
  let offset = 0;
  for (const p of prepared) {
    header[p.name] = { dtype: p.dtype, shape: p.shape, data_offsets: [offset, offset + p.bytes.length] };
    offset += p.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const n = Math.ceil(json.length / 8) * 8;
  if (n > MAX_HEADER_BYTES) fail(`header of ${n} bytes exceeds the ${MAX_HEADER_BYTES}-byte limit`);

  const out = new Uint8Array(8 + n + offset);
  new DataView(out.buffer).setUint32(0, n, true); // high word stays 0: n ≤ 1e8
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let pos = 8 + n;
  for (const p of prepared) {
    out.set(p.bytes, pos);
    pos += p.bytes.length;
  }
  return out;
}

function prepare(name: string, t: Tensor | RawTensor, asked: SafetensorsDType | undefined, fail: (p: string) => never): Prepared {
  if (name === '__metadata__') fail("a tensor cannot be named '__metadata__' (the key is reserved for metadata)");
  if (t instanceof Tensor) {
    const dtype = asked ?? defaultStoredDType(t.dtype);
    if (!isSafetensorsDType(dtype)) fail(`tensor '${name}': unknown dtype '${String(dtype)}'`);
    let shape = t.shape;
    if (dtype === 'C64') {
      if (t.shape[t.ndim - 1] !== 2 || t.dtype === 'int32' || t.dtype === 'bool') {
        fail(`tensor '${name}': C64 needs a float tensor whose last dimension is 2 (real, imaginary), got ${t.dtype} ${shapeStr(t.shape)}`);
      }
      shape = t.shape.slice(0, -1);
    }
    const bytes = encodeElements(dtype, t.data, (problem, i) => fail(`tensor '${name}' as ${dtype}: element ${i}: ${problem}`));
    return { name, dtype, shape, bytes };
  }
  const { dtype, shape, bytes } = t;
  if (asked !== undefined && asked !== dtype) fail(`tensor '${name}' is raw ${dtype} bytes; dtypes asks for ${asked}`);
  if (!isSafetensorsDType(dtype)) fail(`tensor '${name}': unknown dtype '${String(dtype)}'`);
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) fail(`tensor '${name}': shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!(bytes instanceof Uint8Array)) fail(`tensor '${name}': raw bytes must be a Uint8Array`);
  const bits = shape.reduce((a, s) => a * s, 1) * DTYPE_BITS[dtype];
  if (bits % 8 !== 0 || bits / 8 !== bytes.length) {
    fail(`tensor '${name}': shape ${shapeStr(shape)} of ${dtype} needs ${bits / 8} bytes, got ${bytes.length}`);
  }
  return { name, dtype, shape: [...shape], bytes };
}
