import { describe, expect, it } from 'vitest';
import { defaultGenerator, Generator } from '../../src/index.js';
import { Linear } from '../../src/nn/index.js';
import { withoutInit } from '../../src/nn/init.js';
import * as models from '../../src/models/index.js';

describe('withoutInit', () => {
  it('builds modules with the right shapes but draws nothing', () => {
    const before = defaultGenerator.getState();
    const lin = withoutInit(() => new Linear(5, 3));
    expect(lin.weight.shape).toEqual([3, 5]);
    expect(Array.from(lin.weight.data).every((v) => v === 0)).toBe(true);
    expect(defaultGenerator.getState()).toEqual(before);
    // outside it, initialisation draws again
    expect(Array.from(new Linear(5, 3, { generator: new Generator(1) }).weight.data).some((v) => v !== 0)).toBe(true);
  });

  it('gives every registered model the parameter count of a normally built one', () => {
    for (const name of ['mlp', 'mixer_tiny_28', 'gmlp_tiny_28', 'resmlp_tiny_28', 'poolformer_tiny_28', 'timemixer']) {
      const e = models.get(name);
      const count = (m: models.RegisteredModel): number => m.parameters().reduce((s, p) => s + p.size, 0);
      expect(count(withoutInit(() => e.create(e.defaults))), name).toBe(count(e.create(e.defaults)));
    }
  });
});
