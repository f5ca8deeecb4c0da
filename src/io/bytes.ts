/**
 * Reading a file's bytes, transparently gunzipping it when it starts with the
 * gzip magic bytes (1f 8b), so every reader accepts `x.csv` and `x.csv.gz` alike.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FormatError } from './errors.js';

export const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The bytes of `path`, decompressed if gzip-compressed. */
export function readMaybeGzip(path: string): Uint8Array {
  return gunzipIfNeeded(readFileSync(path), path);
}

/** Decompress `bytes` if they are gzip data; errors name `name`. */
export function gunzipIfNeeded(bytes: Uint8Array, name: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    const err = e as Error & { code?: string };
    throw new FormatError(name, `is gzip-compressed but cannot be decompressed (${err.code ?? 'error'}: ${err.message}; truncated or corrupt?)`);
  }
}
