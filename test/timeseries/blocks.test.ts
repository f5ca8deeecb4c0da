/** Shared time-series blocks and single mixer blocks against PyTorch re-implementations of the reference math. */
import { describe, expect, it } from 'vitest';
import { cat, Generator, gradcheck, nn, randn, tensor, withBackend, type Tensor } from '../../src/index.js';
import {
  FeatureMixerBlock,
  PastDecomposableMixing,
  PatchMixerBlock,
  PatchTSMixerAttention,
  PatchTSMixerChannelFeatureMixerBlock,
  PatchTSMixerGatedAttention,
  mixerBlockParts,
  numPatches,
  RevIN,
  SeriesDecomp,
  TSMixerBlock,
  TimeFeatureBatchNorm,
  movingAverage,
  patchify,
  pdmParts,
  scaleLengths,
  scaleWindow,
  type PatchTSMixerConfig,
  type TimeMixerConfig,
  type TSMixerConfig,
} from '../../src/models/timeseries/index.js';
import { PATCHTSMIXER_DEFAULTS } from '../../src/models/timeseries/patchtsmixer.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';
import { replay, type ModuleCase } from './fixtures.js';

interface Blocks {
  decomp: { kernel: number; x: FixtureTensor; seasonal: FixtureTensor; trend: FixtureTensor }[];
  revin: { denormWeightEps: boolean; weight: FixtureTensor; bias: FixtureTensor; x: FixtureTensor; y: FixtureTensor; z: FixtureTensor; denorm: FixtureTensor }[];
  gated: ModuleCase;
  patchify: { config: Record<string, unknown>; x: FixtureTensor; patches: FixtureTensor };
  std_scaler: { x: FixtureTensor; scaled: FixtureTensor; loc: FixtureTensor; scale: FixtureTensor };
  patch_mixer: ModuleCase[];
  feature_mixer: ModuleCase[];
  channel_mixer: ModuleCase[];
  tsmixer_block: ModuleCase;
  pdm: ModuleCase;
}

const F = loadFixture<Blocks>('timeseries_blocks.json');
const TOL = { atol: 2e-5, rtol: 2e-4 };
const ptsmConfig = (c: Record<string, unknown>): PatchTSMixerConfig => ({ ...PATCHTSMIXER_DEFAULTS, ...(c as Partial<PatchTSMixerConfig>) });

describe.each(BACKENDS)('time-series blocks (%s)', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  it('series decomposition: replicate-padded moving average and remainder', run(() => {
    for (const c of F.decomp) {
      const x = fromFixture(c.x);
      const { seasonal, trend } = new SeriesDecomp(c.kernel).forward(x);
      expectClose(trend, fromFixture(c.trend), TOL, `trend k=${c.kernel}`);
      expectClose(seasonal, fromFixture(c.seasonal), TOL, `seasonal k=${c.kernel}`);
    }
  }));

  it('moving average: even kernels shorten the series as AvgPool1d does; bad input is named', run(() => {
    const x = tensor([1, 2, 3, 4, 5], { shape: [1, 5, 1] });
    const y = movingAverage(x, 4); // pad 1 each side: [1,1,2,3,4,5,5] → windows of 4
    expect(Array.from(y.data)).toEqual([1.75, 2.5, 3.5, 4.25]);
    expect(() => movingAverage(tensor([1, 2]), 3)).toThrow(/movingAverage: expected \[B, T, D\]/);
    expect(() => new SeriesDecomp(4).forward(x)).toThrow();
  }));

  it('RevIN: norm over time without gradient, both denorm variants', run(() => {
    for (const c of F.revin) {
      const r = new RevIN(3, { denormWeightEps: c.denormWeightEps });
      r.loadStateDict({ affine_weight: fromFixture(c.weight), affine_bias: fromFixture(c.bias) });
      const x = fromFixture(c.x, true);
      const { y, stats } = r.normalize(x);
      expectClose(y, fromFixture(c.y), TOL, 'normalised');
      expectClose(r.denormalize(fromFixture(c.z), stats), fromFixture(c.denorm), TOL, 'denormalised');
      // The statistics carry no gradient: d(sum y)/dx is w/σ per element, with no mean/std terms.
      y.sum().backward();
      const w = fromFixture(c.weight).data;
      const s = stats.stdev.data;
      for (let b = 0; b < 2; b++) for (let t = 0; t < 10; t++) for (let k = 0; k < 3; k++) {
        expect(x.grad!.data[(b * 10 + t) * 3 + k]).toBeCloseTo(w[k] / s[b * 3 + k], 4);
      }
    }
    expect(() => new RevIN(3).normalize(tensor([1, 2, 3], { shape: [1, 3, 1] }))).toThrow(/RevIN.normalize: expected \[B, T, 3\], got \[1, 3, 1\]/);
  }));

  it('gated attention: x · softmax(Linear(x)) over the last dim', run(() => {
    const g = new PatchTSMixerGatedAttention(5, 5);
    replay(g, F.gated, ([x]) => g.forward(x!), TOL);
  }));

  it('patchify drops the oldest rows that do not fill a patch (overlapping stride)', run(() => {
    const c = ptsmConfig(F.patchify.config);
    const p = patchify(fromFixture(F.patchify.x), c);
    expect(p.shape).toEqual([2, 3, 5, 6]);
    expectClose(p, fromFixture(F.patchify.patches), { atol: 0, rtol: 0 });
    expect(() => patchify(fromFixture(F.patchify.x), { ...c, contextLength: 24 })).toThrow(/expected past values \[B, 24, C\], got \[2, 23, 3\]/);
  }));

  it('std scaling: mean and population std over time, 1e-5 inside the root', run(() => {
    const s = F.std_scaler;
    const { scaled, loc, scale } = scaleWindow(fromFixture(s.x), 'std');
    expectClose(scaled, fromFixture(s.scaled), TOL, 'scaled');
    expectClose(loc, fromFixture(s.loc), TOL, 'loc');
    expectClose(scale, fromFixture(s.scale), TOL, 'scale');
  }));

  for (const [name, build] of [
    ['patch mixer (gate after the MLP; also with self-attention)', (c: PatchTSMixerConfig) => new PatchMixerBlock(
      numPatches(c), mixerBlockParts(c), c.selfAttn ? () => new PatchTSMixerAttention(c.dModel, c.selfAttnHeads, c.dropout) : null,
    )],
    ['feature mixer (gate after the MLP)', (c: PatchTSMixerConfig) => new FeatureMixerBlock(c.dModel, mixerBlockParts(c))],
    ['channel mixer (gate before the MLP)', (c: PatchTSMixerConfig) => new PatchTSMixerChannelFeatureMixerBlock(c.numInputChannels, mixerBlockParts(c))],
  ] as const) {
    it(`PatchTSMixer ${name}, LayerNorm and BatchNorm`, run(() => {
      const cases = name.startsWith('patch') ? F.patch_mixer : name.startsWith('feature') ? F.feature_mixer : F.channel_mixer;
      for (const c of cases) {
        const m = build(ptsmConfig(c.config));
        replay(m, c, ([x]) => m.forward(x!), TOL);
      }
    }));
  }

  it('TSMixer residual block: Keras BatchNorm over (time, feature) in training mode', run(() => {
    const c = F.tsmixer_block;
    const cfg = c.config as unknown as TSMixerConfig; // normType 'B', activation 'relu'
    const m = new TSMixerBlock(cfg.seqLen, cfg.numChannels, cfg.ffDim, {
      norm: () => new TimeFeatureBatchNorm(cfg.seqLen, cfg.numChannels), actLayer: () => new nn.ReLU(), dropout: cfg.dropout,
    });
    replay(m, c, ([x]) => m.forward(x!), TOL);
  }));

  it('TimeMixer past-decomposable mixing over three scales', run(() => {
    const c = F.pdm;
    const cfg = c.config as unknown as TimeMixerConfig;
    const m = new PastDecomposableMixing(cfg.dModel, scaleLengths(cfg), pdmParts(cfg));
    replay(m, c, (xs) => cat(m.forward(xs as Tensor[]).map((o) => o.reshape([-1])), 0), TOL);
  }));
});

describe('time-series blocks: finite differences (float64, reference backend)', () => {
  const r = (shape: number[], seed: number) => randn(shape, { dtype: 'float64', generator: new Generator(seed) }).requiresGrad_();
  const run = (fn: () => void) => () => withBackend('reference', fn);

  it('moving average (prefix sums) and decomposition', run(() => {
    expect(gradcheck((x) => movingAverage(x, 5), [r([2, 9, 3], 1)])).toBe(true);
    expect(gradcheck((x) => movingAverage(x, 4), [r([1, 6, 2], 2)])).toBe(true);
  }));

  it('patchify (strided view) and window scaling', run(() => {
    const c = { contextLength: 11, patchLength: 4, patchStride: 3 };
    expect(gradcheck((x) => patchify(x, c), [r([2, 11, 3], 3)])).toBe(true);
    expect(gradcheck((x) => scaleWindow(x, 'std').scaled, [r([2, 7, 3], 4)])).toBe(true);
    expect(gradcheck((x) => scaleWindow(x, 'mean').scaled, [r([2, 7, 3], 5).add(3)])).toBe(true);
  }));

  it('RevIN normalise and denormalise (statistics held constant)', run(() => {
    const revin = new RevIN(3, { dtype: 'float64', denormWeightEps: true });
    revin.affineWeight!.data.set([1.5, 0.7, -0.9]);
    revin.affineBias!.data.set([0.1, 0.2, -0.3]);
    const x = r([2, 8, 3], 6);
    const { stats } = revin.normalize(x);
    expect(gradcheck((z) => revin.denormalize(z, stats), [r([2, 4, 3], 7)])).toBe(true);
    expect(gradcheck((w) => x.detach().sub(stats.mean).div(stats.stdev).mul(w), [r([3], 8)])).toBe(true);
  }));
});
