/**
 * Parameter counts of the reference variants, built whole, against the
 * published numbers: timm's results table (results/results-imagenet.csv,
 * millions to two decimals) where the variant has pretrained weights there,
 * otherwise the paper or the reference README (whole millions).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { create } from '../../src/models/index.js';
import type { AnyModule } from '../../src/nn/index.js';

/** Published size in millions, its source, and how far the source rounds. */
const PUBLISHED: [name: string, millions: number, source: string, tolerance: number][] = [
  ['mixer_b16_224', 59.88, 'timm', 0.005],
  ['mixer_l16_224', 208.2, 'timm', 0.005],
  ['resmlp_12_224', 15.35, 'timm', 0.005],
  ['resmlp_24_224', 30.02, 'timm', 0.005],
  ['resmlp_36_224', 44.69, 'timm', 0.005],
  ['resmlp_big_24_224', 129.14, 'timm', 0.005],
  ['gmlp_s16_224', 19.42, 'timm', 0.005],
  ['poolformer_s12', 11.92, 'timm', 0.005],
  ['poolformer_s24', 21.39, 'timm', 0.005],
  ['poolformer_s36', 30.86, 'timm', 0.005],
  ['poolformer_m36', 56.17, 'timm', 0.005],
  ['poolformer_m48', 73.47, 'timm', 0.005],
  // Whole millions; the Mixer paper's Table 1 and the gMLP paper round loosely (Mixer-S/16's 18.53M is listed as 18M).
  ['mixer_s32_224', 19, 'Mixer paper', 0.03],
  ['mixer_s16_224', 18, 'Mixer paper', 0.03],
  ['mixer_b32_224', 60, 'Mixer paper', 0.03],
  ['mixer_l32_224', 206, 'Mixer paper', 0.03],
  ['gmlp_ti16_224', 6, 'gMLP paper', 0.03],
  ['gmlp_b16_224', 73, 'gMLP paper', 0.03],
  ['scaling_mlp_b12_wi1024', 124, 'scaling_mlps README', 0.03],
  ['scaling_mlp_b12_wi512', 37, 'scaling_mlps README', 0.03],
];

describe('parameter counts of the reference variants', () => {
  // Building the largest models takes seconds of synchronous work: yield to vitest between tests.
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  it.each(PUBLISHED)('%s has %sM parameters (%s)', (name, millions, source, tolerance) => {
    const count = (create(name) as unknown as AnyModule).numParameters() / 1e6;
    if (source === 'timm') expect(Math.abs(count - millions), `${name}: ${count}M`).toBeLessThanOrEqual(tolerance);
    else expect(Math.abs(count - millions) / millions, `${name}: ${count}M`).toBeLessThanOrEqual(tolerance);
  });
});
