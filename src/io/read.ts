/** CSV and IDX files on disk (Node), plain or gzip-compressed (detected by magic bytes). */
import type { Tensor } from '../tensor/tensor.js';
import { readMaybeGzip } from './bytes.js';
import { decodeCsvBytes, parseCsv, type CsvOptions, type CsvTable } from './csv.js';
import { idxToTensor, parseIdx, type IdxArray } from './idx.js';

/**
 * Read a CSV file (or .csv.gz).
 * @example
 * const t = readCsv('ETTh1.csv');
 * const dates = t.strings('date');           // raw strings
 * const x = t.tensor(t.numericColumns());     // float32 [rows, 7]
 */
export function readCsv(path: string, opts: CsvOptions = {}): CsvTable {
  return parseCsv(decodeCsvBytes(readMaybeGzip(path), path, opts.encoding), path, opts);
}

/** Read an IDX file (or its .gz), keeping the stored element type. */
export function readIdx(path: string): IdxArray {
  return parseIdx(readMaybeGzip(path), path);
}

/** Read an IDX file as a tensor (integer types → int32, floats → float32). */
export function readIdxTensor(path: string, opts: { keepFloat64?: boolean } = {}): Tensor {
  return idxToTensor(readIdx(path), opts);
}
