/** A graph is backpropagated through once unless retainGraph (or createGraph) keeps it, as in PyTorch. */
import { describe, expect, it } from 'vitest';
import { grad, tensor, withBackend, type Tensor } from '../../src/index.js';
import { BACKENDS, expectClose } from '../helpers.js';

const vec = (xs: number[], requiresGrad = false): Tensor => tensor(xs, { requiresGrad });

describe.each(BACKENDS)('%s backend', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('a second backward through a released graph throws and says how to keep it', run(() => {
    const x = vec([1, 2], true);
    const loss = x.mul(x).sum();
    loss.backward();
    expectClose(x.grad!, [2, 4]);
    expect(() => loss.backward()).toThrow(/already used by an earlier backward pass.*retainGraph: true/);
    // The failed pass added nothing.
    expectClose(x.grad!, [2, 4]);
  }));

  it('a second loss sharing part of a released graph throws too', run(() => {
    const x = vec([1, 2], true);
    const h = x.exp();
    h.sum().backward();
    expect(() => h.mul(3).sum().backward()).toThrow("backward: the graph through 'exp' was already used");
  }));

  it('retainGraph keeps the graph: a second backward accumulates exactly', run(() => {
    const x = vec([1, 2], true);
    const loss = x.mul(x).sum();
    loss.backward({ retainGraph: true });
    expectClose(x.grad!, [2, 4]);
    loss.backward(undefined, { retainGraph: true });
    expectClose(x.grad!, [4, 8]);
    // The last pass may release it; after that it is gone.
    loss.backward();
    expectClose(x.grad!, [6, 12]);
    expect(() => loss.backward()).toThrow('retainGraph');
  }));

  it('retainGraph with an explicit output gradient', run(() => {
    const x = vec([1, 2], true);
    const y = x.mul(3);
    y.backward(vec([1, 1]), { retainGraph: true });
    y.backward(vec([1, -1]));
    expectClose(x.grad!, [6, 0]);
  }));

  it('grad() releases the graph unless retainGraph; createGraph implies retaining it', run(() => {
    const x = vec([2], true);
    const y = x.pow(3).sum();
    const [g1] = grad(y, [x], { retainGraph: true });
    const [g2] = grad(y, [x]);
    expectClose(g1!, [12]);
    expectClose(g2!, [12]);
    expect(() => grad(y, [x])).toThrow("grad: the graph through 'sum' was already used by an earlier backward pass");

    const z = x.pow(3).sum();
    const [dz] = grad(z, [x], { createGraph: true });
    // The first-order graph is still there (createGraph kept it) …
    const [again] = grad(z, [x]);
    expectClose(again!, [12]);
    // … and the gradient itself is differentiable.
    const [d2] = grad(dz!.sum(), [x]);
    expectClose(d2!, [12]);
  }));

  it('grad() runs only the part of the graph between outputs and inputs, and releases only that', run(() => {
    const x = vec([1, 2], true);
    const h = x.mul(3);
    const y = h.square().sum();
    // With respect to y itself nothing runs, so the graph is intact afterwards.
    const [gy] = grad(y, [y]);
    expectClose(gy!, [1]);
    const [gh] = grad(y, [h]);
    expectClose(gh!, [6, 12]);
    // square and sum were released; mul (below h) was not needed and is still usable.
    expect(() => grad(y, [h])).toThrow("'sum'");
    const [gx] = grad(h.sum(), [x]);
    expectClose(gx!, [3, 3]);
  }));

  it('backward options and gradients are checked', run(() => {
    const x = vec([1, 2], true);
    const y = x.sum();
    expect(() => y.backward({ retainGrpah: true } as never)).toThrow("backward: unknown option 'retainGrpah' (did you mean 'retainGraph'?)");
    expect(() => y.backward([1] as never)).toThrow('backward: the gradient must be a tensor shaped like the output [], got an array of length 1');
    expect(() => grad(y, [x], { allowUnsued: true } as never)).toThrow("grad: unknown option 'allowUnsued' (did you mean 'allowUnused'?)");
  }));
});
