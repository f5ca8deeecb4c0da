/**
 * Crash-safe file replacement: write a temporary file in the target's directory,
 * fsync it, rename it over the target (atomic on POSIX within one file system)
 * and fsync the directory so the rename itself survives a power loss. Readers
 * see either the old file or the complete new one, never a partial write.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** @internal fault injection for tests: runs after the temporary file is complete, before the rename. */
export interface AtomicWriteHooks {
  beforeRename?: (tempPath: string) => void;
}

/**
 * Replace `path` with `bytes` atomically. On any failure the temporary file is
 * removed and the error rethrown; an existing file at `path` is left untouched.
 */
export function writeFileAtomicSync(path: string, bytes: Uint8Array, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(path);
  // Hidden, unique, same directory (rename across file systems is not atomic).
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (e) {
    // Name the user's path, not the hidden temporary file.
    throw writeError(path, e);
  }
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    hooks.beforeRename?.(temp);
    try {
      renameSync(temp, path);
    } catch (e) {
      throw writeError(path, e);
    }
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone (or never created past open); nothing to clean
    }
    throw e;
  }
  fsyncDirectory(dir);
}

/** An error naming `path` and the reason in words, with the system code kept (e.g. ENOENT). */
function writeError(path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const reason: Record<string, string> = {
    ENOENT: 'its folder does not exist',
    ENOTDIR: 'a part of its path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EISDIR: 'it is a folder',
  };
  const err = new Error(`cannot write '${path}': ${reason[code] ?? (e as Error).message}${code ? ` (${code})` : ''}`) as NodeJS.ErrnoException;
  if (code) err.code = code;
  return err;
}

function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return; // directories cannot be opened on some platforms (Windows); the rename is still atomic there
  }
  try {
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on directories (EINVAL/EISDIR); durability is then up to the OS
  } finally {
    closeSync(fd);
  }
}
