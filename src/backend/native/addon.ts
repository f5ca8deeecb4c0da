/**
 * Loading the compiled addon (build/Release/mlpkit_native.node, built from
 * native/ by `npm install`). Loading never throws: a missing or broken build
 * yields the reason instead, and mlpkit carries on with the reference backend.
 */

/** The addon's exports (see native/addon.cc). Shapes, strides and sizes travel in the parameter block. */
export interface NativeAddon {
  init(params: Float64Array): void;
  info(): { isa: string; threads: number; cpus: number };
  setThreads(n: number): number;
  /** The op lists and parameter-block layouts the addon was built with (checked by checkSeam in seam.ts). */
  seam(): unknown;
  unary(op: number, out: Float32Array, a: Float32Array): void;
  /** op < SEAM.compareBase: arithmetic into a Float32Array; op ≥ SEAM.compareBase: comparison into a Uint8Array. */
  binary(op: number, out: Float32Array | Uint8Array, a: Float32Array, b: Float32Array): void;
  where(out: Float32Array, cond: Uint8Array, a: Float32Array, b: Float32Array): void;
  reduce(op: number, out: Float32Array | Int32Array, a: Float32Array): void;
  matmul(out: Float32Array, a: Float32Array, b: Float32Array, bias?: Float32Array): void;
  stridedCopy(out: ArrayBufferView, a: ArrayBufferView): void;
  stridedScatterAdd(out: Float32Array, src: Float32Array): void;
  gather(out: ArrayBufferView, a: ArrayBufferView, idx: Int32Array): void;
  scatterAdd(out: Float32Array, src: Float32Array, idx: Int32Array): void;
  indexSelect(out: ArrayBufferView, a: ArrayBufferView, idx: Int32Array): void;
  indexAdd(out: Float32Array, src: Float32Array, idx: Int32Array): void;
  cumsum(out: Float32Array, a: Float32Array): void;
  cast(out: ArrayBufferView, a: ArrayBufferView): void;
  adamStep(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array): void;
  /** Null weight/bias are passed as any Float32Array and flagged absent in the block. */
  layerNorm(out: Float32Array, mean: Float32Array, rstd: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array): void;
  layerNormBackward(dx: Float32Array, dw: Float32Array, db: Float32Array, g: Float32Array, x: Float32Array, mean: Float32Array, rstd: Float32Array, w: Float32Array): void;
  bernoulliFill(out: Float32Array | Uint8Array, state: Uint32Array): void;
  /** Absent biases, keep mask and gradients likewise (flags in the block). */
  mlpForward(out: Float32Array, x: Float32Array, w1: Float32Array, b1: Float32Array, w2: Float32Array, b2: Float32Array, keep: Uint8Array | Float32Array): void;
  mlpBackward(
    dx: Float32Array, dw1: Float32Array, db1: Float32Array, dw2: Float32Array, db2: Float32Array,
    g: Float32Array, x: Float32Array, w1: Float32Array, b1: Float32Array, w2: Float32Array, keep: Uint8Array | Float32Array,
  ): void;
}

import { tuneGcForTraining } from './gc.js';

export type AddonLoad = { addon: NativeAddon; error: null } | { addon: null; error: string };

/** Where the build puts the addon, relative to this file in src/ and in dist/ alike. */
const ADDON_PATH = '../../../build/Release/mlpkit_native.node';

export function loadAddon(): AddonLoad {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (!proc?.versions?.node) return { addon: null, error: 'not running in Node' };
  if (typeof proc.getBuiltinModule !== 'function') return { addon: null, error: 'needs Node ≥ 20.16 (process.getBuiltinModule)' };
  try {
    const { createRequire } = proc.getBuiltinModule('node:module') as typeof import('node:module');
    const require = createRequire(import.meta.url);
    const addon = require(ADDON_PATH) as NativeAddon;
    tuneGcForTraining(proc);
    return { addon, error: null };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { addon: null, error: msg };
  }
}
