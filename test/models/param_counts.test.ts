import { describe, expect, it } from 'vitest';
import * as models from '../../src/models/index.js';
import { PARAM_COUNTS } from '../../src/models/param_counts.js';
import { withoutInit } from '../../src/nn/init.js';

describe('the parameter-count table `mlpkit models` lists from', () => {
  it('has every registered model at its default config, with the count of the built model', () => {
    const stale: string[] = [];
    for (const e of models.list()) {
      const n = withoutInit(() => e.create(e.defaults)).parameters().reduce((s, p) => s + p.size, 0);
      if (PARAM_COUNTS[e.name] !== n) stale.push(`${e.name}: table ${PARAM_COUNTS[e.name] ?? 'missing'}, built ${n}`);
    }
    const extra = Object.keys(PARAM_COUNTS).filter((k) => !models.list().some((e) => e.name === k));
    expect(stale.concat(extra.map((k) => `${k}: not registered`)), 'run `npm run build && node scripts/count-params.mjs`').toEqual([]);
  }, 60_000);
});
