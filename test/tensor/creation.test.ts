/** Creation functions: values against PyTorch (arange, linspace) and by construction (eye, full, zeros, ones, tensor). */
import { describe, expect, it } from 'vitest';
import { arange, eye, full, linspace, ones, tensor, withBackend, zeros, type DType } from '../../src/index.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';

interface CreationCase {
  op: 'arange' | 'linspace';
  name: string;
  args: number[];
  out: FixtureTensor;
}

const { cases } = loadFixture<{ cases: CreationCase[] }>('ops_creation.json');

describe.each(BACKENDS)('%s backend', (backend) => {
  describe('arange and linspace match PyTorch', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) =>
      withBackend(backend, () => {
        const a = c.args;
        const got = c.op === 'arange' ? arange(a[0], a[1], a[2]) : linspace(a[0], a[1], a[2]);
        const want = fromFixture(c.out);
        expect(got.dtype).toBe(want.dtype);
        expect(got.shape).toEqual(want.shape);
        // PyTorch steps in float32 arithmetic, mlpkit in float64 then rounds:
        // the values agree to float32 precision, not always to the last bit.
        expectClose(got, want, { atol: 1e-6, rtol: 1e-6 });
        if (got.size > 0) {
          expect(got.data[0], 'first value is start').toBe(want.data[0]);
          expect(got.data[got.size - 1], 'last value').toBe(want.data[want.size - 1]);
        }
      }),
    );
  });
});

describe.each(BACKENDS)('%s backend: constant fills and tensor()', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('eye is square by default and rectangular on request', run(() => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 4).toArray()).toEqual([[1, 0, 0, 0], [0, 1, 0, 0]]);
    expect(eye(3, 1).toArray()).toEqual([[1], [0], [0]]);
    expect(eye(2, 2, { dtype: 'int32' }).dtype).toBe('int32');
  }));

  it('full, zeros and ones fill the shape with the value and dtype asked for', run(() => {
    const f = full([2, 3], 2.5);
    expect(f.shape).toEqual([2, 3]);
    expect(f.dtype).toBe('float32');
    expect(Array.from(f.data)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(full([], -1, { dtype: 'int32' }).toArray()).toBe(-1);
    expect(Array.from(zeros([4], { dtype: 'float64' }).data)).toEqual([0, 0, 0, 0]);
    expect(zeros([4], { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(ones([2, 0]).size).toBe(0);
    expect(ones([3], { dtype: 'bool' }).data).toBeInstanceOf(Uint8Array);
    expect(ones([1], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => full([2, -1], 0)).toThrow("full: size -1 at index 1 of [2, -1] is not a non-negative integer");
  }));

  it('arange is int32 for integer arguments and float32 otherwise; empty ranges are empty', run(() => {
    expect(arange(4).dtype).toBe('int32');
    expect(arange(0, 1, 0.5).dtype).toBe('float32');
    expect(arange(0, 4, 1, { dtype: 'float64' }).dtype).toBe('float64');
    // PyTorch raises for a step pointing away from end; mlpkit returns an empty range, like NumPy.
    expect(arange(3, 1).shape).toEqual([0]);
    expect(() => arange(0, 1, 0)).toThrow(/arange: step must be non-zero/);
    expect(() => linspace(0, 1, -1)).toThrow(/linspace: steps must be a non-negative integer, got -1/);
  }));

  it('tensor() infers shape and dtype from nested arrays and typed arrays', run(() => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(tensor(7).shape).toEqual([]);
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('int32');
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor([1.7, -1.7], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
    // The typed array is copied, not shared.
    const src = new Float32Array([1, 2]);
    const copy = tensor(src);
    src[0] = 9;
    expect(copy.data[0]).toBe(1);
  }));

  it('tensor() rejects ragged arrays, wrong shapes and unknown dtypes with a clear message', run(() => {
    expect(() => tensor([[1, 2], [3]])).toThrow("tensor: ragged nested array: the list at [1] has 1 elements but shape [2, 2] (read from the first elements) expects 2");
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/ragged/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/tensor: 3 values do not fill shape \[2, 2\]/);
    expect(() => tensor(new Float32Array(3), { shape: [2, 2] })).toThrow(/tensor: 3 values do not fill shape \[2, 2\]/);
    expect(() => tensor([1], { dtype: 'int64' as DType })).toThrow(/unknown dtype 'int64'/);
  }));
});
