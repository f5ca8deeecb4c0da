/**
 * A reference state_dict saved as safetensors loads unchanged: for each family
 * the fixture holds a small model's state_dict under the reference's names
 * (written by scripts/gen_vision_fixtures.py from a torch restatement of the
 * reference), an input and the model's output. mlpkit builds the registered
 * model with the same config, loads the file strictly and must give the same
 * logits.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { io, type Tensor } from '../../src/index.js';
import { create } from '../../src/models/index.js';
import type { AnyModule } from '../../src/nn/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from '../helpers.js';

interface ModelCase {
  family: string;
  config: Record<string, unknown>;
  keys: string[];
  numParameters: number;
  input: FixtureTensor;
  output: FixtureTensor;
}

const { cases } = loadFixture<{ cases: ModelCase[] }>('vision_models.json');
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** The registered variant whose config the fixture overrides. */
const VARIANT: Record<string, string> = {
  mixer: 'mixer_tiny_32',
  resmlp: 'resmlp_tiny_32',
  gmlp: 'gmlp_tiny_32',
  poolformer: 'poolformer_tiny_32',
  scaling_mlp: 'scaling_mlp_tiny_32',
};

describe('reference checkpoints (safetensors) load into the registered models', () => {
  it.each(cases.map((c) => [c.family, c] as const))('%s', (family, c) => {
    const model = create(VARIANT[family], c.config) as unknown as AnyModule;
    expect(model.numParameters()).toBe(c.numParameters);
    model.loadStateDict(io.loadSafetensors(join(FIXTURES, `vision_${family}.safetensors`)));
    expect(Object.keys(model.stateDict())).toEqual(c.keys);
    const y = model.eval().forward(fromFixture(c.input)) as Tensor;
    expectClose(y, fromFixture(c.output), { atol: 2e-5, rtol: 2e-4 }, `${family} logits`);
  });

  it('names the offending key and both shapes when a checkpoint does not fit', () => {
    const mixer = cases.find((c) => c.family === 'mixer')!;
    const wider = create('mixer_tiny_32', { ...mixer.config, embedDim: 16 }) as unknown as AnyModule;
    expect(() => wider.loadStateDict(io.loadSafetensors(join(FIXTURES, 'vision_mixer.safetensors')))).toThrow(
      /size mismatch for 'stem\.proj\.weight': the state dict has \[8, 3, 4, 4\], the module has \[16, 3, 4, 4\]/,
    );
  });
});
