/**
 * Optimisers against PyTorch: the same small problem, the parameters after
 * every step; state-dict round trips that continue identically; clipping.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, randn, tensor, zeros } from '../../src/index.js';
import { Parameter } from '../../src/nn/index.js';
import { Adam, AdamW, clipGradNorm, clipGradValue, SGD, type Optimizer } from '../../src/optim/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';

type Name = 'W' | 'b' | 'c';

interface OptCase {
  kind: 'SGD' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  groups: [Name[], Record<string, unknown>][];
  clip: number | null;
  frozenC: boolean;
  history: Record<Name, FixtureTensor>[];
  clipNorms: number[];
}

interface Fixture {
  problem: Record<'W' | 'b' | 'c' | 'X' | 'Y', FixtureTensor>;
  steps: number;
  cases: OptCase[];
}

const fx = loadFixture<Fixture>('optim_steps.json');
const X = fromFixture(fx.problem.X);
const Y = fromFixture(fx.problem.Y);

function freshParams(): Record<Name, Parameter> {
  return { W: new Parameter(fromFixture(fx.problem.W)), b: new Parameter(fromFixture(fx.problem.b)), c: new Parameter(fromFixture(fx.problem.c)) };
}

/** mean((tanh(X Wᵀ + b) − Y)²) + 0.1·Σc², as in the fixture script. */
function loss(p: Record<Name, Tensor>, frozenC: boolean): Tensor {
  const c = frozenC ? p.c.detach() : p.c;
  return X.matmul(p.W.mT).add(p.b).tanh().sub(Y).square().mean().add(c.square().sum().mul(0.1));
}

function build(c: OptCase, p: Record<Name, Parameter>): Optimizer {
  const groups = c.groups.map(([names, over]) => ({ params: names.map((n) => p[n]), ...over }));
  const opts = c.options as never;
  return c.kind === 'SGD' ? new SGD(groups, opts) : c.kind === 'Adam' ? new Adam(groups, opts) : new AdamW(groups, opts);
}

/** One training step; returns the clip norm when clipping. */
function trainStep(c: OptCase, p: Record<Name, Parameter>, opt: Optimizer): number | null {
  opt.zeroGrad();
  loss(p, c.frozenC).backward();
  const norm = c.clip !== null ? clipGradNorm(Object.values(p), c.clip) : null;
  opt.step();
  return norm;
}

const label = (c: OptCase): string => `${c.kind} ${JSON.stringify(c.options)}${c.groups.length > 1 ? ' 2 groups' : ''}${c.clip !== null ? ` clip ${c.clip}` : ''}${c.frozenC ? ' c without grad' : ''}`;
const TOL = { atol: 2e-6, rtol: 1e-4 };

describe('optimisers vs PyTorch, parameters after every step', () => {
  it.each(fx.cases.map((c) => [label(c), c] as const))('%s', (_l, c) => {
    const p = freshParams();
    const ids = { ...p };
    const opt = build(c, p);
    c.history.forEach((expected, step) => {
      const norm = trainStep(c, p, opt);
      if (norm !== null) expect(norm).toBeCloseTo(c.clipNorms[step], 5);
      for (const n of ['W', 'b', 'c'] as const) expectClose(p[n], fromFixture(expected[n]), TOL, `step ${step + 1} ${n}`);
    });
    // Updated in place: the same parameter objects and storage.
    for (const n of ['W', 'b', 'c'] as const) expect(p[n]).toBe(ids[n]);
    if (c.frozenC) expect(opt.state.has(p.c)).toBe(false);
  });
});

describe('state dict round trip', () => {
  it.each(fx.cases.map((c) => [label(c), c] as const))('%s: save at step 4, load into a fresh optimiser, continue identically', (_l, c) => {
    const half = Math.floor(fx.steps / 2);
    // Uninterrupted run.
    const p1 = freshParams();
    const o1 = build(c, p1);
    for (let s = 0; s < fx.steps; s++) trainStep(c, p1, o1);
    // Interrupted: save after `half` steps, rebuild everything, load, continue.
    const p2 = freshParams();
    const o2 = build(c, p2);
    for (let s = 0; s < half; s++) trainStep(c, p2, o2);
    const saved = o2.stateDict();
    const params = Object.fromEntries(Object.entries(p2).map(([k, v]) => [k, v.clone().detach()]));
    const p3 = freshParams();
    for (const n of ['W', 'b', 'c'] as const) p3[n].data.set(params[n].data);
    const o3 = build(c, p3);
    o3.loadStateDict(saved);
    for (let s = half; s < fx.steps; s++) trainStep(c, p3, o3);
    for (const n of ['W', 'b', 'c'] as const) expect(Array.from(p3[n].data)).toEqual(Array.from(p1[n].data));
    for (const n of ['W', 'b', 'c'] as const) expectClose(p3[n], fromFixture(c.history[fx.steps - 1][n]), TOL, n);
  });

  it('uses PyTorch state names and copies buffers', () => {
    const p = new Parameter(tensor([1, 2]));
    const opt = new Adam([p], { lr: 0.1, amsgrad: true });
    p.grad = tensor([0.5, -1]);
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state[0])).toEqual(['step', 'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq']);
    expect(sd.state[0].step).toBe(1);
    expect(sd.paramGroups[0]).toMatchObject({ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, params: [0] });
    const m = sd.state[0].exp_avg as Tensor;
    const before = Array.from(m.data);
    opt.step();
    expect(Array.from(m.data)).toEqual(before);
  });

  it('rejects a state dict for other parameters, naming the difference', () => {
    const a = new SGD([{ params: [new Parameter(zeros([2]))] }, { params: [new Parameter(zeros([3]))] }], { lr: 0.1, momentum: 0.9 });
    const one = new SGD([new Parameter(zeros([2]))], { lr: 0.1 });
    expect(() => one.loadStateDict(a.stateDict())).toThrow(/the state dict has 2 parameter groups, the optimizer has 1/);
    const b = new SGD([{ params: [new Parameter(zeros([2]))] }, { params: [new Parameter(zeros([4]))] }], { lr: 0.1, momentum: 0.9 });
    for (const g of a.paramGroups) for (const p of g.params) p.grad = zeros(p.shape);
    a.step();
    expect(() => b.loadStateDict(a.stateDict())).toThrow(/'momentum_buffer' of parameter 1 has shape \[3\], the parameter has \[4\]/);
  });
});

describe('optimiser behaviour', () => {
  it('skips parameters without a gradient and frozen ones', () => {
    const a = new Parameter(tensor([1, 1]));
    const b = new Parameter(tensor([1, 1]));
    const opt = new SGD([a, b], { lr: 0.5, momentum: 0.9 });
    a.grad = tensor([1, 2]);
    opt.step();
    expect(Array.from(a.data)).toEqual([0.5, 0]);
    expect(Array.from(b.data)).toEqual([1, 1]);
    expect(opt.state.has(b)).toBe(false);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('reads the group lr at each step (schedulers write it)', () => {
    const p = new Parameter(tensor([0]));
    const opt = new SGD([p], { lr: 1 });
    p.grad = tensor([1]);
    opt.step();
    opt.paramGroups[0].lr = 0.25;
    opt.step();
    expect(p.data[0]).toBe(-1.25);
  });

  it('validates hyperparameters and parameters', () => {
    const p = new Parameter(zeros([1]));
    expect(() => new SGD([p], { lr: -1 })).toThrow(/invalid learning rate -1/);
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum needs momentum > 0 and dampening 0/);
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(/invalid beta parameter at index 0: 1/);
    expect(() => new AdamW([], {})).toThrow(/AdamW: got an empty parameter list/);
    expect(() => new SGD([p, p], { lr: 1 })).toThrow(/appear more than once/);
    expect(() => new SGD(new Parameter(zeros([1])) as never, { lr: 1 })).toThrow(/expected an iterable of parameters .*model.parameters\(\).*got Parameter/);
    const x = randn([2], { requiresGrad: true });
    expect(() => new SGD([x.mul(2)], { lr: 1 })).toThrow(/cannot optimise a non-leaf tensor \(parameter 0 of group 0, shape \[2\]\)/);
  });

  it('AdamW decays decoupled from the gradient; Adam through it', () => {
    // Zero gradient: Adam with L2 moves by the normalised decay, AdamW only shrinks.
    const pa = new Parameter(tensor([2]));
    const pw = new Parameter(tensor([2]));
    const adam = new Adam([pa], { lr: 0.1, weightDecay: 0.5 });
    const adamw = new AdamW([pw], { lr: 0.1, weightDecay: 0.5 });
    pa.grad = tensor([0]);
    pw.grad = tensor([0]);
    adam.step();
    adamw.step();
    expect(pw.data[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6);
    expect(pa.data[0]).toBeCloseTo(2 - 0.1, 5);
  });

  it('keeps float64 parameters in float64', () => {
    const p = new Parameter(tensor([1], { dtype: 'float64' }));
    const opt = new Adam([p], { lr: 1e-3 });
    p.grad = tensor([1e-3], { dtype: 'float64' });
    opt.step();
    expect(opt.state.get(p)!.exp_avg).toBeInstanceOf(Float64Array);
    // First step: m̂ = g, √v̂ = |g|, so θ moves by lr·|g|/(|g| + eps), exactly in float64.
    expect(p.data[0]).toBeCloseTo(1 - (1e-3 * 1e-3) / (1e-3 + 1e-8), 14);
  });
});

describe('clipping', () => {
  it('clipGradNorm returns the total norm and scales all gradients together', () => {
    const a = new Parameter(zeros([2]));
    const b = new Parameter(zeros([1]));
    const unused = new Parameter(zeros([3]));
    a.grad = tensor([3, 0]);
    b.grad = tensor([4]);
    expect(clipGradNorm([a, b, unused], 1)).toBeCloseTo(5, 6);
    const k = 1 / (5 + 1e-6);
    expectClose(a.grad!, [3 * k, 0], { atol: 1e-7 });
    expectClose(b.grad!, [4 * k], { atol: 1e-7 });
    expect(unused.grad).toBeNull();
    // Below the threshold nothing changes.
    const g = a.grad;
    expect(clipGradNorm([a, b], 10)).toBeCloseTo(1, 5);
    expect(a.grad).toBe(g);
  });

  it('supports the max norm and p-norms, and can refuse non-finite norms', () => {
    const a = new Parameter(zeros([3]));
    a.grad = tensor([1, -4, 2]);
    expect(clipGradNorm([a], 100, { normType: Infinity })).toBe(4);
    expect(clipGradNorm([a], 100, { normType: 1 })).toBeCloseTo(7, 6);
    a.grad = tensor([1, NaN, 2]);
    expect(Number.isNaN(clipGradNorm([a], 1))).toBe(true);
    a.grad = tensor([1, Infinity, 2]);
    expect(() => clipGradNorm([a], 1, { errorIfNonfinite: true })).toThrow(/total norm of order 2 of the gradients is Infinity/);
  });

  it('does not scale gradients in place (two parameters may share one gradient storage)', () => {
    const a = new Parameter(tensor([1, 1]));
    const b = new Parameter(tensor([1, 1]));
    a.add(b).sum().backward();
    clipGradNorm([a, b], 1);
    expectClose(a.grad!, [0.5, 0.5], { atol: 1e-6 });
    expectClose(b.grad!, [0.5, 0.5], { atol: 1e-6 });
  });

  it('clipGradValue clamps elementwise', () => {
    const a = new Parameter(zeros([3]));
    a.grad = tensor([-3, 0.5, 2]);
    clipGradValue([a], 1);
    expect(Array.from(a.grad.data)).toEqual([-1, 0.5, 1]);
  });
});
