/**
 * Backend selection. All tensors keep their storage in JS typed arrays, so any
 * backend can run any op on any tensor; switching backends never copies.
 *
 * `MLPKIT_BACKEND=native|reference` picks explicitly; otherwise the fastest
 * registered backend wins.
 */
import type { Backend } from './types.js';
import { referenceBackend } from './reference/index.js';
import { nativeBackend, nativeLoadError } from './native/index.js';

const registry = new Map<string, Backend>([[referenceBackend.name, referenceBackend]]);
let current: Backend = referenceBackend;

export function registerBackend(b: Backend, { makeDefault = false } = {}): void {
  registry.set(b.name, b);
  if (makeDefault) current = b;
}

export function getBackend(): Backend {
  return current;
}

export function listBackends(): string[] {
  return [...registry.keys()];
}

export function setBackend(name: string): Backend {
  const b = registry.get(name);
  if (!b) throw new Error(`unknown backend '${name}' (available: ${listBackends().join(', ')})`);
  current = b;
  return b;
}

/** Run `fn` with `name` as the current backend, restoring the previous one after. */
export function withBackend<T>(name: string, fn: () => T): T {
  const prev = current;
  setBackend(name);
  try {
    return fn();
  } finally {
    current = prev;
  }
}

// Register the native backend at import time; it becomes the default unless MLPKIT_BACKEND says otherwise.
{
  const requested = (globalThis as { process?: NodeJS.Process }).process?.env.MLPKIT_BACKEND || undefined;
  if (nativeBackend) registerBackend(nativeBackend, { makeDefault: true });
  else if (requested === 'native') throw new Error(`MLPKIT_BACKEND=native, but the native backend could not load: ${nativeLoadError}`);
  else if (requested !== 'reference') console.warn(`mlpkit: native backend unavailable (${nativeLoadError}); using the reference backend`);
  if (requested !== undefined) setBackend(requested);
}

export type { Backend, KernelTable, Primitive } from './types.js';
