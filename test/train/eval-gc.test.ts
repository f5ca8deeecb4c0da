/** Evaluation passes run with V8's concurrent marking on (bounded memory), training with it off. */
import { describe, expect, it } from 'vitest';
import { getBackend, randn, tensor } from '../../src/index.js';
import { gcTunedForTraining, withInferenceGc } from '../../src/backend/native/gc.js';
import { DataLoader, TensorDataset } from '../../src/data/index.js';
import { Linear } from '../../src/nn/linear.js';
import { evaluate } from '../../src/train/fit.js';

const tuned = getBackend().name === 'native' && process.env.MLPKIT_GC_TUNING !== '0';

describe.skipIf(!tuned)('GC setting around evaluation (native backend)', () => {
  const model = new Linear(4, 2);
  const loader = new DataLoader(new TensorDataset({ x: randn([6, 4]), y: tensor([0, 1, 0, 1, 0, 1]) }), { batchSize: 2 });

  it('evaluate switches to the inference setting for its pass and back afterwards', () => {
    expect(gcTunedForTraining()).toBe(true);
    const during: boolean[] = [];
    evaluate(model, loader, { forward: (b) => (during.push(gcTunedForTraining()), model.forward(b.x)), metrics: ['accuracy'] });
    expect(during).toEqual([false, false, false]);
    expect(gcTunedForTraining()).toBe(true);
  });

  it('restores the training setting when the pass throws, and nests', () => {
    expect(() => evaluate(model, loader, { forward: () => { throw new Error('boom'); } })).toThrow('boom');
    expect(gcTunedForTraining()).toBe(true);
    withInferenceGc(() => {
      withInferenceGc(() => expect(gcTunedForTraining()).toBe(false));
      expect(gcTunedForTraining()).toBe(false);
    });
    expect(gcTunedForTraining()).toBe(true);
  });
});
