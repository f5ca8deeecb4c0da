/**
 * Reading a file's bytes, transparently gunzipping it when it starts with the
 * gzip magic bytes (1f 8b), so every reader accepts `x.csv` and `x.csv.gz` alike.
 */
import { openSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FormatError } from './errors.js';

export const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** A reading error in words, naming the path (a folder, a missing file, no permission), with the system code kept. */
function readError(path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const why: Record<string, string> = {
    ENOENT: 'does not exist',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'is not a file (a part of its path is a file)',
    EACCES: 'cannot be read: permission denied',
    EPERM: 'cannot be read: permission denied',
  };
  const err = new Error(`'${path}' ${why[code] ?? `cannot be read (${(e as Error).message})`}`) as NodeJS.ErrnoException;
  if (code) err.code = code;
  return err;
}

/** Open `path` for reading, refusing a folder (which opens, then fails at the first read with a bare EISDIR). */
export function openFileForReading(path: string): number {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return openSync(path, 'r');
  } catch (e) {
    throw readError(path, e);
  }
}

/** The bytes of `path` (errors name the path in words). */
export function readFileBytes(path: string): Uint8Array {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return readFileSync(path);
  } catch (e) {
    throw readError(path, e);
  }
}

/** The bytes of `path`, decompressed if gzip-compressed. */
export function readMaybeGzip(path: string): Uint8Array {
  return gunzipIfNeeded(readFileBytes(path), path);
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
