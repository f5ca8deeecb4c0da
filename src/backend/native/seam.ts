/**
 * The seam between the TypeScript side of the native backend and the C++
 * addon, as ONE table: the op codes each entry point takes and the slots of
 * the parameter block each entry point reads.
 *
 * Nothing on either side spells a code or a slot index by hand any more:
 *  - index.ts takes codes and slots from here (`OP_CODES`, `SLOTS`);
 *  - native/seam_generated.h is rendered from here (`renderSeamHeader`) as
 *    X-macro lists; native/seam.h builds the C++ enums, slot constants and the
 *    addon's own copy of the table from those same lists, so the enum a kernel
 *    dispatches on and the names the addon reports cannot drift apart.
 *
 * Three checks make a half-done change fail loudly instead of silently:
 *  1. test/backend/seam.test.ts fails when the committed header differs from
 *     what this table renders (`npm run seam` rewrites it);
 *  2. the kernels switch on those enums and the build has -Werror=switch, so an
 *     op added here without a C++ case is a compile error naming the op;
 *  3. when the addon loads, `checkSeam` compares the table the addon was built
 *     with against this one and refuses the addon (naming the first mismatch)
 *     when they differ — that catches a stale build/ after a regenerated header.
 * The header is committed rather than generated at install: `npm install`
 * builds the addon before any TypeScript is compiled.
 *
 * Strided entry points (binary, where, stridedCopy, stridedScatterAdd, gather,
 * scatterAdd) use a variable-length layout instead of named slots:
 * nd, shape[nd], one stride vector[nd] per input operand, then one trailing
 * value (an offset or the gathered axis's stride) — `put` in index.ts and
 * `read_strided` in native/addon.cc.
 */
import { ARITH_OPS, COMPARE_OPS, REDUCE_OPS, UNARY_OPS } from '../types.js';

export const SEAM = {
  /** Most dims of a strided view after collapsing; the TS side falls back to the reference kernels above this. */
  maxDims: 16,
  /** binary(op, …) takes comparison codes offset by this, arithmetic codes as they are. */
  compareBase: 100,
  /** Op codes are positions in these lists. */
  ops: {
    /** unary(op, …); the fused GELU sits beside the primitives. */
    unary: [...UNARY_OPS, 'gelu'],
    /** binary(op, …) into a Float32Array; geluBackward is (g, x) → g·gelu'(x). */
    arith: [...ARITH_OPS, 'geluBackward'],
    /** binary(compareBase + op, …) into a Uint8Array. */
    compare: [...COMPARE_OPS],
    /** reduce(op, …); argmax/argmin write an Int32Array. */
    reduce: [...REDUCE_OPS],
  },
  /** Parameter-block slots (positions) of the entry points with a fixed layout. Flags are 0/1. */
  layouts: {
    reduce: ['outer', 'n', 'inner'],
    cumsum: ['outer', 'n', 'inner'],
    /** indexSelect and indexAdd: n is the size of the indexed axis of a (select) or of out (add). */
    index: ['outer', 'n', 'inner'],
    matmul: ['batch', 'm', 'k', 'n', 'transA', 'transB', 'aBatchStride', 'bBatchStride', 'hasBias'],
    layerNorm: ['rows', 'cols', 'eps', 'hasWeight', 'hasBias'],
    layerNormBackward: ['rows', 'cols', 'hasDw', 'hasDb', 'hasWeight'],
    adamStep: ['beta1', 'beta2', 'stepSize', 'invBc2Sqrt', 'eps', 'l2', 'shrink', 'sign'],
    bernoulliFill: ['threshold', 'value'],
    mlpForward: ['rows', 'c', 'f', 'o', 'hasB1', 'hasB2', 'hasKeep', 'scale'],
    mlpBackward: ['rows', 'c', 'f', 'o', 'hasDw1', 'hasDb1', 'hasDw2', 'hasDb2', 'hasB1', 'hasKeep', 'scale'],
  },
} as const;

export type OpFamily = keyof typeof SEAM.ops;
export type LayoutName = keyof typeof SEAM.layouts;

/** The shape of a seam table, as the addon reports it (`seam()`) and as `SEAM` is. */
export interface SeamTable {
  maxDims: number;
  compareBase: number;
  ops: { readonly [F in OpFamily]: readonly string[] };
  layouts: { readonly [L in LayoutName]: readonly string[] };
}

const positions = <L extends readonly string[]>(names: L): { readonly [K in L[number]]: number } =>
  Object.freeze(Object.fromEntries(names.map((n, i) => [n, i]))) as { readonly [K in L[number]]: number };

/** Op code of each op, per family (compare codes without compareBase). */
export const OP_CODES = {
  unary: positions(SEAM.ops.unary),
  arith: positions(SEAM.ops.arith),
  compare: positions(SEAM.ops.compare),
  reduce: positions(SEAM.ops.reduce),
} as const;

/** Slot of each parameter, per layout: `P[SLOTS.matmul.k] = k`. */
export const SLOTS: { readonly [L in LayoutName]: { readonly [K in (typeof SEAM.layouts)[L][number]]: number } } = Object.freeze(
  Object.fromEntries(Object.entries(SEAM.layouts).map(([l, names]) => [l, positions(names)])),
) as never;

const describeList = (xs: readonly string[] | undefined): string => (xs ? `[${xs.join(', ')}]` : 'nothing');

/**
 * Throws an Error naming the first difference between the table the addon was
 * built with (`native`) and this side's (`expected`, `SEAM` by default).
 * Differences are looked for op by op and slot by slot, so a reordered, added,
 * removed or renamed entry is reported by its name and position.
 */
export function checkSeam(native: unknown, expected: SeamTable = SEAM): void {
  const fail = (what: string): never => {
    throw new Error(
      `native seam mismatch: ${what}. The addon was built from another native/seam_generated.h than ` +
        'src/backend/native/seam.ts renders; run `npm run seam` and `npm run build:native`.',
    );
  };
  const t = native as Partial<SeamTable> | null;
  if (typeof t !== 'object' || t === null || typeof t.ops !== 'object' || typeof t.layouts !== 'object') {
    return fail('the addon reports no seam table');
  }
  for (const key of ['maxDims', 'compareBase'] as const) {
    if (t[key] !== expected[key]) fail(`${key} is ${t[key]} in the addon, ${expected[key]} in TypeScript`);
  }
  const lists = (kind: string, got: Record<string, readonly string[] | undefined>, want: Record<string, readonly string[]>): void => {
    for (const name of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const g = got[name];
      const w = want[name];
      if (!Array.isArray(g) || !Array.isArray(w)) {
        fail(`${kind} '${name}' is ${describeList(g)} in the addon, ${describeList(w)} in TypeScript`);
        continue;
      }
      for (let i = 0; i < Math.max(g.length, w.length); i++) {
        if (g[i] === w[i]) continue;
        const label = kind === 'op family' ? `${name} op code ${i}` : `${name} parameter slot ${i}`;
        fail(`${label} is ${g[i] === undefined ? 'absent' : `'${g[i]}'`} in the addon, ${w[i] === undefined ? 'absent' : `'${w[i]}'`} in TypeScript`);
      }
    }
  };
  lists('op family', t.ops as Record<string, readonly string[]>, expected.ops);
  lists('layout', t.layouts as Record<string, readonly string[]>, expected.layouts);
}

/** `geluBackward` → `GELU_BACKWARD`, `log1p` → `LOG1P`: the C++ spelling of a name. */
export const cppName = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/**
 * The text of native/seam_generated.h: X-macro lists of this table (see
 * native/seam.h for what is built from them). Op entries are X(ID, "name"),
 * slot entries X(name).
 */
export function renderSeamHeader(table: SeamTable = SEAM): string {
  const lines = [
    '// Generated from src/backend/native/seam.ts by `npm run seam`; do not edit.',
    '// test/backend/seam.test.ts fails when this file is out of date.',
    '#pragma once',
    '',
    `#define MLPK_SEAM_MAX_DIMS ${table.maxDims}`,
    `#define MLPK_SEAM_COMPARE_BASE ${table.compareBase}`,
  ];
  const macro = (name: string, entries: string[]): void => {
    lines.push('', `#define ${name}(X) \\`, ...entries.map((e) => `  ${e} \\`), '  /* end */');
  };
  for (const [family, ops] of Object.entries(table.ops)) {
    macro(`MLPK_SEAM_${cppName(family)}_OPS`, ops.map((op) => `X(${cppName(op)}, "${op}")`));
  }
  for (const [layout, slots] of Object.entries(table.layouts)) {
    macro(`MLPK_SEAM_LAYOUT_${cppName(layout)}`, slots.map((s) => `X(${s})`));
  }
  // The list of layouts, so that seam.h can walk them all without naming each.
  macro('MLPK_SEAM_LAYOUTS', Object.keys(table.layouts).map((l) => `X(${l}, MLPK_SEAM_LAYOUT_${cppName(l)})`));
  return `${lines.join('\n')}\n`;
}
