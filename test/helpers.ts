/**
 * Shared test helpers: the list of backends every engine test runs on,
 * closeness assertions and committed PyTorch fixtures.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { listBackends, tensor, Tensor, type DType } from '../src/index.js';

/** Every registered backend; tests are written once and run on each (`describe.each(BACKENDS)`). */
export const BACKENDS: string[] = listBackends();

export interface Tol {
  atol?: number;
  rtol?: number;
}

/** Assert `actual` matches `expected` elementwise within atol + rtol·|expected|, with shapes equal. */
export function expectClose(actual: Tensor, expected: Tensor | ArrayLike<number>, tol: Tol = {}, what = 'value'): void {
  const { atol = 1e-5, rtol = 1e-4 } = tol;
  if (expected instanceof Tensor) {
    expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  }
  const exp = expected instanceof Tensor ? expected.data : expected;
  expect(actual.size, `${what}: element count`).toBe(exp.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < exp.length; i++) {
    const a = actual.data[i];
    const e = exp[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual.data[worst]}, expected ${exp[worst]} (atol ${atol}, rtol ${rtol})`);
  }
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Parse a committed fixture file from test/fixtures. */
export function loadFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** A tensor serialised by the fixture scripts: { shape, dtype, data (flat) }. */
export interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'float64' | 'int32' | 'bool';
  data: number[];
}

export function fromFixture(t: FixtureTensor, requiresGrad = false): Tensor {
  const x = tensor(t.data, { dtype: t.dtype as DType, shape: t.shape });
  if (requiresGrad) x.requiresGrad = true;
  return x;
}
