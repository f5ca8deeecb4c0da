/**
 * Registered models refuse inputs and configs they cannot run, naming the
 * model, the expected shape and the offending value (the smoke test in
 * registry_smoke.test.ts covers what they accept).
 */
import { describe, expect, it } from 'vitest';
import { randn } from '../../src/index.js';
import { create } from '../../src/models/index.js';

const SMALL_TSMIXER = { seqLen: 24, predLen: 6, numChannels: 3, ffDim: 8, nBlock: 2 };
const SMALL_PATCHTSMIXER = { contextLength: 24, predictionLength: 6, numInputChannels: 3, dModel: 8, mode: 'mix_channel' };
const SMALL_TIMEMIXER = { seqLen: 24, predLen: 6, encIn: 3, cOut: 3, dModel: 8, dFf: 8, downSamplingLayers: 2, movingAvg: 5 };

describe('vision models', () => {
  it('reject an image of the wrong size, naming the expected shape', () => {
    expect(() => create('mixer_tiny_28').forward(randn([2, 1, 32, 32]))).toThrow(/PatchEmbed: expected images \[B, 1, 28, 28\], got \[2, 1, 32, 32\]/);
    expect(() => create('poolformer_tiny_28').forward(randn([2, 3, 28, 28]))).toThrow(/PoolFormer: expected images \[B, 1, H, W\], got \[2, 3, 28, 28\]/);
    expect(() => create('scaling_mlp_tiny_28').forward(randn([2, 3, 28, 28]))).toThrow(/BottleneckMLP: expected 784 features per sample, got input \[2, 3, 28, 28\]/);
  });

  it('reject configs the blocks cannot build, naming the problem', () => {
    expect(() => create('gmlp_tiny_28', { mlpRatio: 5.5, embedDim: 10 })).toThrow(/odd|split in half/);
    expect(() => create('resmlp_tiny_28', { mlpRatio: [0.5, 4] })).toThrow(/config key 'mlpRatio' must be a number/);
    expect(() => create('poolformer_tiny_28', { layers: [1, 1, 1, 1, 1] })).toThrow(/embedDims has 4 entries for 5 stages/);
  });
});

describe('forecasting models', () => {
  it('reject bad shapes and unsupported options, naming the model and shape', () => {
    expect(() => create('tsmixer', SMALL_TSMIXER).forward(randn([2, 20, 3]))).toThrow(/tsmixer: expected input \[B, 24, 3\], got \[2, 20, 3\]/);
    expect(() => create('patchtsmixer', { ...SMALL_PATCHTSMIXER, selfAttn: true, selfAttnHeads: 3 })).toThrow(/selfAttnHeads must be a positive integer dividing dModel 8, got 3/);
    expect(() => create('timemixer', { ...SMALL_TIMEMIXER, downSamplingMethod: 'conv' })).toThrow(/downSamplingMethod 'conv' is not supported/);
    expect(() => create('timemixer', SMALL_TIMEMIXER).forward(randn([2, 24, 3]), randn([2, 24, 5]))).toThrow(/expected marks \[2, 24, 4\] for freq 'h', got \[2, 24, 5\]/);
  });
});
