/** The tape: accumulation, noGrad, detach, retainGrad, seeds for non-scalar outputs, grad() and allowUnused. */
import { describe, expect, it } from 'vitest';
import { enableGrad, grad, isGradEnabled, noGrad, tensor, withBackend, type Tensor } from '../../src/index.js';
import { BACKENDS, expectClose } from '../helpers.js';

const vec = (xs: number[], requiresGrad = false): Tensor => tensor(xs, { requiresGrad });

describe.each(BACKENDS)('%s backend', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('backward fills .grad of leaves; a second backward accumulates', run(() => {
    const x = vec([1, 2, 3], true);
    const w = vec([0.5, -1, 2], true);
    x.mul(w).sum().backward();
    expectClose(x.grad!, [0.5, -1, 2]);
    expectClose(w.grad!, [1, 2, 3]);
    x.mul(x).sum().backward();
    expectClose(x.grad!, [0.5 + 2, -1 + 4, 2 + 6]);
    expectClose(w.grad!, [1, 2, 3]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
  }));

  it('a tensor used twice gets the sum of both paths', run(() => {
    const x = vec([3], true);
    const y = x.mul(x).add(x.exp()).add(x); // 2x + eˣ + 1
    y.backward();
    expectClose(x.grad!, [6 + Math.exp(3) + 1], { rtol: 1e-6 });
  }));

  it('noGrad records nothing; enableGrad turns recording back on inside it', run(() => {
    const x = vec([1, 2], true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const inner = enableGrad(() => x.mul(2));
      expect(inner.requiresGrad).toBe(true);
      return x.mul(2);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(() => y.sum().backward()).toThrow('backward: the tensor does not require grad');
    // The mode is restored even when the function throws.
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  }));

  it('detach cuts the graph and shares storage', run(() => {
    const x = vec([1, 2], true);
    const y = x.mul(3);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.data).toBe(y.data);
    // Only the path through y carries a gradient; the detached copy acts as a constant.
    y.mul(d).sum().backward();
    expectClose(x.grad!, [3 * 3, 3 * 6]);
  }));

  it('retainGrad keeps .grad of an intermediate tensor; others stay null', run(() => {
    const x = vec([1, -2], true);
    const h = x.mul(2).retainGrad();
    const k = h.add(1);
    k.mul(k).sum().backward();
    expectClose(h.grad!, [2 * 3, 2 * -3]);
    expect(k.grad).toBeNull();
    expectClose(x.grad!, [12, -12]);
  }));

  it('backward of a non-scalar output takes a seed gradient and refuses to run without one', run(() => {
    const x = vec([1, 2, 3], true);
    const y = x.mul(x);
    expect(() => y.backward()).toThrow('backward: a gradient must be given for a non-scalar output of shape [3]');
    y.backward(vec([1, 0, -1]));
    expectClose(x.grad!, [2, 0, -6]);
    // A one-element non-0-d output needs no seed.
    const z = vec([2], true);
    z.mul(5).backward();
    expectClose(z.grad!, [5]);
  }));

  it('grad() returns gradients without touching .grad, and allowUnused gives null for unused inputs', run(() => {
    const x = vec([1, 2], true);
    const u = vec([5], true);
    const [gx] = grad(x.pow(2).sum(), [x]);
    expectClose(gx!, [2, 4]);
    expect(x.grad).toBeNull();
    expect(gx!.requiresGrad).toBe(false);
    expect(() => grad(x.sum(), [x, u])).toThrow('grad: input 1 was not used to compute the outputs (pass allowUnused: true to get null)');
    const [a, b] = grad(x.sum(), [x, u], { allowUnused: true });
    expectClose(a!, [1, 1]);
    expect(b).toBeNull();
    expect(() => grad(x.mul(2), [x])).toThrow('grad: gradOutputs must be given for non-scalar output 0 of shape [2]');
    const [seeded] = grad(x.mul(2), [x], { gradOutputs: vec([1, -1]) });
    expectClose(seeded!, [2, -2]);
    expect(() => grad(x.sum(), [vec([1])])).toThrow('grad: input 0 does not require grad');
  }));

  it('grad() can differentiate with respect to intermediate tensors', run(() => {
    const x = vec([1, 2], true);
    const h = x.mul(3);
    const y = h.square().sum();
    const [gh, gx] = grad(y, [h, x]);
    expectClose(gh!, [6, 12]);
    expectClose(gx!, [18, 36]);
    const [gy] = grad(y, [y]);
    expectClose(gy!, [1]);
  }));

  it('grad() of several outputs adds their contributions', run(() => {
    const x = vec([1, 2], true);
    const [g] = grad([x.sum(), x.mul(x).sum()], [x]);
    expectClose(g!, [1 + 2, 1 + 4]);
  }));

  it('integer and bool intermediates stop the gradient without breaking the graph', run(() => {
    const x = vec([0.5, -1.5, 2.5], true);
    const mask = x.gt(0);
    const y = x.mul(mask.to('float32')).sum();
    y.backward();
    expectClose(x.grad!, [1, 0, 1]);
  }));

  it('a long chain (20 000 ops) backpropagates without overflowing the stack', run(() => {
    const x = vec([1], true);
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.add(1e-4);
    y.sum().backward();
    expectClose(x.grad!, [1]);
  }));
});
