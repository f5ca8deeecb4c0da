/**
 * Reading and validating a safetensors header (works on bytes, so in the browser too).
 *
 * Layout: 8 bytes little-endian u64 N · N bytes of UTF-8 JSON (starting with '{',
 * optionally padded with spaces) · the data section. The JSON maps tensor names
 * to { dtype, shape, data_offsets: [begin, end) relative to the data section },
 * plus an optional "__metadata__" map of string → string. The data section
 * must be covered exactly: no gaps, no overlaps, no trailing bytes.
 */
import { FormatError } from '../errors.js';
import { DTYPE_BITS, isSafetensorsDType, type SafetensorsDType } from './dtypes.js';

/** Largest header the reference implementation accepts (bytes). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** [begin, end) relative to the data section, as stored. */
  dataOffsets: [number, number];
  /** Absolute byte offset of the tensor's first byte in the file. */
  byteOffset: number;
  byteLength: number;
  numel: number;
}

export interface SafetensorsHeader {
  /** N, the JSON header's length in bytes. */
  headerLength: number;
  /** Absolute offset of the data section (8 + N). */
  dataStart: number;
  /** Entries sorted by their position in the data section. */
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
}

const TENSOR_KEYS = ['dtype', 'shape', 'data_offsets'];

/**
 * Parse and validate the header of a safetensors file held in `bytes`.
 * Throws a {@link FormatError} naming `name` and the byte offset of the problem.
 * @param fileLength the whole file's length when `bytes` holds only its start
 *   (at least the 8 + N header bytes, or all of a shorter file)
 */
export function readSafetensorsHeader(bytes: Uint8Array, name = '<buffer>', fileLength = bytes.length): SafetensorsHeader {
  const fail = (problem: string, byte?: number): never => {
    throw new FormatError(name, problem, byte === undefined ? {} : { byte });
  };
  if (fileLength < 8) fail(`file is ${fileLength} bytes long, too short for the 8-byte header length`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER_BYTES) {
    fail(`header length ${(BigInt(hi) << 32n) | BigInt(lo)} exceeds the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file, or corrupt)`, 0);
  }
  const n = lo;
  const dataStart = 8 + n;
  if (dataStart > fileLength) {
    fail(`header length ${n} runs past the end of the file: the header would end at byte ${dataStart} but the file is ${fileLength} bytes long (truncated?)`, 0);
  }
  if (dataStart > bytes.length) throw new Error(`readSafetensorsHeader: ${name}: given ${bytes.length} bytes, fewer than the ${dataStart}-byte header`);
  const headerBytes = bytes.subarray(8, dataStart);
  const badUtf8 = firstInvalidUtf8(headerBytes);
  if (badUtf8 >= 0) fail('header is not valid UTF-8', 8 + badUtf8);
  if (n === 0 || headerBytes[0] !== 0x7b) fail(`header must begin with '{', found ${n === 0 ? 'an empty header' : `byte 0x${headerBytes[0].toString(16).padStart(2, '0')}`}`, 8);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  const byteOfChar = (charPos: number): number => 8 + new TextEncoder().encode(text.slice(0, charPos)).length;

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(String((e as Error).message));
    fail(`header is not valid JSON: ${(e as Error).message}`, pos ? byteOfChar(Number(pos[1])) : 8);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('header JSON is not an object', 8);
  const header = json as Record<string, unknown>;

  const keyPositions = topLevelKeyPositions(text);
  const seen = new Set<string>();
  for (const [key, pos] of keyPositions) {
    if (seen.has(key)) fail(`header has the key '${key}' twice`, byteOfChar(pos));
    seen.add(key);
  }
  const keyByte = (key: string): number => byteOfChar(keyPositions.find(([k]) => k === key)?.[1] ?? 0);

  const metadata = readMetadata(header.__metadata__, (p) => fail(p, keyByte('__metadata__')));
  const dataLength = fileLength - dataStart;
  const entries: SafetensorsEntry[] = [];
  for (const [tensorName, info] of Object.entries(header)) {
    if (tensorName === '__metadata__') continue;
    const tfail = (problem: string): never => fail(`tensor '${tensorName}': ${problem}`, keyByte(tensorName));
    entries.push(readEntry(tensorName, info, dataStart, tfail));
  }

  entries.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let expected = 0;
  let previous: SafetensorsEntry | null = null;
  for (const e of entries) {
    const [begin, end] = e.dataOffsets;
    if (begin < expected) {
      fail(`tensor '${e.name}': data_offsets [${begin}, ${end}] overlap tensor '${previous!.name}' [${previous!.dataOffsets.join(', ')}]`, keyByte(e.name));
    }
    if (begin > expected) {
      fail(`tensor '${e.name}': data_offsets [${begin}, ${end}] leave a gap of ${begin - expected} bytes after data byte ${expected} (the data section must have no holes)`, keyByte(e.name));
    }
    if (end > dataLength) {
      fail(`tensor '${e.name}': data_offsets [${begin}, ${end}] reach past the end of the data section (${dataLength} bytes; the tensor would end at byte ${dataStart + end} of a ${fileLength}-byte file, truncated?)`, dataStart + begin);
    }
    expected = end;
    previous = e;
  }
  if (expected !== dataLength) {
    fail(`${dataLength - expected} bytes after the last tensor are not covered by any tensor (the data section must be indexed entirely)`, dataStart + expected);
  }
  return { headerLength: n, dataStart, entries, metadata };
}

function readEntry(name: string, info: unknown, dataStart: number, fail: (problem: string) => never): SafetensorsEntry {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('entry is not an object of {dtype, shape, data_offsets}');
  const o = info as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!TENSOR_KEYS.includes(k)) fail(`unexpected field '${k}' (expected only dtype, shape, data_offsets)`);
  for (const k of TENSOR_KEYS) if (!(k in o)) fail(`missing field '${k}'`);
  const { dtype, shape, data_offsets: offsets } = o;
  if (!isSafetensorsDType(dtype)) fail(`unknown dtype ${JSON.stringify(dtype)}`);
  const d = dtype as SafetensorsDType;
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) fail(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`data_offsets [${begin}, ${end}] end before they begin`);
  let numel = 1;
  for (const s of shape as number[]) numel *= s;
  const bits = numel * DTYPE_BITS[d];
  if (!Number.isSafeInteger(bits)) fail(`shape ${JSON.stringify(shape)} has too many elements`);
  if (bits % 8 !== 0) fail(`shape ${JSON.stringify(shape)} of ${d} (${DTYPE_BITS[d]} bits each) does not fill a whole number of bytes`);
  if (bits / 8 !== end - begin) {
    fail(`shape ${JSON.stringify(shape)} of ${d} needs ${bits / 8} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: d, shape: shape as number[], dataOffsets: [begin, end], byteOffset: dataStart + begin, byteLength: end - begin, numel };
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function readMetadata(m: unknown, fail: (problem: string) => never): Record<string, string> {
  if (m === undefined) return {};
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('__metadata__ is not an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(`__metadata__ value for '${k}' is ${JSON.stringify(v)}, not a string`);
    out[k] = v as string;
  }
  return out;
}

/**
 * The top-level keys of a JSON object text with their character positions, in
 * order, duplicates included (JSON.parse silently keeps the last duplicate; the
 * format forbids them). The text is known to be valid JSON.
 */
function topLevelKeyPositions(text: string): [string, number][] {
  const keys: [string, number][] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth === 1) {
        let j = i + 1;
        while (j < text.length && ' \t\r\n'.includes(text[j])) j++;
        if (text[j] === ':') keys.push([JSON.parse(text.slice(start, i + 1)) as string, start]);
      }
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

/** Offset of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included), or −1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min, cp] = [1, 0x80, c & 0x1f];
    else if (c >= 0xe0 && c <= 0xef) [need, min, cp] = [2, 0x800, c & 0x0f];
    else if (c >= 0xf0 && c <= 0xf4) [need, min, cp] = [3, 0x10000, c & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (i + k >= b.length || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
