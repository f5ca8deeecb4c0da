import { describe, expect, it } from 'vitest';
import { conv2d, randn } from '../../src/index.js';
import { countFlops } from '../../src/tools/flops.js';

describe('countFlops', () => {
  it('counts 2·m·k·n per matmul, including batched and conv', () => {
    const a = randn([5, 7]);
    const b = randn([7, 3]);
    expect(countFlops(() => a.matmul(b))).toBe(2 * 5 * 7 * 3);
    expect(countFlops(() => randn([4, 5, 7]).matmul(randn([4, 7, 3])))).toBe(4 * 2 * 5 * 7 * 3);
    // conv: per output pixel, O × C × kh × kw multiply-adds
    const x = randn([2, 3, 8, 8]);
    const w = randn([4, 3, 3, 3]);
    expect(countFlops(() => conv2d(x, w, null, { padding: 1 }))).toBe(2 * 2 * 4 * 3 * 9 * 64);
    // nested counting leaves the outer count intact
    expect(countFlops(() => { a.matmul(b); countFlops(() => a.matmul(b)); })).toBe(2 * 2 * 5 * 7 * 3);
  });
});
