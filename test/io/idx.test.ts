import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, idxToTensor, parseIdx, readIdx, readIdxTensor } from '../../src/io/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mlpkit-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file written the way the format describes it: big-endian everything. */
function idx(code: number, shape: number[], values: number[], put: (dv: DataView, at: number, v: number) => void, size: number): Uint8Array {
  const head = 4 + 4 * shape.length;
  const out = new Uint8Array(head + values.length * size);
  const dv = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => put(dv, head + i * size, v));
  return out;
}

function errorOf(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

describe('IDX', () => {
  it('reads every element type, big-endian', () => {
    const cases = [
      { code: 0x08, type: 'uint8', values: [0, 255, 7], put: (d: DataView, a: number, v: number) => d.setUint8(a, v), size: 1 },
      { code: 0x09, type: 'int8', values: [-128, 127, 0], put: (d: DataView, a: number, v: number) => d.setInt8(a, v), size: 1 },
      { code: 0x0b, type: 'int16', values: [-32768, 258, 32767], put: (d: DataView, a: number, v: number) => d.setInt16(a, v, false), size: 2 },
      { code: 0x0c, type: 'int32', values: [-(2 ** 31), 16909060, 2 ** 31 - 1], put: (d: DataView, a: number, v: number) => d.setInt32(a, v, false), size: 4 },
      { code: 0x0d, type: 'float32', values: [1.5, -0.25, 1e30], put: (d: DataView, a: number, v: number) => d.setFloat32(a, v, false), size: 4 },
      { code: 0x0e, type: 'float64', values: [Math.PI, -1e300, 0.1], put: (d: DataView, a: number, v: number) => d.setFloat64(a, v, false), size: 8 },
    ];
    for (const c of cases) {
      const a = parseIdx(idx(c.code, [3, 1], c.values, c.put, c.size), c.type);
      expect(a.type).toBe(c.type);
      expect(a.shape).toEqual([3, 1]);
      expect([...a.data], c.type).toEqual(c.type === 'float32' ? c.values.map(Math.fround) : c.values);
    }
    const t = idxToTensor(parseIdx(idx(0x08, [2, 2], [1, 2, 3, 4], (d, a, v) => d.setUint8(a, v), 1)));
    expect(t.dtype).toBe('int32');
    expect(t.shape).toEqual([2, 2]);
    const f = parseIdx(idx(0x0e, [1], [0.1], (d, a, v) => d.setFloat64(a, v, false), 8));
    expect(idxToTensor(f).dtype).toBe('float32');
    expect(idxToTensor(f, { keepFloat64: true }).data[0]).toBe(0.1);
  });

  it('reads plain and gzip files', () => {
    const bytes = idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6], (d, a, v) => d.setUint8(a, v), 1);
    writeFileSync(join(dir, 'x-idx2-ubyte'), bytes);
    writeFileSync(join(dir, 'x-idx2-ubyte.gz'), gzipSync(bytes));
    for (const f of ['x-idx2-ubyte', 'x-idx2-ubyte.gz']) {
      expect([...readIdx(join(dir, f)).data]).toEqual([1, 2, 3, 4, 5, 6]);
      expect(readIdxTensor(join(dir, f)).shape).toEqual([2, 3]);
    }
  });

  it('malformed files: errors name the file and the byte offset', () => {
    const good = idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6], (d, a, v) => d.setUint8(a, v), 1);
    for (let n = 0; n < good.length; n++) {
      const e = errorOf(() => parseIdx(good.subarray(0, n), 'cut'));
      expect(e.message.startsWith('cut: '), e.message).toBe(true);
      expect(e.location.byte).toBeTypeOf('number');
    }
    expect(errorOf(() => parseIdx(good.subarray(0, 14), 'cut')).message).toBe(
      'cut: truncated: shape [2, 3] of uint8 needs 6 bytes of data after the 12-byte header, the file has 2 (at byte 14)',
    );
    const magic = good.slice();
    magic[0] = 0x1f;
    expect(errorOf(() => parseIdx(magic, 'm')).message).toMatch(/^m: not an IDX file: magic number starts 0x1F00.*\(at byte 0\)/);
    const code = good.slice();
    code[2] = 0x0a;
    expect(errorOf(() => parseIdx(code, 'c')).message).toMatch(/unknown IDX element type code 0x0A .*\(at byte 2\)/);
    const extra = new Uint8Array(good.length + 3);
    extra.set(good);
    expect(errorOf(() => parseIdx(extra, 'x')).message).toMatch(/3 unexpected bytes after the data .*\(at byte 18\)/);
    const huge = idx(0x0e, [0xffffffff, 0xffffffff, 0xffffffff], [], () => {}, 8);
    expect(errorOf(() => parseIdx(huge, 'h')).message).toMatch(/h: truncated: shape \[4294967295, 4294967295, 4294967295\]/);
  });
});
