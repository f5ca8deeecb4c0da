/**
 * Initialisation of the vision models follows each reference: the statistics
 * of the drawn values (mlpkit's random streams differ from PyTorch's, the
 * distributions do not) and the exact constants.
 */
import { describe, expect, it } from 'vitest';
import { create } from '../../src/models/index.js';
import { Affine, lecunNormal_, truncNormalFast_ } from '../../src/models/vision/index.js';
import type { AnyModule } from '../../src/nn/index.js';
import { zeros } from '../../src/tensor/creation.js';
import { Generator } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.data;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < d.length; i++) {
    sum += d[i];
    min = Math.min(min, d[i]);
    max = Math.max(max, d[i]);
  }
  const mean = sum / d.length;
  let sq = 0;
  for (let i = 0; i < d.length; i++) sq += (d[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / d.length), min, max };
}

const build = (name: string, config: Record<string, unknown> = {}): Map<string, Tensor> =>
  new Map((create(name, config, new Generator(0)) as unknown as AnyModule).namedParameters());

const all = (t: Tensor, v: number): boolean => Array.from(t.data).every((x) => x === v);

describe('MLP-Mixer initialisation (timm _init_weights)', () => {
  const p = build('mixer_tiny_32', { embedDim: 96 });

  it('zeroes the head', () => {
    expect(all(p.get('head.weight')!, 0)).toBe(true);
    expect(all(p.get('head.bias')!, 0)).toBe(true);
  });

  it('draws Linear weights xavier-uniform and MLP biases from N(0, 1e-6)', () => {
    const w = p.get('blocks.0.mlp_channels.fc1.weight')!; // [384, 96]
    const bound = Math.sqrt(6 / (96 + 384));
    const s = stats(w);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 3);
    const b = stats(p.get('blocks.0.mlp_channels.fc1.bias')!);
    expect(b.std).toBeGreaterThan(0.5e-6);
    expect(b.std).toBeLessThan(1.5e-6);
    const tokens = p.get('blocks.0.mlp_tokens.fc1.weight')!; // [48, 64]: token hidden = 0.5·dim over 64 tokens
    expect(tokens.shape).toEqual([48, 64]);
  });

  it('draws the patch embedding LeCun-normal (truncated at 2σ) with zero bias, norms at 1 and 0', () => {
    const w = p.get('stem.proj.weight')!; // [96, 3, 4, 4], fan in 48
    const std = Math.sqrt(1 / 48) / 0.87962566103423978;
    const s = stats(w);
    expect(s.std).toBeCloseTo(Math.sqrt(1 / 48), 2);
    expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(2 * std);
    expect(all(p.get('stem.proj.bias')!, 0)).toBe(true);
    expect(all(p.get('blocks.0.norm1.weight')!, 1)).toBe(true);
    expect(all(p.get('norm.bias')!, 0)).toBe(true);
  });

  it('sets the head bias to −log(numClasses) with nlhb', () => {
    const q = build('mixer_tiny_28', { nlhb: true });
    expect(Array.from(q.get('head.bias')!.data)).toEqual(Array(10).fill(Math.fround(-Math.log(10))));
  });
});

describe('gMLP initialisation', () => {
  const p = build('gmlp_tiny_28');

  it('opens the spatial gate: proj weight N(0, 1e-6), bias 1', () => {
    const w = stats(p.get('blocks.0.mlp_channels.gate.proj.weight')!); // [49, 49]
    expect(w.std).toBeGreaterThan(0.5e-6);
    expect(w.std).toBeLessThan(1.5e-6);
    expect(all(p.get('blocks.0.mlp_channels.gate.proj.bias')!, 1)).toBe(true);
  });

  it('uses LayerNorm eps 1e-6 in the block and 1e-5 in the gate', () => {
    const m = create('gmlp_tiny_28') as unknown as AnyModule;
    const eps = new Map(m.namedModules().map(([n, mod]) => [n, (mod as unknown as { eps?: number }).eps]));
    expect(eps.get('blocks.0.norm')).toBe(1e-6);
    expect(eps.get('blocks.0.mlp_channels.gate.norm')).toBe(1e-5);
    expect(eps.get('norm')).toBe(1e-6);
  });
});

describe('ResMLP initialisation', () => {
  it('starts the layer scales at initValues and the Affine norms at α = 1, β = 0', () => {
    const p = build('resmlp_24_224', { numBlocks: 2 });
    expect(all(p.get('blocks.1.ls1')!, Math.fround(1e-5))).toBe(true);
    expect(all(p.get('blocks.1.ls2')!, Math.fround(1e-5))).toBe(true);
    expect(p.get('blocks.0.norm1.alpha')!.shape).toEqual([1, 1, 384]);
    expect(all(p.get('blocks.0.norm1.alpha')!, 1)).toBe(true);
    expect(all(p.get('norm.beta')!, 0)).toBe(true);
    // linear_tokens is not an 'mlp' layer in timm's naming rule: zero bias.
    expect(all(p.get('blocks.0.linear_tokens.bias')!, 0)).toBe(true);
  });

  it('Affine computes β + α ⊙ x per channel', () => {
    const a = new Affine(2);
    a.alpha.data.set([2, -1]);
    a.beta.data.set([0.5, 3]);
    const x = zeros([1, 2, 2]);
    x.data.set([1, 2, 3, 4]);
    expect(Array.from(a.forward(x).data)).toEqual([2.5, 1, 6.5, -1]);
  });
});

describe('PoolFormer initialisation', () => {
  const p = build('poolformer_s12', { layers: [1, 1, 1, 1] });

  it('draws the MLP convolutions and the head N(0, 0.02²) with zero biases; layer scales 1e-5', () => {
    const w = stats(p.get('network.6.0.mlp.fc1.weight')!); // [2048, 512, 1, 1]
    expect(w.std).toBeCloseTo(0.02, 3);
    expect(all(p.get('network.6.0.mlp.fc1.bias')!, 0)).toBe(true);
    expect(stats(p.get('head.weight')!).std).toBeCloseTo(0.02, 3);
    expect(all(p.get('head.bias')!, 0)).toBe(true);
    expect(all(p.get('network.0.0.layer_scale_1')!, Math.fround(1e-5))).toBe(true);
  });

  it("keeps PyTorch's default init on the patch embeddings: U(±1/√fan_in)", () => {
    const w = stats(p.get('patch_embed.proj.weight')!); // [64, 3, 7, 7], fan in 147
    const bound = 1 / Math.sqrt(147);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 2);
  });
});

describe('truncated normal draws', () => {
  it('truncNormalFast_ stays inside the cuts with the truncated distribution’s std', () => {
    const t = truncNormalFast_(zeros([20000]), { std: 1, a: -2, b: 2, generator: new Generator(3) });
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThanOrEqual(2);
    expect(s.std).toBeCloseTo(0.8796, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
  });

  it('hands narrow windows to the inverse-CDF method', () => {
    const t = truncNormalFast_(zeros([2000]), { std: 1, a: 3, b: 3.5, generator: new Generator(4) });
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(3);
    expect(s.max).toBeLessThanOrEqual(3.5);
  });

  it('lecunNormal_ has variance 1/fan_in', () => {
    const t = lecunNormal_(zeros([256, 64]), { generator: new Generator(5) });
    expect(stats(t).std).toBeCloseTo(1 / 8, 2);
  });

  it('names a bad window', () => {
    expect(() => truncNormalFast_(zeros([2]), { a: 1, b: 0 })).toThrow(/truncNormalFast_: need a < b, got a = 1, b = 0/);
  });
});
