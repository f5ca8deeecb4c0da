/**
 * The IDX format of MNIST and its relatives (bytes in, arrays out; no file
 * system, so usable in a browser):
 *
 *   bytes 0–1  zero
 *   byte  2    element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *   byte  3    number of dimensions d
 *   4·d bytes  dimension sizes, big-endian uint32
 *   then the elements, big-endian, row-major
 */
import { Tensor } from '../tensor/tensor.js';
import { allocStorage } from '../tensor/dtype.js';
import { FormatError } from './errors.js';

export type IdxElementType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  shape: number[];
  type: IdxElementType;
  /** Elements in host order, row-major. */
  data: IdxData;
}

const TYPES: Record<number, { type: IdxElementType; size: number }> = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
};

/** Parse IDX bytes; errors name `name` and the byte offset. */
export function parseIdx(bytes: Uint8Array, name = '<buffer>'): IdxArray {
  const fail = (problem: string, byte: number): never => {
    throw new FormatError(name, problem, { byte });
  };
  if (bytes.length < 4) fail(`file is ${bytes.length} bytes long, too short for the 4-byte IDX magic number`, 0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`not an IDX file: magic number starts 0x${hex(bytes[0])}${hex(bytes[1])}, expected 0x0000 (gzip data should be decompressed first)`, 0);
  }
  const t = TYPES[bytes[2]];
  if (!t) fail(`unknown IDX element type code 0x${hex(bytes[2])} (expected 08, 09, 0B, 0C, 0D or 0E)`, 2);
  const ndim = bytes[3];
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) fail(`header declares ${ndim} dimensions (${headerLength} bytes) but the file is ${bytes.length} bytes long`, bytes.length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let numel = 1;
  for (let i = 0; i < ndim; i++) {
    const d = dv.getUint32(4 + 4 * i, false);
    shape.push(d);
    numel *= d;
  }
  const dataLength = numel * t.size;
  if (!Number.isSafeInteger(dataLength) || headerLength + dataLength > bytes.length) {
    fail(`truncated: shape [${shape.join(', ')}] of ${t.type} needs ${dataLength} bytes of data after the ${headerLength}-byte header, the file has ${bytes.length - headerLength}`, bytes.length);
  }
  if (headerLength + dataLength !== bytes.length) {
    fail(`${bytes.length - headerLength - dataLength} unexpected bytes after the data of shape [${shape.join(', ')}] (${t.type})`, headerLength + dataLength);
  }
  return { shape, type: t.type, data: readElements(t.type, dv, headerLength, numel) };
}

function readElements(type: IdxElementType, dv: DataView, at: number, n: number): IdxData {
  switch (type) {
    case 'uint8':
      return new Uint8Array(dv.buffer, dv.byteOffset + at, n).slice();
    case 'int8':
      return new Int8Array(dv.buffer, dv.byteOffset + at, n).slice();
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt16(at + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt32(at + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(at + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

/**
 * An IDX array as a tensor: integer types → int32, float32 → float32,
 * float64 → float32 (or float64 with keepFloat64).
 */
export function idxToTensor(a: IdxArray, opts: { keepFloat64?: boolean } = {}): Tensor {
  const dtype = a.type === 'float64' ? (opts.keepFloat64 ? 'float64' : 'float32') : a.type === 'float32' ? 'float32' : 'int32';
  const data = allocStorage(dtype, a.data.length);
  data.set(a.data);
  return new Tensor(data, a.shape, dtype);
}

const hex = (b: number): string => b.toString(16).padStart(2, '0').toUpperCase();
