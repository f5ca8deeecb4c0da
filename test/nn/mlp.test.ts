/**
 * nn's Mlp, option by option: shapes, state-dict names, the forward pass
 * against the same math written with functional ops, the fused ReLU path
 * against the composition, and the 1×1-conv form against the linear form.
 */
import { describe, expect, it } from 'vitest';
import { Generator, randn, withBackend, type Tensor } from '../../src/index.js';
import { Conv2d, functional as F, GLU, LayerNorm, Linear, Mlp, ReLU, Sigmoid, SiLU, type FcLayer } from '../../src/nn/index.js';
import { BACKENDS, expectClose } from '../helpers.js';

const x = (shape: number[], seed = 1): Tensor => randn(shape, { generator: new Generator(seed) });
const keys = (m: Mlp): string[] => Object.keys(m.stateDict());
const shapes = (m: Mlp): Record<string, readonly number[]> => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));
const lin = (fc: FcLayer): Linear => fc as Linear;
const TOL = { atol: 1e-5, rtol: 1e-5 };

describe('Mlp: shapes and state-dict names', () => {
  it('defaults: fc1 and fc2 as wide as the input, over the last dim', () => {
    const m = new Mlp(8);
    expect(m.forward(x([2, 3, 8])).shape).toEqual([2, 3, 8]);
    expect(shapes(m)).toEqual({ 'fc1.weight': [8, 8], 'fc1.bias': [8], 'fc2.weight': [8, 8], 'fc2.bias': [8] });
  });

  it('hidden and output widths', () => {
    const m = new Mlp(6, { hiddenFeatures: 10, outFeatures: 3 });
    expect(m.forward(x([4, 6])).shape).toEqual([4, 3]);
    expect(shapes(m)).toEqual({ 'fc1.weight': [10, 6], 'fc1.bias': [10], 'fc2.weight': [3, 10], 'fc2.bias': [3] });
  });

  it('bias: one flag for both layers, or one per layer', () => {
    expect(keys(new Mlp(4, { bias: false }))).toEqual(['fc1.weight', 'fc2.weight']);
    expect(keys(new Mlp(4, { bias: [true, false] }))).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight']);
  });

  it('reference names, nested with dots, load back under the same names', () => {
    const dense = new Mlp(4, { names: { fc1: 'dense1', fc2: 'dense2' } });
    expect(keys(dense)).toEqual(['dense1.weight', 'dense1.bias', 'dense2.weight', 'dense2.bias']);
    const seq = new Mlp(4, { hiddenFeatures: 6, names: { fc1: 'mlp.0', act: 'mlp.1', fc2: 'mlp.3' } });
    expect(keys(seq)).toEqual(['mlp.0.weight', 'mlp.0.bias', 'mlp.3.weight', 'mlp.3.bias']);
    expect(seq.namedModules().map(([n]) => n)).toContain('mlp.1');
    const copy = new Mlp(4, { hiddenFeatures: 6, names: { fc1: 'mlp.0', act: 'mlp.1', fc2: 'mlp.3' }, generator: new Generator(9) });
    copy.loadStateDict(seq.stateDict());
    expectClose(copy.forward(x([3, 4])), seq.forward(x([3, 4])), { atol: 0, rtol: 0 });
  });

  it('a list of hidden widths: a deeper perceptron, each hidden layer followed by act and drop1', () => {
    const m = new Mlp(5, { hiddenFeatures: [7, 6, 4], outFeatures: 2, actLayer: () => new SiLU(), names: { fc1: 'layers.0', hidden: (i) => `layers.${i + 1}`, fc2: 'head' } });
    expect(shapes(m)).toEqual({
      'layers.0.weight': [7, 5], 'layers.0.bias': [7], 'layers.1.weight': [6, 7], 'layers.1.bias': [6],
      'layers.2.weight': [4, 6], 'layers.2.bias': [4], 'head.weight': [2, 4], 'head.bias': [2],
    });
    const input = x([3, 5]);
    let h = F.linear(input, lin(m.fc1).weight, lin(m.fc1).bias).silu();
    for (const l of m.hidden) h = F.linear(h, lin(l).weight, lin(l).bias).silu();
    expectClose(m.forward(input), F.linear(h, lin(m.fc2).weight, lin(m.fc2).bias), TOL);
  });

  it('fcLayer builds fc1, the hidden layers and fc2 in dataflow order', () => {
    const built: string[] = [];
    new Mlp(3, { hiddenFeatures: [4, 5], outFeatures: 2, fcLayer: (i, o, opts) => (built.push(`${i}→${o}`), new Linear(i, o, opts)) });
    expect(built).toEqual(['3→4', '4→5', '5→2']);
  });

  it('rejects what cannot be built, naming the cause', () => {
    expect(() => new Mlp(4, { hiddenFeatures: [] })).toThrow(/at least one hidden layer/);
    expect(() => new Mlp(4, { hiddenFeatures: 5, glu: true })).toThrow(/GLU splits the hidden width in half, but it is odd \(5\)/);
    expect(() => new Mlp(4, { glu: true, gateLayer: () => new GLU() })).toThrow(/give one of them/);
    expect(() => new Mlp(4, { hiddenFeatures: [4, 4], glu: true })).toThrow(/glu takes one hidden layer/);
  });
});

describe.each(BACKENDS)('Mlp: forward against the composed ops (%s)', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('fc2(drop(act(fc1 x))) with the default GELU', run(() => {
    const m = new Mlp(6, { hiddenFeatures: 12, outFeatures: 4, generator: new Generator(2) });
    const input = x([2, 5, 6]);
    const h = F.linear(input, lin(m.fc1).weight, lin(m.fc1).bias).gelu();
    expectClose(m.forward(input), F.linear(h, lin(m.fc2).weight, lin(m.fc2).bias), TOL);
  }));

  it('glu: value half ⊙ act(gate half), so fc2 takes half the hidden width', run(() => {
    for (const [act, gated] of [[() => new SiLU(), F.swiglu], [() => new Sigmoid(), F.glu]] as const) {
      const m = new Mlp(6, { hiddenFeatures: 8, outFeatures: 3, glu: true, actLayer: act, generator: new Generator(3) });
      expect(lin(m.fc2).weight.shape).toEqual([3, 4]);
      const input = x([4, 6]);
      const h = gated(F.linear(input, lin(m.fc1).weight, lin(m.fc1).bias), -1);
      expectClose(m.forward(input), F.linear(h, lin(m.fc2).weight, lin(m.fc2).bias), TOL);
    }
  }));

  it('gateLayer halves the activations before the norm; normLayer normalises the gated width', run(() => {
    const m = new Mlp(5, { hiddenFeatures: 8, outFeatures: 2, gateLayer: () => new GLU(), normLayer: (d) => new LayerNorm(d), generator: new Generator(4) });
    expect(shapes(m)).toEqual({ 'fc1.weight': [8, 5], 'fc1.bias': [8], 'norm.weight': [4], 'norm.bias': [4], 'fc2.weight': [2, 4], 'fc2.bias': [2] });
    const norm = m.norm as LayerNorm;
    norm.weight!.data.set([1.5, -0.5, 2, 0.25]);
    const input = x([3, 5]);
    const gated = F.glu(F.linear(input, lin(m.fc1).weight, lin(m.fc1).bias).gelu(), -1);
    const h = F.layerNorm(gated, [4], norm.weight, norm.bias);
    expectClose(m.forward(input), F.linear(h, lin(m.fc2).weight, lin(m.fc2).bias), TOL);
  }));

  it('dropout: drop1 after the activation and drop2 after fc2 draw from the generator in that order; none in eval', run(() => {
    const m = new Mlp(6, { hiddenFeatures: 16, drop: [0.5, 0.25], generator: new Generator(5) });
    expect([m.drop1.p, m.drop2.p]).toEqual([0.5, 0.25]);
    const input = x([4, 6]);
    const g = new Generator(11);
    m.drop1.generator.manualSeed(11);
    const h = F.dropout(F.linear(input, lin(m.fc1).weight, lin(m.fc1).bias).gelu(), 0.5, true, { generator: g });
    const want = F.dropout(F.linear(h, lin(m.fc2).weight, lin(m.fc2).bias), 0.25, true, { generator: g });
    expectClose(m.forward(input), want, TOL);
    const plain = F.linear(F.linear(input, lin(m.fc1).weight, lin(m.fc1).bias).gelu(), lin(m.fc2).weight, lin(m.fc2).bias);
    expectClose(m.eval().forward(input), plain, TOL);
  }));

  it('ReLU: the fused op gives the composition\'s output and gradients, dropout mask included', run(() => {
    // Narrow (7 → 32 → 7): reluMlp takes the fused kernel here.
    const m = new Mlp(7, { hiddenFeatures: 32, actLayer: () => new ReLU(), drop: 0.3, generator: new Generator(6) });
    expect(m.fusable).toBe(true);
    expect(new Mlp(7, { hiddenFeatures: 32, actLayer: () => new ReLU(), glu: true }).fusable).toBe(false);
    expect(new Mlp(7, { hiddenFeatures: 32 }).fusable).toBe(false);
    const input = x([3, 10, 7]).requiresGrad_();
    const ref = input.detach().requiresGrad_();
    m.drop1.generator.manualSeed(21);
    const fused = m.forward(input);
    const [w1, b1, w2, b2] = [lin(m.fc1).weight, lin(m.fc1).bias!, lin(m.fc2).weight, lin(m.fc2).bias!].map((p) => p.detach().requiresGrad_());
    const g = new Generator(21);
    const h = F.dropout(F.linear(ref, w1, b1).relu(), 0.3, true, { generator: g });
    const composed = F.dropout(F.linear(h, w2, b2), 0.3, true, { generator: g });
    expectClose(fused, composed, TOL);
    const gout = x([3, 10, 7], 8);
    fused.backward(gout);
    composed.backward(gout);
    expectClose(input.grad!, ref.grad!, TOL, 'grad of x');
    expectClose(lin(m.fc1).weight.grad!, w1.grad!, TOL, 'grad of fc1.weight');
    expectClose(lin(m.fc2).bias!.grad!, b2.grad!, TOL, 'grad of fc2.bias');
  }));

  it('1×1-conv form: the linear form applied at every pixel of a channels-first map', run(() => {
    for (const glu of [false, true]) {
      const conv = new Mlp(4, { hiddenFeatures: 6, outFeatures: 3, conv: true, glu, generator: new Generator(7) });
      expect(conv.fc1).toBeInstanceOf(Conv2d);
      expect(shapes(conv)['fc1.weight']).toEqual([6, 4, 1, 1]);
      const linear = new Mlp(4, { hiddenFeatures: 6, outFeatures: 3, glu });
      const sd = conv.stateDict();
      linear.loadStateDict({ ...sd, 'fc1.weight': sd['fc1.weight'].reshape([6, 4]), 'fc2.weight': sd['fc2.weight'].reshape([3, glu ? 3 : 6]) });
      const input = x([2, 4, 3, 5]); // (B, C, H, W)
      const viaLinear = linear.forward(input.permute([0, 2, 3, 1])).permute([0, 3, 1, 2]); // (B, out, H, W)
      expect(conv.forward(input).shape).toEqual([2, 3, 3, 5]);
      expectClose(conv.forward(input), viaLinear, TOL, `glu ${glu}`);
    }
  }));
});
