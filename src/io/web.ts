/**
 * The part of mlpkit's io that needs no file system (bytes in, bytes out), for
 * browsers and bundlers: import from here instead of ./index.js to keep node:fs
 * and node:zlib out of a bundle.
 */
export { FormatError } from './errors.js';
export type { FormatLocation } from './errors.js';
export { SAFETENSORS_DTYPES } from './safetensors/dtypes.js';
export type { SafetensorsDType } from './safetensors/dtypes.js';
export { readSafetensorsHeader, MAX_HEADER_BYTES } from './safetensors/header.js';
export type { SafetensorsEntry, SafetensorsHeader } from './safetensors/header.js';
export { parseSafetensors, serializeSafetensors } from './safetensors/format.js';
export type { ParseOptions, RawTensor, SafetensorsContents, SerializeOptions } from './safetensors/format.js';
export { parseCsv, decodeCsvBytes, CsvTable } from './csv.js';
export type { CsvOptions, NumericOptions } from './csv.js';
export { parseIdx, idxToTensor } from './idx.js';
export type { IdxArray, IdxData, IdxElementType } from './idx.js';
