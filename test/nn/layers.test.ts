/**
 * Every layer against PyTorch: the fixture holds a torch module's state_dict,
 * an input, the output, an upstream gradient and the gradients of the input
 * and of every parameter. Loading the state dict strictly also checks that
 * mlpkit names (and orders) its state exactly as PyTorch does.
 */
import { describe, expect, it } from 'vitest';
import { withBackend, type Tensor } from '../../src/index.js';
import * as nn from '../../src/nn/index.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';
import { Net } from './net.js';

type Args = Record<string, unknown>;

interface LayerCase {
  name: string;
  kind: string;
  args: Args;
  train: boolean;
  state: [string, FixtureTensor][];
  input: FixtureTensor;
  output: FixtureTensor;
  gout: FixtureTensor;
  gradInput: FixtureTensor | null;
  grads: [string, FixtureTensor][];
}

const num = (a: Args, k: string): number => a[k] as number;
const opt = <T>(a: Args, k: string): T | undefined => a[k] as T | undefined;

/** Builds the mlpkit layer for a fixture case (args are mlpkit option names). */
const BUILD: Record<string, (a: Args) => nn.Module<[Tensor], Tensor>> = {
  Linear: (a) => new nn.Linear(num(a, 'in'), num(a, 'out'), { bias: opt(a, 'bias') }),
  Conv1d: (a) => new nn.Conv1d(num(a, 'in'), num(a, 'out'), num(a, 'k'), {
    stride: opt(a, 'stride'), padding: opt(a, 'padding'), dilation: opt(a, 'dilation'), groups: opt(a, 'groups'), bias: opt(a, 'bias'), paddingMode: opt(a, 'paddingMode'),
  }),
  Conv2d: (a) => new nn.Conv2d(num(a, 'in'), num(a, 'out'), a.k as number | [number, number], {
    stride: opt(a, 'stride'), padding: opt(a, 'padding'), dilation: opt(a, 'dilation'), groups: opt(a, 'groups'), bias: opt(a, 'bias'), paddingMode: opt(a, 'paddingMode'),
  }),
  Embedding: (a) => new nn.Embedding(num(a, 'num'), num(a, 'dim'), { paddingIdx: opt(a, 'paddingIdx') }),
  LayerNorm: (a) => new nn.LayerNorm(a.shape as number[], { eps: opt(a, 'eps'), bias: opt(a, 'bias'), elementwiseAffine: opt(a, 'elementwiseAffine') }),
  RMSNorm: (a) => new nn.RMSNorm(a.shape as number[], { eps: opt(a, 'eps'), elementwiseAffine: opt(a, 'elementwiseAffine') }),
  GroupNorm: (a) => new nn.GroupNorm(num(a, 'groups'), num(a, 'channels'), { eps: opt(a, 'eps'), affine: opt(a, 'affine') }),
  BatchNorm1d: (a) => new nn.BatchNorm1d(num(a, 'features'), { eps: opt(a, 'eps') }),
  BatchNorm2d: (a) => new nn.BatchNorm2d(num(a, 'features'), { eps: opt(a, 'eps') }),
  ReLU: () => new nn.ReLU(),
  SquaredReLU: () => new nn.SquaredReLU(),
  GELU: (a) => new nn.GELU(opt(a, 'approximate')),
  SiLU: () => new nn.SiLU(),
  Sigmoid: () => new nn.Sigmoid(),
  Tanh: () => new nn.Tanh(),
  Softplus: (a) => new nn.Softplus(opt(a, 'beta'), opt(a, 'threshold')),
  LeakyReLU: (a) => new nn.LeakyReLU(opt(a, 'slope')),
  ELU: (a) => new nn.ELU(opt(a, 'alpha')),
  Mish: () => new nn.Mish(),
  GLU: (a) => new nn.GLU(opt(a, 'dim')),
  GEGLU: (a) => new nn.GEGLU(opt(a, 'dim'), opt(a, 'approximate')),
  SwiGLU: (a) => new nn.SwiGLU(opt(a, 'dim')),
  MaxPool2d: (a) => new nn.MaxPool2d(a.k as number, { stride: opt(a, 'stride'), padding: opt(a, 'padding'), dilation: opt(a, 'dilation'), ceilMode: opt(a, 'ceilMode') }),
  AvgPool2d: (a) => new nn.AvgPool2d(a.k as number, { stride: opt(a, 'stride'), padding: opt(a, 'padding'), ceilMode: opt(a, 'ceilMode'), countIncludePad: opt(a, 'countIncludePad') }),
  MaxPool1d: (a) => new nn.MaxPool1d(num(a, 'k'), { stride: opt(a, 'stride'), padding: opt(a, 'padding') }),
  AvgPool1d: (a) => new nn.AvgPool1d(num(a, 'k'), { stride: opt(a, 'stride') }),
  Flatten: () => new nn.Flatten(),
  Sequential: () => new nn.Sequential(new nn.Linear(4, 8), new nn.LayerNorm(8), new nn.GELU(), new nn.Linear(8, 2)),
  Net: () => new Net(),
};

const { cases } = loadFixture<{ cases: LayerCase[] }>('nn_layers.json');

describe('fixture coverage', () => {
  it('has a builder for every fixture kind and a fixture for every builder', () => {
    const kinds = new Set(cases.map((c) => c.kind));
    expect([...kinds].filter((k) => !BUILD[k])).toEqual([]);
    expect(Object.keys(BUILD).filter((k) => !kinds.has(k))).toEqual([]);
  });
});

describe.each(BACKENDS)('layers vs PyTorch on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    withBackend(backend, () => {
      const m = BUILD[c.kind](c.args);
      // A fresh module names and orders its state exactly as torch's state_dict.
      expect(Object.keys(m.stateDict())).toEqual(c.state.map(([k]) => k));
      m.loadStateDict(Object.fromEntries(c.state.map(([k, t]) => [k, fromFixture(t)])));
      m.train(c.train);
      const x = fromFixture(c.input, c.input.dtype === 'float32');
      const y = m.forward(x);
      expectClose(y, fromFixture(c.output), { atol: 2e-5, rtol: 2e-4 }, `${c.name} output`);
      y.backward(fromFixture(c.gout));
      if (c.gradInput) expectClose(x.grad!, fromFixture(c.gradInput), { atol: 5e-5, rtol: 5e-4 }, `${c.name} input grad`);
      const params = new Map(m.namedParameters());
      expect([...params.keys()]).toEqual(c.grads.map(([k]) => k));
      for (const [k, g] of c.grads) expectClose(params.get(k)!.grad!, fromFixture(g), { atol: 5e-5, rtol: 5e-4 }, `${c.name} grad of ${k}`);
    });
  });
});
