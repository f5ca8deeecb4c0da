/**
 * TSMixer, PatchTSMixer and TimeMixer end to end against PyTorch
 * re-implementations of the references: each loads the reference's state
 * dict (transformers / kwuking names; mlpkit's documented names for the
 * Keras TSMixer) and must reproduce its output and every gradient.
 */
import { describe, expect, it } from 'vitest';
import { withBackend } from '../../src/index.js';
import {
  PATCHTSMIXER_DEFAULTS,
  PatchTSMixerForPrediction,
  TimeMixer,
  TSMixer,
  type PatchTSMixerConfig,
  type TimeMixerConfig,
  type TSMixerConfig,
} from '../../src/models/timeseries/index.js';
import { BACKENDS, expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';
import { replay, type ModuleCase } from './fixtures.js';

interface TimeMixerCase extends ModuleCase {
  pe_rows: FixtureTensor;
  pe_last: FixtureTensor;
  pe_shape: number[];
}

const F = loadFixture<{ tsmixer: ModuleCase[]; patchtsmixer: ModuleCase[]; timemixer: TimeMixerCase[] }>('timeseries_models.json');
const TOL = { atol: 5e-5, rtol: 5e-4 };

describe.each(BACKENDS)('forecasting models vs PyTorch (%s)', (backend) => {
  const run = (fn: () => void) => () => withBackend(backend, fn);

  F.tsmixer.forEach((c, i) => {
    const cfg = c.config as unknown as TSMixerConfig;
    it(`TSMixer #${i} (norm ${cfg.normType}, ${cfg.activation}, revIn ${cfg.revIn}, ${c.training ? 'training' : 'eval'})`, run(() => {
      const m = new TSMixer(cfg);
      replay(m, c, ([x]) => m.forward(x!), TOL);
      for (const [name, t] of Object.entries(c.state_after ?? {})) {
        expectClose(m.stateDict()[name], fromFixture(t), { atol: 1e-6, rtol: 1e-5 }, `${name} after one training step`);
      }
    }));
  });

  F.patchtsmixer.forEach((c, i) => {
    const cfg: PatchTSMixerConfig = { ...PATCHTSMIXER_DEFAULTS, ...(c.config as Partial<PatchTSMixerConfig>) };
    it(`PatchTSMixerForPrediction #${i} (${cfg.mode}, ${cfg.normMlp}, gated ${cfg.gatedAttn}, scaling ${cfg.scaling}, stride ${cfg.patchStride}${cfg.selfAttn ? `, self-attention ${cfg.selfAttnHeads} heads` : ''})`, run(() => {
      const m = new PatchTSMixerForPrediction(cfg);
      replay(m, c, ([x]) => m.forward(x!), TOL);
    }));
  });

  F.timemixer.forEach((c, i) => {
    const cfg = c.config as unknown as TimeMixerConfig;
    it(`TimeMixer #${i} (channel independence ${cfg.channelIndependence}, ${cfg.downSamplingMethod} pooling, future marks ${cfg.useFutureTemporalFeature})`, run(() => {
      const m = new TimeMixer(cfg);
      // The fixture leaves out the 5000-row positional table; mlpkit computes it, compared below.
      replay(m, c, ([x, xm, ym]) => m.forward(x!, xm, ym), TOL, ['enc_embedding.position_embedding.pe']);
      const pe = m.encEmbedding.positionEmbedding.pe;
      expect(pe.shape).toEqual(c.pe_shape);
      expectClose(pe.narrow(1, 0, 4).reshape([4, -1]), fromFixture(c.pe_rows), { atol: 1e-6, rtol: 1e-5 }, 'pe rows 0-3');
      expectClose(pe.narrow(1, 4999, 1).reshape([-1]), fromFixture(c.pe_last), { atol: 2e-4, rtol: 0 }, 'pe row 4999');
    }));
  });
});
