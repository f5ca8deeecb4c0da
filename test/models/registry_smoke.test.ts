/**
 * The registry smoke test: every entry of `models.list()` — whatever its
 * family or task — keeps the registry contract. Built at its `smallConfig`
 * (the ImageNet-size variants at full width with one block per stage, the
 * forecasters on a short window), it runs forward on a batch of 2 random
 * inputs shaped as `inputs(config)` says, returns `[2, ...outputs(config)[0].shape]`
 * with finite values, and a backward pass through a loss that depends on every
 * output reaches every parameter with a finite gradient.
 *
 * A new family needs nothing here: registering its variants is enough.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { randint, randn } from '../../src/index.js';
import { list, resolveConfig, type ModelEntry } from '../../src/models/index.js';
import { Generator } from '../../src/tensor/random.js';

const entries = list();

function smokeInputs(e: ModelEntry, config: ReturnType<typeof resolveConfig>) {
  const g = new Generator(1);
  return e.inputs(config).map((i) => (i.dtype === 'int32' ? randint(0, i.high ?? 2, [2, ...i.shape], { generator: g }) : randn([2, ...i.shape], { generator: g })));
}

describe('model registry', () => {
  // The tests are long synchronous computations: let the worker answer vitest's messages between them.
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  it('covers every family, the plain MLP included, and each entry names its task, paper and reference', () => {
    const families = new Set(entries.map((e) => e.family));
    for (const f of ['mlp', 'mlp-mixer', 'resmlp', 'gmlp', 'poolformer', 'scaling-mlp', 'tsmixer', 'patchtsmixer', 'timemixer']) expect(families).toContain(f);
    for (const e of entries) {
      expect(['classify', 'forecast'], e.name).toContain(e.task);
      expect(e.paper.length, `${e.name} paper`).toBeGreaterThan(10);
      expect(e.reference.length, `${e.name} reference`).toBeGreaterThan(5);
      expect(e.outputs(e.defaults), `${e.name} declares one output`).toHaveLength(1);
      // A small config may only override keys the model has, with values of their type.
      expect(() => resolveConfig(e.name, e.smallConfig ?? {}), e.name).not.toThrow();
    }
  });

  it('has the reference variants and the small ones of every vision family', () => {
    const names = entries.map((e) => e.name);
    for (const n of [
      'mlp',
      'mixer_s32_224', 'mixer_s16_224', 'mixer_b32_224', 'mixer_b16_224', 'mixer_l32_224', 'mixer_l16_224',
      'resmlp_12_224', 'resmlp_24_224', 'resmlp_36_224', 'resmlp_big_24_224',
      'gmlp_ti16_224', 'gmlp_s16_224', 'gmlp_b16_224',
      'poolformer_s12', 'poolformer_s24', 'poolformer_s36', 'poolformer_m36', 'poolformer_m48',
      'scaling_mlp_b12_wi1024', 'scaling_mlp_b12_wi512', 'scaling_mlp_b6_wi1024', 'scaling_mlp_b6_wi512',
    ]) expect(names).toContain(n);
    // Each vision family has a variant for 28×28 grey images and one for 32×32 colour images.
    for (const family of ['mlp-mixer', 'resmlp', 'gmlp', 'poolformer', 'scaling-mlp']) {
      const shapes = entries.filter((e) => e.family === family).map((e) => e.inputs(e.defaults)[0].shape.join('×'));
      expect(shapes, family).toEqual(expect.arrayContaining([expect.stringMatching(/^(1×28×28|784)$/), expect.stringMatching(/^(3×32×32|3072)$/)]));
    }
    const forecasters = entries.filter((e) => e.task === 'forecast').map((e) => e.name);
    expect(forecasters.sort()).toEqual(['patchtsmixer', 'timemixer', 'tsmixer', 'tsmixer_rev_in']);
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s builds at its small config, runs forward and backward', (_, e) => {
    const config = resolveConfig(e.name, e.smallConfig ?? {});
    const model = e.create(config, new Generator(0));
    const y = model.forward(...smokeInputs(e, config));
    expect(y.shape).toEqual([2, ...e.outputs(config)[0].shape]);
    expect(Array.from(y.data).every(Number.isFinite), 'finite outputs').toBe(true);
    // Backward through a loss that depends on every output element.
    y.mul(randn(y.shape, { generator: new Generator(2) })).sum().backward();
    const missing: string[] = [];
    for (const [name, p] of model.namedParameters()) {
      if (!p.requiresGrad || e.unusedParameters?.test(name)) continue;
      if (!p.grad) missing.push(name);
      else expect(Array.from(p.grad.data).every(Number.isFinite), `finite gradient of ${name}`).toBe(true);
    }
    expect(missing, 'parameters without a gradient').toEqual([]);
  });

  it('an entry that declares unused parameters really leaves them without a gradient', () => {
    // Keeps the exemption honest: if the forward starts using them, the declaration must go.
    for (const e of entries.filter((x) => x.unusedParameters)) {
      const config = resolveConfig(e.name, e.smallConfig ?? {});
      const model = e.create(config, new Generator(0));
      model.forward(...smokeInputs(e, config)).sum().backward();
      const exempt = model.namedParameters().filter(([n]) => e.unusedParameters!.test(n));
      expect(exempt.length, e.name).toBeGreaterThan(0);
      for (const [n, p] of exempt) expect(p.grad, `${e.name}: ${n}`).toBeNull();
    }
  });
});
