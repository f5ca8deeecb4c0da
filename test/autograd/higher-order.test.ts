/**
 * Higher-order gradients: backward rules are written in differentiable ops, so
 * grad(…, { createGraph: true }) can be differentiated again. Checked on
 * closed forms, on a PyTorch Hessian-vector product, and by finite differences
 * of gradients (gradcheck of a function that itself calls grad).
 */
import { describe, expect, it } from 'vitest';
import {
  bceWithLogits, conv2d, crossEntropy, enableGrad, grad, gradcheck, maxPool2d, randn, tensor, withBackend, Generator, type Tensor,
} from '../../src/index.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';

interface HvpCase {
  x: FixtureTensor;
  y: FixtureTensor;
  params: FixtureTensor[];
  v: FixtureTensor[];
  loss: FixtureTensor;
  grads: FixtureTensor[];
  hvp: FixtureTensor[];
}
const hvpCase = loadFixture<{ cases: HvpCase[] }>('ops_autograd.json').cases[0];

describe.each(BACKENDS)('%s backend', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('d²/dx² x³ = 6x and d³/dx³ x³ = 6', run(() => {
    const x = tensor([-1.5, 0.5, 2], { requiresGrad: true });
    const [d1] = grad(x.pow(3).sum(), [x], { createGraph: true });
    expectClose(d1!, [6.75, 0.75, 12]);
    expect(d1!.requiresGrad).toBe(true);
    const [d2] = grad(d1!.sum(), [x], { createGraph: true });
    expectClose(d2!, [-9, 3, 12]);
    const [d3] = grad(d2!.sum(), [x]);
    expectClose(d3!, [6, 6, 6]);
  }));

  it('backward with createGraph leaves a differentiable .grad', run(() => {
    const x = tensor([2], { requiresGrad: true });
    x.pow(3).backward(undefined, { createGraph: true });
    const g = x.grad!;
    expectClose(g, [12]);
    const [h] = grad(g.sum(), [x]);
    expectClose(h!, [12]);
  }));

  it('the Hessian-vector product of a tanh MLP matches PyTorch', run(() => {
    const x = fromFixture(hvpCase.x);
    const y = fromFixture(hvpCase.y);
    const params = hvpCase.params.map((p) => fromFixture(p, true));
    const [w1, b1, w2, b2] = params;
    const loss = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sub(y).square().mean();
    expectClose(loss, fromFixture(hvpCase.loss), { atol: 1e-6, rtol: 1e-5 }, 'loss');
    const grads = grad(loss, params, { createGraph: true }) as Tensor[];
    grads.forEach((g, i) => expectClose(g, fromFixture(hvpCase.grads[i]), { atol: 1e-6, rtol: 1e-4 }, `grad ${i}`));
    const dot = grads.map((g, i) => g.mul(fromFixture(hvpCase.v[i])).sum()).reduce((a, b) => a.add(b));
    const hvp = grad(dot, params, { allowUnused: true });
    hvp.forEach((h, i) => {
      const want = fromFixture(hvpCase.hvp[i]);
      // The second-layer bias enters linearly: its row of the Hessian is constant, never null here.
      expectClose(h ?? want.zerosLike(), want, { atol: 1e-5, rtol: 1e-4 }, `hvp ${i}`);
    });
  }));
});

/**
 * f's gradient, as a differentiable function of the inputs: gradcheck of this
 * compares the second derivatives with finite differences of the first.
 * gradcheck evaluates its finite differences under noGrad, so the inner grad
 * turns recording back on.
 */
function gradOf(f: (...xs: Tensor[]) => Tensor, seed = 1): (...xs: Tensor[]) => Tensor[] {
  let v: Tensor | null = null;
  return (...xs) =>
    enableGrad(() => {
      const out = f(...xs);
      v ??= randn(out.shape, { dtype: 'float64', generator: new Generator(seed) });
      return grad(out.mul(v).sum(), xs, { createGraph: true, allowUnused: true }).map((g, i) => g ?? xs[i].zerosLike());
    });
}

const g = new Generator(2024);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g });
const positive = (...shape: number[]): Tensor => r(...shape).abs().add(0.3);
const labels = tensor([0, 3, 1, 1], { dtype: 'int32' });

const SECOND_ORDER: [string, (...xs: Tensor[]) => Tensor, Tensor[]][] = [
  ['softmax', (x) => x.softmax(-1), [r(3, 4)]],
  ['logSoftmax', (x) => x.logSoftmax(0), [r(3, 4)]],
  ['logsumexp', (x) => x.logsumexp([0, 2], true), [r(2, 3, 2)]],
  ['conv2d (input, weight, bias)', (x, w, b) => conv2d(x, w, b, { padding: 1, stride: 2 }).tanh(), [r(1, 2, 4, 4), r(3, 2, 3, 3), r(3)]],
  ['conv2d with groups and dilation', (x, w) => conv2d(x, w, null, { groups: 2, dilation: 2 }).square(), [r(1, 4, 5, 5), r(2, 2, 2, 2)]],
  ['matmul → tanh', (a, b) => a.matmul(b).tanh(), [r(2, 3, 4), r(4, 2)]],
  ['exp, log, sqrt, rsqrt, reciprocal', (x) => x.exp().add(x.log()).add(x.sqrt()).add(x.rsqrt()).add(x.reciprocal()), [positive(5)]],
  ['sin, cos, sigmoid, erf', (x) => x.sin().mul(x.cos()).add(x.sigmoid()).add(x.erf()), [r(6)]],
  ['gelu exact and tanh, silu, softplus', (x) => x.gelu().add(x.gelu('tanh')).add(x.silu()).add(x.softplus(2)), [r(6)]],
  ['pow with tensor exponent, div', (x, y) => x.pow(y).div(y.add(3)), [positive(4), r(4)]],
  ['var and std', (x) => x.var(1).add(x.std(0, { unbiased: false }).sum()), [r(3, 4)]],
  ['crossEntropy with smoothing', (x) => crossEntropy(x, labels, { labelSmoothing: 0.1 }), [r(4, 5)]],
  ['bceWithLogits', (x, y) => bceWithLogits(x, y), [r(3, 2), r(3, 2).sigmoid()]],
  ['maxPool2d → square', (x) => maxPool2d(x, 2).square(), [r(1, 1, 4, 4)]],
  ['gather, cumsum, pad (reflect)', (x) => x.square().gather(1, tensor([[2, 0], [1, 1]], { dtype: 'int32' })).cumsum(1).pad([1, 1], 'reflect').tanh(), [r(2, 3)]],
];

describe('second order by finite differences of gradients (float64, reference backend)', () => {
  it.each(SECOND_ORDER)('%s', (_name, f, inputs) => {
    expect(gradcheck(gradOf(f), inputs, { atol: 1e-5, rtol: 1e-3 })).toBe(true);
  });
});
