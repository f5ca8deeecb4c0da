/**
 * Files in and out: safetensors (read/write, atomic saves), CSV and IDX readers
 * (plain or gzip). The byte-level functions (parse*, serialize*) need no file
 * system and run in a browser.
 */
export * from './web.js';
export { loadSafetensors, loadSafetensorsFile, inspectSafetensors, saveSafetensors } from './safetensors/file.js';
export { writeFileAtomicSync } from './atomic.js';
export { isGzip, gunzipIfNeeded, readMaybeGzip } from './bytes.js';
export { readCsv, readIdx, readIdxTensor } from './read.js';
export { readJsonObject } from './json.js';
