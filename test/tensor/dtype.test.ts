/** dtype promotion: what binary ops, scalars and unary ops give for each combination. */
import { describe, expect, it } from 'vitest';
import { cat, tensor, where, withBackend, type DType, type Tensor } from '../../src/index.js';
import { allocStorageUninit } from '../../src/tensor/dtype.js';
import { BACKENDS } from '../helpers.js';

const of = (dtype: DType): Tensor => tensor([1, 0, 1], { dtype });

// [a, b, a + b]: PyTorch's rules, except that bool arithmetic gives int32
// (PyTorch: bool + bool is logical or) and there is no int64.
const ADD: [DType, DType, DType][] = [
  ['float32', 'float32', 'float32'],
  ['float32', 'float64', 'float64'],
  ['float32', 'int32', 'float32'],
  ['float32', 'bool', 'float32'],
  ['float64', 'int32', 'float64'],
  ['float64', 'bool', 'float64'],
  ['int32', 'int32', 'int32'],
  ['int32', 'bool', 'int32'],
  ['bool', 'bool', 'int32'],
];

describe.each(BACKENDS)('%s backend', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it.each(ADD)('%s + %s is %s (both orders)', (a, b, want) =>
    withBackend(backend, () => {
      expect(of(a).add(of(b)).dtype).toBe(want);
      expect(of(b).add(of(a)).dtype).toBe(want);
      expect(of(a).mul(of(b)).dtype).toBe(want);
    }),
  );

  it('division is true division: integers give float32', run(() => {
    const q = tensor([7, -7], { dtype: 'int32' }).div(tensor([2, 2], { dtype: 'int32' }));
    expect(q.dtype).toBe('float32');
    expect(q.toArray()).toEqual([3.5, -3.5]);
    expect(of('float64').div(of('int32').add(1)).dtype).toBe('float64');
  }));

  it('a JS number adopts the tensor dtype unless it is fractional on an integer tensor', run(() => {
    expect(of('int32').add(2).dtype).toBe('int32');
    expect(of('int32').mul(2.5).dtype).toBe('float32');
    expect(of('int32').mul(2.5).toArray()).toEqual([2.5, 0, 2.5]);
    expect(of('float64').add(1).dtype).toBe('float64');
    expect(of('bool').add(1).dtype).toBe('int32');
    expect(of('bool').add(2).dtype).toBe('int32');
  }));

  it('comparisons give bool, whatever the inputs', run(() => {
    for (const d of ['float32', 'float64', 'int32', 'bool'] as DType[]) {
      expect(of(d).gt(0).dtype).toBe('bool');
      expect(of(d).eq(of('float32')).dtype).toBe('bool');
    }
  }));

  it('unary math computes in float32 for integers; sign-like ops keep the dtype', run(() => {
    expect(of('int32').exp().dtype).toBe('float32');
    expect(of('bool').sqrt().dtype).toBe('float32');
    expect(of('float64').tanh().dtype).toBe('float64');
    expect(of('int32').neg().dtype).toBe('int32');
    expect(of('int32').abs().dtype).toBe('int32');
    expect(of('int32').relu().dtype).toBe('int32');
  }));

  it('reductions: sum of integers or bools is int32, argmax is int32, mean needs floats', run(() => {
    expect(of('bool').sum().dtype).toBe('int32');
    expect(of('bool').sum().item()).toBe(2);
    expect(of('int32').sum().dtype).toBe('int32');
    expect(of('float64').sum().dtype).toBe('float64');
    expect(of('float64').argmax().dtype).toBe('int32');
    expect(() => of('int32').mean()).toThrow('mean: expected a floating-point tensor, got int32');
  }));

  it('where, cat and casts promote like arithmetic', run(() => {
    const c = tensor([true, false, true]);
    expect(where(c, of('int32'), of('float64')).dtype).toBe('float64');
    expect(where(c, of('int32'), 0.5).dtype).toBe('float32');
    expect(cat([of('int32'), of('float32')]).dtype).toBe('float32');
    expect(cat([of('float64'), of('float32')]).dtype).toBe('float64');
    expect(tensor([1.9, -1.9]).int().toArray()).toEqual([1, -1]);
    expect(tensor([2, 0]).to('bool').toArray()).toEqual([1, 0]);
  }));

  it('only floating-point tensors can require grad', run(() => {
    expect(() => of('int32').requiresGrad_()).toThrow('only floating-point tensors can require grad, this one is int32');
    expect(of('float64').requiresGrad_().requiresGrad).toBe(true);
  }));

  it('casts between floats are differentiable and the gradient comes back in the input dtype', run(() => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.to('float64').mul(3).sum();
    y.backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.toArray()).toEqual([3, 3]);
  }));
});

describe('allocStorageUninit', () => {
  it('gives storage of the right type and length, small or large, with its own memory', () => {
    const types = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;
    for (const [dtype, ctor] of Object.entries(types) as [DType, (typeof types)[keyof typeof types]][]) {
      for (const size of [0, 3, 4096, 100_000]) {
        const a = allocStorageUninit(dtype, size);
        const b = allocStorageUninit(dtype, size);
        expect(a).toBeInstanceOf(ctor);
        expect(a.length).toBe(size);
        expect(a.byteLength).toBe(a.buffer.byteLength); // the whole buffer: safe to hand to code that writes .buffer
        if (size > 0) {
          a.fill(1);
          b.fill(2);
          expect(a[size - 1]).toBe(1); // not shared
        }
      }
    }
  });
});
