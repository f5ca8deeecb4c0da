/**
 * safetensors files on disk (Node). Loading reads the whole file and validates it
 * before converting anything; saving is atomic (see ../atomic.ts).
 */
import { readFileSync } from 'node:fs';
import type { Tensor } from '../../tensor/tensor.js';
import { writeFileAtomicSync, type AtomicWriteHooks } from '../atomic.js';
import { parseSafetensors, serializeSafetensors, type ParseOptions, type RawTensor, type SafetensorsContents, type SerializeOptions } from './format.js';
import { readSafetensorsHeader, type SafetensorsHeader } from './header.js';

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
  return parseSafetensors(readFileSync(path), path, opts);
}

/** The validated header of a safetensors file (names, dtypes, shapes, byte ranges) without converting tensors. */
export function inspectSafetensors(path: string): SafetensorsHeader {
  return readSafetensorsHeader(readFileSync(path), path);
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
