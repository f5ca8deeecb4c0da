/**
 * What tensor() and the shape-taking functions accept, and the one-line
 * errors for what they refuse: non-numeric data, and sizes given as one
 * array or as separate numbers (PyTorch's two spellings).
 */
import { describe, expect, it } from 'vitest';
import { full, Generator, ones, rand, randn, tensor, withBackend, zeros } from '../../src/index.js';
import { BACKENDS, expectClose } from '../helpers.js';

describe('tensor() data', () => {
  it('refuses non-numeric elements, naming the index and the value', () => {
    expect(() => tensor([1, 'a'] as never)).toThrow('tensor: element [1] is the string "a"; expected numbers or booleans');
    expect(() => tensor([[1, 2], [3, null]] as never)).toThrow('tensor: element [1, 1] is null; expected numbers or booleans');
    expect(() => tensor([[1, 2], [undefined, 4]] as never)).toThrow('tensor: element [1, 0] is undefined');
    expect(() => tensor([{ v: 1 }] as never)).toThrow('tensor: element [0] is an object {"v":1}');
    expect(() => tensor([1n] as never)).toThrow('tensor: element [0] is the bigint 1n');
    expect(() => tensor('12' as never)).toThrow('tensor: the data is the string "12"');
    expect(() => tensor([new Float32Array(2), new Float32Array(2)] as never)).toThrow(/element \[0\] is a Float32Array.*Array\.from/);
  });

  it('refuses ragged nested arrays wherever the raggedness is', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('the list at [1] has 1 elements but shape [2, 2] (read from the first elements) expects 2');
    expect(() => tensor([[1, 2], 3] as never)).toThrow('element [1] is 3 but shape [2, 2] (read from the first elements) expects a list of 2');
    expect(() => tensor([[1, [2]], [3, 4]] as never)).toThrow('element at [0, 1] is a list but shape [2, 2] expects a number');
    expect(() => tensor([[[1], [2]], [[3], [4, 5]]])).toThrow('the list at [1, 1] has 2 elements');
  });

  it('booleans give a bool tensor only when every element is one (as PyTorch); mixed with numbers they are 1 and 0', () => {
    const b = tensor([[true, false], [false, true]]);
    expect(b.dtype).toBe('bool');
    expect([...b.data]).toEqual([1, 0, 0, 1]);
    const m = tensor([true, 2.5, false]);
    expect(m.dtype).toBe('float32');
    expect([...m.data]).toEqual([1, 2.5, 0]);
    // The first element does not decide: a number after a leading boolean is kept, not squashed into a bool.
    expect([...tensor([true, 2]).data]).toEqual([1, 2]);
    expect(tensor(true).dtype).toBe('bool');
  });

  it('still takes numbers, typed arrays and array-likes', () => {
    expect([...tensor({ length: 2, 0: 3, 1: 4 } as ArrayLike<number>).data]).toEqual([3, 4]);
    expect(tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] }).dtype).toBe('int32');
    expect(tensor([NaN]).data[0]).toBeNaN();
    expect(tensor([]).shape).toEqual([0]);
  });
});

describe.each(BACKENDS)('%s backend: sizes as one array or as separate numbers', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('creation functions take both spellings, with or without options', run(() => {
    expect(zeros(2, 3).shape).toEqual([2, 3]);
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    expect(ones(4).shape).toEqual([4]);
    expect(zeros(2, 3, { dtype: 'int32' }).dtype).toBe('int32');
    expect(zeros([], { dtype: 'float64' }).shape).toEqual([]);
    expect(rand(2, 1, 2).shape).toEqual([2, 1, 2]);
    // Same generator state, same numbers, whichever spelling.
    expectClose(randn(2, 3, { generator: new Generator(7) }), randn([2, 3], { generator: new Generator(7) }).data);
  }));

  it('view, reshape, permute, expand and repeat take both spellings', run(() => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.view(3, 2).shape).toEqual([3, 2]);
    expect(x.reshape(-1).shape).toEqual([6]);
    expect(x.reshape([1, 6]).shape).toEqual([1, 6]);
    expectClose(x.permute(1, 0), [1, 4, 2, 5, 3, 6]);
    expect(x.unsqueeze(0).expand(4, -1, -1).shape).toEqual([4, 2, 3]);
    expectClose(x.repeat(1, 2), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
  }));

  it('the types accept each spelling and refuse a mix', run(() => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    // @ts-expect-error an array and then separate sizes
    expect(() => x.view([2], 3)).toThrow('view: unexpected argument 3 after the shape [2]');
    // @ts-expect-error options after a method's sizes
    expect(() => x.reshape(3, 2, { dtype: 'int32' })).toThrow('reshape: argument 2 is an object');
    // @ts-expect-error a string size
    expect(() => zeros(2, '3')).toThrow('zeros: argument 1 is the string "3"');
  }));

  it('bad sizes get one-line errors naming the argument, never an internal message', run(() => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => x.view(16, 320)).toThrow('view: cannot reshape a tensor of shape [2, 3] (6 elements) into [16, 320]');
    expect(() => (x.view as (...a: unknown[]) => unknown)(2, '3')).toThrow('view: argument 1 is the string "3"; expected an integer');
    expect(() => x.view(2.5, 2)).toThrow('view: size 2.5 at index 0 of [2.5, 2] is not a non-negative integer');
    expect(() => x.reshape([2, [3]] as never)).toThrow('reshape: shape element at index 1 is an array of length 1; expected an integer');
    expect(() => (x.reshape as (...a: unknown[]) => unknown)()).toThrow('reshape: no sizes given');
    expect(() => (x.permute as (...a: unknown[]) => unknown)()).toThrow('permute: no dims given (write permute([1, 0]) or permute(1, 0))');
    expect(() => x.permute(0, 5)).toThrow('permute: dim 5 is out of range for a tensor of rank 2');
    expect(() => x.repeat(2, -1)).toThrow('repeat: repeat count -1 at index 1 of [2, -1] is not a non-negative integer');
    expect(() => (x.expand as (...a: unknown[]) => unknown)(null)).toThrow('expand: expected sizes as expand([2, 3]) or expand(2, 3), got null');
    expect(() => zeros(2, -3)).toThrow('zeros: size -3 at index 1 of [2, -3] is not a non-negative integer');
    expect(() => ones(1.5)).toThrow('ones: size 1.5 at index 0 of [1.5]');
    expect(() => (zeros as (...a: unknown[]) => unknown)()).toThrow('zeros: no sizes given (write zeros([2, 3]) or zeros(2, 3); [] gives a 0-d tensor)');
    expect(() => (zeros as (...a: unknown[]) => unknown)({ dtype: 'int32' })).toThrow('zeros: no sizes given');
    expect(() => (zeros as (...a: unknown[]) => unknown)([2], 3)).toThrow('zeros: unexpected argument 3 after the shape [2] (give the sizes either as one array or as separate numbers)');
    expect(() => full(2 as never, 3)).toThrow('full: expected the shape as an array of numbers like [2, 3], got 2');
    expect(() => full([2], '1' as never)).toThrow('full: the fill value must be a number or a boolean, got the string "1"');
    expect(full([2], true).dtype).toBe('bool');
    expect(() => (randn as (...a: unknown[]) => unknown)(2, 3, 'x')).toThrow('randn: argument 2 is the string "x"; expected an integer (or, last, an options object)');
  }));
});
