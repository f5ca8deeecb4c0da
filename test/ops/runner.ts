/**
 * Replays the PyTorch fixtures of scripts/gen_fixtures.py against mlpkit.
 *
 * A fixture file holds cases {op, name, args, inputs, diff, out, gout, grads};
 * an op table maps each fixture op name to the mlpkit call that should
 * reproduce it. For every backend, each case checks the forward outputs
 * (values and dtype) and the gradient of every differentiable input for the
 * recorded upstream gradient. Separately, every case with a differentiable
 * input is checked against finite differences in float64 (`gradcheck`).
 */
import { describe, expect, it } from 'vitest';
import { grad, gradcheck, withBackend, Tensor, type GradcheckOptions } from '../../src/index.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor, type Tol } from '../helpers.js';

/** Op arguments as the generator wrote them (JSON). */
export type Args = Record<string, any>;

export interface OpCase {
  op: string;
  name: string;
  args: Args;
  inputs: FixtureTensor[];
  /** Indices of the inputs that require grad. */
  diff: number[];
  out: FixtureTensor[];
  /** Upstream gradient per output (null for integer/bool outputs). */
  gout: (FixtureTensor | null)[];
  /** Expected gradient per input (null for inputs not in `diff`). */
  grads: (FixtureTensor | null)[];
  /** False where finite differences are meaningless (kinks, ties). */
  gradcheck?: boolean;
}

export interface OpSpec {
  /** The mlpkit call; inputs arrive in fixture order. */
  run: (xs: Tensor[], args: Args) => Tensor | Tensor[];
  /** Forward tolerance (float32 against float64 PyTorch). */
  tol?: Tol;
  /** Gradient tolerance. */
  gradTol?: Tol;
  /** Finite-difference settings, or false for ops with no gradient. */
  gradcheck?: GradcheckOptions | false;
}

export type OpTable = Record<string, OpSpec>;

export const DEFAULT_TOL: Required<Tol> = { atol: 1e-5, rtol: 1e-4 };

/** Non-finite values are stored as the strings 'Infinity', '-Infinity' and 'NaN'. */
function decode(t: FixtureTensor): FixtureTensor {
  return t.data.some((v) => typeof v !== 'number') ? { ...t, data: t.data.map(Number) } : t;
}
const load = (t: FixtureTensor, requiresGrad = false): Tensor => fromFixture(decode(t), requiresGrad);

const asList = (t: Tensor | Tensor[]): Tensor[] => (Array.isArray(t) ? t : [t]);
const isFloat = (t: Tensor): boolean => t.dtype === 'float32' || t.dtype === 'float64';

/** Run one case on the current backend and compare outputs and gradients. */
export function checkCase(spec: OpSpec, c: OpCase): void {
  const xs = c.inputs.map((t, i) => load(t, c.diff.includes(i)));
  const outs = asList(spec.run(xs, c.args));
  expect(outs.length, 'number of outputs').toBe(c.out.length);
  outs.forEach((o, k) => {
    expect(o.dtype, `output ${k}: dtype`).toBe(c.out[k].dtype);
    expectClose(o, load(c.out[k]), spec.tol ?? DEFAULT_TOL, `output ${k}`);
  });
  if (c.diff.length === 0) return;
  const seeded = outs.map((o, k) => [o, c.gout[k]] as const).filter(([o, g]) => g !== null && o.requiresGrad);
  const diffXs = c.diff.map((i) => xs[i]);
  const got = seeded.length
    ? grad(seeded.map(([o]) => o), diffXs, { gradOutputs: seeded.map(([, g]) => load(g!)), allowUnused: true })
    : diffXs.map(() => null);
  c.diff.forEach((i, k) => {
    const expected = load(c.grads[i]!);
    // No recorded gradient means zero (floor, sign, comparisons…); the fixture must agree.
    const g = got[k] ?? expected.zerosLike();
    expect(g.dtype, `gradient of input ${i}: dtype`).toBe(expected.dtype);
    expectClose(g, expected, spec.gradTol ?? DEFAULT_TOL, `gradient of input ${i}`);
  });
}

/** Finite-difference check of one case in float64 (the reference backend). */
export function gradcheckCase(spec: OpSpec, c: OpCase): void {
  const xs = c.inputs.map((t) => {
    const x = load(t);
    return isFloat(x) ? x.to('float64') : x;
  });
  const fn = (...dx: Tensor[]): Tensor[] => {
    const all = xs.slice();
    c.diff.forEach((i, k) => (all[i] = dx[k]));
    return asList(spec.run(all, c.args)).filter(isFloat);
  };
  expect(gradcheck(fn, c.diff.map((i) => xs[i]), spec.gradcheck || {})).toBe(true);
}

/** The cases of a fixture file, grouped by op in file order. */
function byOp(cases: readonly OpCase[]): Map<string, OpCase[]> {
  const groups = new Map<string, OpCase[]>();
  for (const c of cases) {
    if (!groups.has(c.op)) groups.set(c.op, []);
    groups.get(c.op)!.push(c);
  }
  return groups;
}

/**
 * Register the tests of one fixture file: table coverage, then every case on
 * every backend, then gradcheck of every differentiable case.
 */
export function fixtureSuite(file: string, table: OpTable): void {
  const { cases } = loadFixture<{ cases: OpCase[] }>(file);
  const groups = byOp(cases);

  describe(file, () => {
    it('maps every fixture op to an mlpkit call, and every mapped op has cases', () => {
      expect([...groups.keys()].filter((op) => !(op in table)), 'fixture ops without an entry').toEqual([]);
      expect(Object.keys(table).filter((op) => !groups.has(op)), 'entries without fixture cases').toEqual([]);
    });

    describe.each(BACKENDS)('%s backend', (backend) => {
      for (const [op, opCases] of groups) {
        const spec = table[op];
        if (!spec) continue;
        describe(op, () => {
          it.each(opCases.map((c) => [c.name, c] as const))('%s', (_name, c) => withBackend(backend, () => checkCase(spec, c)));
        });
      }
    });

    describe('gradcheck (float64, finite differences)', () => {
      for (const [op, opCases] of groups) {
        const spec = table[op];
        if (!spec || spec.gradcheck === false) continue;
        const checkable = opCases.filter((c) => c.diff.length > 0 && c.gradcheck !== false);
        if (checkable.length === 0) continue;
        describe(op, () => {
          it.each(checkable.map((c) => [c.name, c] as const))('%s', (_name, c) => gradcheckCase(spec, c));
        });
      }
    });
  });
}
