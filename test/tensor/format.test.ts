/** Reading tensors back: toString, toArray, item. */
import { describe, expect, it } from 'vitest';
import { arange, tensor, withBackend } from '../../src/index.js';
import { BACKENDS } from '../helpers.js';

describe.each(BACKENDS)('%s backend', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('toString shows values, shape, dtype and grad status', run(() => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1, 2],\n        [3, 4]], shape=[2, 2], dtype=float32)');
    expect(tensor(3.14159265).toString()).toBe('tensor(3.14159, shape=[], dtype=float32)');
    expect(tensor([true, false]).toString()).toBe('tensor([true, false], shape=[2], dtype=bool)');
    expect(tensor([1.5], { requiresGrad: true }).toString()).toBe('tensor([1.5], shape=[1], dtype=float32, requiresGrad=true)');
    expect(tensor([1.5], { requiresGrad: true }).mul(2).toString()).toBe('tensor([3], shape=[1], dtype=float32, gradFn=mul)');
    expect(tensor([]).toString()).toBe('tensor([], shape=[0], dtype=float32)');
  }));

  it('toString elides the middle of long dims', run(() => {
    expect(arange(20).toString()).toBe('tensor([0, 1, 2, ..., 17, 18, 19], shape=[20], dtype=int32)');
    const s = arange(30).reshape([10, 3]).toString();
    expect(s.split('\n')).toHaveLength(7);
    expect(s).toContain('...');
    expect(s).toContain('[27, 28, 29]');
  }));

  it('toArray gives nested arrays (a number for 0-d)', run(() => {
    expect(arange(6).reshape([2, 3]).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(arange(4).reshape([2, 1, 2]).toArray()).toEqual([[[0, 1]], [[2, 3]]]);
    expect(tensor(2.5).toArray()).toBe(2.5);
    expect(tensor([[]]).toArray()).toEqual([[]]);
    expect(tensor([0.1]).toArray()).toEqual([Math.fround(0.1)]);
  }));

  it('item gives the value of a one-element tensor and names the shape otherwise', run(() => {
    expect(tensor(4).item()).toBe(4);
    expect(tensor([[7]]).item()).toBe(7);
    expect(() => tensor([1, 2]).item()).toThrow('item: tensor of shape [2] has 2 elements, not 1');
  }));
});
