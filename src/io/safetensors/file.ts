/**
 * safetensors files on disk (Node). Loading reads and validates the header
 * first, then reads each tensor's bytes from its offset (so files larger than
 * one Node buffer load too, and `only` reads just the tensors asked for);
 * saving is atomic (see ../atomic.ts).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openFileForReading } from '../bytes.js';
import type { Tensor } from '../../tensor/tensor.js';
import { writeFileAtomicSync, type AtomicWriteHooks } from '../atomic.js';
import { FormatError } from '../errors.js';
import { decodeTensors, serializeSafetensors, type ParseOptions, type RawTensor, type SafetensorsContents, type SerializeOptions } from './format.js';
import { MAX_HEADER_BYTES, readSafetensorsHeader, type SafetensorsHeader } from './header.js';

/**
 * The tensors of a safetensors file, by name.
 * @example
 * const state = loadSafetensors('model.safetensors');
 * state['fc1.weight'].shape; // [hidden, in]
 */
export function loadSafetensors(path: string, opts: ParseOptions = {}): Record<string, Tensor> {
  return loadSafetensorsFile(path, opts).tensors;
}

/** Tensors and the `__metadata__` map of a safetensors file. */
export function loadSafetensorsFile(path: string, opts: ParseOptions = {}): SafetensorsContents {
  return withFile(path, (fd, size) => {
    const header = readHeaderAt(fd, size, path);
    const tensors = decodeTensors(header, path, opts, (e) => readAt(fd, e.byteOffset, e.byteLength, path));
    return { tensors, metadata: header.metadata };
  });
}

/** The validated header of a safetensors file (names, dtypes, shapes, byte ranges) without reading tensor data. */
export function inspectSafetensors(path: string): SafetensorsHeader {
  return withFile(path, (fd, size) => readHeaderAt(fd, size, path));
}

/**
 * Write tensors (and optional metadata) to `path` atomically: a crash mid-save
 * leaves either the previous file or the complete new one.
 * @example saveSafetensors('model.safetensors', model.stateDict(), { epoch: '3' });
 */
export function saveSafetensors(
  path: string,
  tensors: Record<string, Tensor | RawTensor>,
  metadata?: Record<string, string>,
  opts: Omit<SerializeOptions, 'metadata'> & { hooks?: AtomicWriteHooks } = {},
): void {
  const bytes = serializeSafetensors(tensors, { ...opts, metadata });
  writeFileAtomicSync(path, bytes, opts.hooks);
}

function withFile<T>(path: string, f: (fd: number, size: number) => T): T {
  const fd = openFileForReading(path);
  try {
    return f(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

/** The 8-byte length and the JSON header (what of them the file has), validated against the file size. */
function readHeaderAt(fd: number, size: number, path: string): SafetensorsHeader {
  const lengthBytes = readAt(fd, 0, Math.min(8, size), path);
  if (lengthBytes.length < 8) return readSafetensorsHeader(lengthBytes, path, size);
  const dv = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8);
  const n = dv.getUint32(0, true);
  // An impossible length is reported from the 8 bytes alone; only a plausible header is read.
  if (dv.getUint32(4, true) !== 0 || n > MAX_HEADER_BYTES || 8 + n > size) return readSafetensorsHeader(lengthBytes, path, size);
  return readSafetensorsHeader(readAt(fd, 0, 8 + n, path), path, size);
}

function readAt(fd: number, position: number, length: number, path: string): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const got = readSync(fd, out, done, length - done, position + done);
    if (got === 0) throw new FormatError(path, `ended at byte ${position + done} while reading ${length} bytes (the file shrank while being read?)`, { byte: position + done });
    done += got;
  }
  return out;
}
