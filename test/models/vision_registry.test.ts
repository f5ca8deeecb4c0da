/**
 * The registry smoke test for the vision zoo: every registered vision model
 * builds, runs forward on its default input shape (batch 2), gives logits of
 * the right shape with no NaN, and completes a backward pass that reaches
 * every parameter.
 *
 * The ImageNet-size variants (224×224 inputs, or 64×64×3 flattened) would make
 * this test take minutes, so they run at their full widths and input size but
 * with one block per stage; vision_params.test.ts builds them whole and checks
 * their parameter counts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { randn, type Tensor } from '../../src/index.js';
import { create, list, resolveConfig, type ModelConfig, type ModelEntry } from '../../src/models/index.js';
import type { AnyModule } from '../../src/nn/index.js';
import { Generator } from '../../src/tensor/random.js';

export const VISION_FAMILIES = ['mlp-mixer', 'resmlp', 'gmlp', 'poolformer', 'scaling-mlp'];
const entries = list().filter((e) => VISION_FAMILIES.includes(e.family));

/** An input side or row length past which a variant is an ImageNet-size one. */
const isLarge = (e: ModelEntry): boolean => e.inputs(e.defaults)[0].shape.reduce((a, b) => a * b, 1) > 4096;

/** The config the smoke test runs: the defaults, with one block per stage for the large variants. */
function smokeConfig(e: ModelEntry): ModelConfig {
  const c = e.defaults;
  if (!isLarge(e)) return c;
  switch (e.family) {
    case 'poolformer':
      return resolveConfig(e.name, { layers: (c.layers as number[]).map(() => 1) });
    case 'scaling-mlp':
      return resolveConfig(e.name, { blockDims: (c.blockDims as number[][]).slice(0, 1) });
    default:
      return resolveConfig(e.name, { numBlocks: 1 });
  }
}

const numClasses = (e: ModelEntry, c: ModelConfig): number => (e.family === 'scaling-mlp' ? (c.dimOut as number) : (c.numClasses as number));

describe('vision model registry', () => {
  // The tests are long synchronous computations: let the worker answer vitest's messages between them.
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  it('has the reference variants and the small ones of every family', () => {
    const names = entries.map((e) => e.name);
    for (const n of [
      'mixer_s32_224', 'mixer_s16_224', 'mixer_b32_224', 'mixer_b16_224', 'mixer_l32_224', 'mixer_l16_224',
      'resmlp_12_224', 'resmlp_24_224', 'resmlp_36_224', 'resmlp_big_24_224',
      'gmlp_ti16_224', 'gmlp_s16_224', 'gmlp_b16_224',
      'poolformer_s12', 'poolformer_s24', 'poolformer_s36', 'poolformer_m36', 'poolformer_m48',
      'scaling_mlp_b12_wi1024', 'scaling_mlp_b12_wi512', 'scaling_mlp_b6_wi1024', 'scaling_mlp_b6_wi512',
    ]) expect(names).toContain(n);
    for (const family of VISION_FAMILIES) {
      const small = entries.filter((e) => e.family === family && !isLarge(e)).map((e) => e.inputs(e.defaults)[0].shape.join('×'));
      expect(small, family).toEqual(expect.arrayContaining([expect.stringMatching(/^(1×28×28|784)$/), expect.stringMatching(/^(3×32×32|3072)$/)]));
    }
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s builds, runs forward and backward', (_, e) => {
    const config = smokeConfig(e);
    const model = create(e.name, config, new Generator(0)) as unknown as AnyModule;
    const [input] = e.inputs(config);
    const x = randn([2, ...input.shape], { generator: new Generator(1) });
    const y = model.forward(x) as Tensor;
    expect(y.shape).toEqual([2, numClasses(e, config)]);
    expect(Array.from(y.data).every(Number.isFinite)).toBe(true);
    // Backward through a loss that depends on every logit.
    y.mul(randn(y.shape, { generator: new Generator(2) })).sum().backward();
    for (const [name, p] of model.namedParameters()) {
      expect(p.grad, `gradient of ${name}`).not.toBeNull();
      expect(Array.from(p.grad!.data).every(Number.isFinite), `finite gradient of ${name}`).toBe(true);
    }
  });

  it('rejects an image of the wrong size, naming the expected shape', () => {
    const m = create('mixer_tiny_28') as unknown as AnyModule;
    expect(() => m.forward(randn([2, 1, 32, 32]))).toThrow(/PatchEmbed: expected images \[B, 1, 28, 28\], got \[2, 1, 32, 32\]/);
    const p = create('poolformer_tiny_28') as unknown as AnyModule;
    expect(() => p.forward(randn([2, 3, 28, 28]))).toThrow(/PoolFormer: expected images \[B, 1, H, W\], got \[2, 3, 28, 28\]/);
    const s = create('scaling_mlp_tiny_28') as unknown as AnyModule;
    expect(() => s.forward(randn([2, 3, 28, 28]))).toThrow(/BottleneckMLP: expected 784 features per sample, got input \[2, 3, 28, 28\]/);
  });

  it('rejects configs the blocks cannot build, naming the problem', () => {
    expect(() => create('gmlp_tiny_28', { mlpRatio: 5.5, embedDim: 10 })).toThrow(/odd|split in half/);
    expect(() => create('resmlp_tiny_28', { mlpRatio: [0.5, 4] })).toThrow(/config key 'mlpRatio' must be a number/);
    expect(() => create('poolformer_tiny_28', { layers: [1, 1, 1, 1, 1] })).toThrow(/embedDims has 4 entries for 5 stages/);
  });
});
