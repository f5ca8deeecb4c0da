/**
 * The TypeScript/C++ seam (src/backend/native/seam.ts): the committed C++
 * header is what the table renders, the addon was built from the same table,
 * and checkSeam refuses a table that differs — naming the op or slot — on
 * doctored copies (no rebuild needed to prove the check can fail).
 */
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/backend/native/addon.js';
import { nativeLoadError } from '../../src/backend/native/index.js';
import {
  checkSeam, cppName, OP_CODES, renderSeamHeader, SEAM, SLOTS, type LayoutName, type OpFamily, type SeamTable,
} from '../../src/backend/native/seam.js';
import { ARITH_OPS, COMPARE_OPS, REDUCE_OPS, UNARY_OPS } from '../../src/backend/types.js';

const HEADER = new URL('../../native/seam_generated.h', import.meta.url);

/** A mutable deep copy of the seam table, to doctor. */
function copy(): { maxDims: number; compareBase: number; ops: Record<string, string[]>; layouts: Record<string, string[]> } {
  return JSON.parse(JSON.stringify(SEAM));
}

const swap = (xs: string[], i: number, j: number): void => {
  [xs[i], xs[j]] = [xs[j], xs[i]];
};

describe('the seam table', () => {
  it('native/seam_generated.h is what seam.ts renders (`npm run seam` rewrites it)', async () => {
    // The failure shows the differing lines (so the op); `vitest --update` on this file rewrites it.
    await expect(renderSeamHeader()).toMatchFileSnapshot(
      HEADER.pathname,
      'native/seam_generated.h is out of date: run `npm run seam`, then `npm run build:native`',
    );
  });

  it('covers every op the backend interface lists, in order, with the fused ops after them', () => {
    expect(SEAM.ops.unary.slice(0, UNARY_OPS.length)).toEqual([...UNARY_OPS]);
    expect(SEAM.ops.arith.slice(0, ARITH_OPS.length)).toEqual([...ARITH_OPS]);
    expect(SEAM.ops.compare).toEqual([...COMPARE_OPS]);
    expect(SEAM.ops.reduce).toEqual([...REDUCE_OPS]);
    expect(OP_CODES.unary.gelu).toBe(UNARY_OPS.length);
    expect(OP_CODES.arith.geluBackward).toBe(ARITH_OPS.length);
  });

  it('codes and slots are the positions in the lists, with names unique and valid in C++', () => {
    const check = (names: readonly string[], positions: Record<string, number>, what: string): void => {
      expect(new Set(names).size, `${what}: duplicate names`).toBe(names.length);
      expect(new Set(names.map(cppName)).size, `${what}: names that collide in C++`).toBe(names.length);
      for (const [i, n] of names.entries()) {
        expect(n, `${what}: '${n}' is not a C++ identifier`).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        expect(positions[n], `${what}: position of '${n}'`).toBe(i);
      }
      // kCount is declared beside each layout's slots in native/seam.h.
      expect(names, `${what}: a slot may not be named kCount`).not.toContain('kCount');
    };
    for (const f of Object.keys(SEAM.ops) as OpFamily[]) check(SEAM.ops[f], OP_CODES[f], `${f} ops`);
    for (const l of Object.keys(SEAM.layouts) as LayoutName[]) check(SEAM.layouts[l], SLOTS[l], `${l} layout`);
    // Comparison codes must stay clear of the arithmetic ones that share binary().
    expect(SEAM.compareBase).toBeGreaterThanOrEqual(SEAM.ops.arith.length);
  });

  it('the header lists ops and slots in table order', () => {
    const h = renderSeamHeader();
    const order = (xs: readonly string[], entry: (x: string) => string): number[] => xs.map((x) => h.indexOf(entry(x)));
    const unary = order(SEAM.ops.unary, (op) => `X(${cppName(op)}, "${op}")`);
    expect(unary.every((p, i) => p > 0 && (i === 0 || p > unary[i - 1]))).toBe(true);
    expect(h).toContain('#define MLPK_SEAM_LAYOUT_MATMUL(X) \\\n  X(batch) \\\n  X(m) \\\n  X(k) \\\n  X(n) \\');
  });
});

describe('checkSeam', () => {
  it('accepts an identical table', () => {
    expect(() => checkSeam(copy())).not.toThrow();
  });

  it('rejects reordered ops, naming the op at the first differing code', () => {
    const t = copy();
    swap(t.ops.unary, OP_CODES.unary.exp, OP_CODES.unary.log);
    expect(() => checkSeam(t)).toThrow(`unary op code ${OP_CODES.unary.exp} is 'log' in the addon, 'exp' in TypeScript`);
  });

  it('rejects an op added on one side only', () => {
    const extra = copy();
    extra.ops.arith.push('hypot');
    expect(() => checkSeam(extra)).toThrow(`arith op code ${SEAM.ops.arith.length} is 'hypot' in the addon, absent in TypeScript`);
    const missing = copy();
    missing.ops.reduce.pop();
    expect(() => checkSeam(missing)).toThrow(`reduce op code ${SEAM.ops.reduce.length - 1} is absent in the addon, 'argmin' in TypeScript`);
  });

  it('rejects a renamed op or a missing family', () => {
    const renamed = copy();
    renamed.ops.compare[OP_CODES.compare.le] = 'leq';
    expect(() => checkSeam(renamed)).toThrow(`compare op code ${OP_CODES.compare.le} is 'leq' in the addon, 'le' in TypeScript`);
    const noFamily = copy();
    delete noFamily.ops.reduce;
    expect(() => checkSeam(noFamily)).toThrow("op family 'reduce' is nothing in the addon, [sum, max, min, argmax, argmin] in TypeScript");
  });

  it('rejects reordered or missing parameter slots, naming the layout and slot', () => {
    const t = copy();
    swap(t.layouts.matmul, SLOTS.matmul.m, SLOTS.matmul.k);
    expect(() => checkSeam(t)).toThrow(`matmul parameter slot ${SLOTS.matmul.m} is 'k' in the addon, 'm' in TypeScript`);
    const short = copy();
    short.layouts.mlpBackward.pop();
    expect(() => checkSeam(short)).toThrow(`mlpBackward parameter slot ${SLOTS.mlpBackward.scale} is absent in the addon, 'scale' in TypeScript`);
    const noLayout = copy();
    delete noLayout.layouts.cumsum;
    expect(() => checkSeam(noLayout)).toThrow("layout 'cumsum' is nothing in the addon");
  });

  it('rejects other constants and a missing table', () => {
    const t = copy();
    t.maxDims = 8;
    expect(() => checkSeam(t)).toThrow('maxDims is 8 in the addon, 16 in TypeScript');
    expect(() => checkSeam(undefined)).toThrow('the addon reports no seam table');
    expect(() => checkSeam({ maxDims: 16 })).toThrow('the addon reports no seam table');
  });

  it('checks against any expected table, so both sides can be doctored', () => {
    const expected = copy() as unknown as SeamTable;
    (expected.ops.unary as string[]).reverse();
    expect(() => checkSeam(SEAM, expected)).toThrow(`unary op code 0 is 'neg' in the addon, 'gelu' in TypeScript`);
  });
});

// The addon built in this checkout (skipped only where it is not built;
// native.test.ts fails in that case).
const built = loadAddon().addon;
describe.skipIf(!built)('the built addon', () => {
  it('reports the table of seam.ts, so the native backend loaded', () => {
    const reported = built!.seam();
    checkSeam(reported); // throws, naming the first mismatch
    expect(reported).toEqual(JSON.parse(JSON.stringify(SEAM)));
    expect(nativeLoadError).toBeNull();
  });
});
