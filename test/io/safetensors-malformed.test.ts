/**
 * Malformed safetensors files: every one must be refused with a FormatError that
 * names the file (and a byte offset where one makes sense) — never a crash, a
 * hang, a different exception type or silently wrong numbers.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { FormatError, parseSafetensors } from '../../src/io/index.js';

const NAME = 'model.safetensors';
const TORCH_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'io', 'torch_dtypes.safetensors');
const good = new Uint8Array(readFileSync(TORCH_FILE));

/** A file from a header (object or raw JSON text), a data section and optionally a forged length. */
function build(header: object | string, data: Uint8Array = new Uint8Array(0), length?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** The FormatError parsing `bytes` throws (fails the test if it throws anything else, or nothing). */
function formatError(bytes: Uint8Array): FormatError {
  try {
    parseSafetensors(bytes, NAME);
  } catch (e) {
    if (!(e instanceof FormatError)) throw new Error(`expected a FormatError, got ${String(e)}`);
    expect(e.message.startsWith(`${NAME}: `), e.message).toBe(true);
    expect(e.file).toBe(NAME);
    return e;
  }
  throw new Error('expected a FormatError, but the file parsed');
}

const f32 = (shape: number[], begin: number, end: number): object => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('safetensors: malformed files', () => {
  it('truncation at every prefix length is an error naming the file', () => {
    for (let n = 0; n < good.length; n++) {
      const e = formatError(good.subarray(0, n));
      expect(e.location.byte, `prefix ${n}: ${e.message}`).toBeTypeOf('number');
    }
  });

  it('random byte flips in the header either fail cleanly or still give a valid file', () => {
    const g = new Generator(7);
    const headerEnd = 8 + Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    let refused = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = good.slice();
      const flips = 1 + g.randint(0, 3);
      for (let k = 0; k < flips; k++) bytes[g.randint(0, headerEnd)] ^= 1 << g.randint(0, 8);
      try {
        const { tensors } = parseSafetensors(bytes, NAME);
        // A flip that keeps the file valid (e.g. in a name or a metadata string) must keep every tensor consistent.
        for (const t of Object.values(tensors)) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
      } catch (e) {
        if (!(e instanceof FormatError) || !e.message.startsWith(`${NAME}: `)) throw e;
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(2000);
  });

  it('header length larger than the file, or beyond the 100 MB limit', () => {
    const hdr = { x: f32([1], 0, 4) };
    expect(formatError(build(hdr, new Uint8Array(4), 1000n)).message).toMatch(/header length 1000 runs past the end of the file.*\(at byte 0\)/);
    expect(formatError(build(hdr, new Uint8Array(4), 2n ** 40n)).message).toMatch(/header length 1099511627776 exceeds the 100000000-byte limit/);
    expect(formatError(build(hdr, new Uint8Array(4), 2n ** 64n - 1n)).message).toMatch(/exceeds/);
    expect(formatError(new Uint8Array(5)).message).toMatch(/5 bytes long, too short/);
  });

  it('overlapping, gapped and out-of-range data offsets', () => {
    const data = new Uint8Array(16);
    expect(formatError(build({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, data)).message).toMatch(/tensor 'b': data_offsets \[4, 12\] overlap tensor 'a' \[0, 8\]/);
    expect(formatError(build({ a: f32([2], 0, 8), b: f32([1], 12, 16) }, data)).message).toMatch(/tensor 'b'.*gap of 4 bytes/);
    expect(formatError(build({ a: f32([2], 4, 12) }, data)).message).toMatch(/tensor 'a'.*gap of 4 bytes after data byte 0/);
    const past = formatError(build({ a: f32([2], 0, 8), b: f32([4], 8, 24) }, data));
    expect(past.message).toMatch(/tensor 'b': data_offsets \[8, 24\] reach past the end of the data section \(16 bytes/);
    expect(formatError(build({ a: f32([2], 0, 8) }, data)).message).toMatch(/8 bytes after the last tensor are not covered/);
    expect(formatError(build({ a: f32([2], 8, 0) }, data)).message).toMatch(/end before they begin/);
    expect(formatError(build({ a: f32([2], 0, 8), b: f32([2], 0, 8) }, data)).message).toMatch(/overlap/);
  });

  it('byte length must equal numel × element size', () => {
    const e = formatError(build({ a: f32([3], 0, 8) }, new Uint8Array(8)));
    expect(e.message).toMatch(/tensor 'a': shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] span 8/);
    expect(e.location.byte).toBe(9); // where "a" starts in the header
    expect(formatError(build({ a: { dtype: 'F4', shape: [3], data_offsets: [0, 2] } }, new Uint8Array(2))).message).toMatch(/does not fill a whole number of bytes/);
    expect(formatError(build({ a: f32([2 ** 40, 2 ** 40], 0, 4) }, new Uint8Array(4))).message).toMatch(/too many elements/);
  });

  it('bad shapes, dtypes and fields', () => {
    const d4 = new Uint8Array(4);
    expect(formatError(build({ a: f32([-1], 0, 4) }, d4)).message).toMatch(/shape \[-1\] is not a list of non-negative integers/);
    expect(formatError(build({ a: f32([1.5], 0, 4) }, d4)).message).toMatch(/shape \[1.5\]/);
    expect(formatError(build({ a: { dtype: 'F32', shape: '1', data_offsets: [0, 4] } }, d4)).message).toMatch(/shape "1"/);
    expect(formatError(build({ a: { dtype: 'F31', shape: [1], data_offsets: [0, 4] } }, d4)).message).toMatch(/unknown dtype "F31"/);
    expect(formatError(build({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, d4)).message).toMatch(/data_offsets \[0\] is not a pair/);
    expect(formatError(build({ a: { dtype: 'F32', shape: [1] } }, d4)).message).toMatch(/missing field 'data_offsets'/);
    expect(formatError(build({ a: { ...f32([1], 0, 4), offset: 3 } }, d4)).message).toMatch(/unexpected field 'offset'/);
    expect(formatError(build({ a: [1, 2] }, d4)).message).toMatch(/tensor 'a': entry is not an object/);
    expect(formatError(build({ __metadata__: { a: 1 } })).message).toMatch(/__metadata__ value for 'a' is 1, not a string/);
    expect(formatError(build({ __metadata__: ['x'] })).message).toMatch(/__metadata__ is not an object/);
  });

  it('header text: must be UTF-8 JSON object starting with {, without duplicate keys', () => {
    const d4 = new Uint8Array(4);
    const bad = build('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} ', d4);
    bad[8 + 2] = 0xff; // inside the name "a"
    expect(formatError(bad)).toMatchObject({ problem: 'header is not valid UTF-8', location: { byte: 10 } });
    expect(formatError(build(' {}')).message).toMatch(/must begin with '\{', found byte 0x20 \(at byte 8\)/);
    expect(formatError(build('')).message).toMatch(/found an empty header/);
    const json = formatError(build('{"a":{"dtype":"F32",}}'));
    expect(json.message).toMatch(/header is not valid JSON/);
    expect(json.location.byte).toBe(8 + 20);
    expect(formatError(build('{"a": 1')).message).toMatch(/not valid JSON/);
    expect(formatError(build('[1, 2]')).message).toMatch(/must begin with '\{'/);
    const dup = formatError(build('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', d4));
    expect(dup.message).toMatch(/the key 'a' twice/);
    expect(dup.location.byte).toBe(8 + 55);
    // Keys nested deeper (here inside a metadata value) are not top-level duplicates.
    expect(parseSafetensors(build('{"__metadata__":{"a":"{\\"a\\":1}"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', d4)).metadata).toEqual({ a: '{"a":1}' });
  });

  it('values that do not fit mlpkit dtypes are refused, with the byte offset of the element', () => {
    const i64 = new Uint8Array(16);
    new DataView(i64.buffer).setBigInt64(8, 2n ** 40n, true);
    const e = formatError(build({ a: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, i64));
    expect(e.message).toMatch(/tensor 'a': I64 element 1 is 1099511627776, which does not fit int32/);
    const headerLen = e.location.byte! - 8 - 8;
    expect(headerLen).toBeGreaterThan(0);
    new DataView(i64.buffer).setBigInt64(8, -(2n ** 31n) - 1n, true);
    expect(formatError(build({ a: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, i64)).message).toMatch(/-2147483649/);
    new DataView(i64.buffer).setBigUint64(8, 2n ** 64n - 1n, true);
    expect(formatError(build({ a: { dtype: 'U64', shape: [2], data_offsets: [0, 16] } }, i64)).message).toMatch(/U64 element 1 is 18446744073709551615/);
    expect(formatError(build({ a: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, Uint8Array.of(0, 0, 0, 0x80))).message).toMatch(/U32 element 0 is 2147483648/);
    expect(formatError(build({ m: { dtype: 'BOOL', shape: [3], data_offsets: [0, 3] } }, Uint8Array.of(0, 1, 2))).message).toMatch(/BOOL element 2 is the byte 2/);
  });

  it('only: naming a missing tensor is an error', () => {
    expect(() => parseSafetensors(good, NAME, { only: ['nope'] })).toThrow(/model\.safetensors: has no tensor 'nope'/);
  });
});
