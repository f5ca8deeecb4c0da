import { describe, expect, it } from 'vitest';
import { curvesSvg, type CurvePoint } from '../../src/train/plot.js';

describe('training-curve plot', () => {
  it('draws one panel per quantity and a legend entry per split', async () => {
    const pts: CurvePoint[] = [];
    for (let e = 1; e <= 4; e++) {
      for (const split of ['train', 'val']) {
        pts.push({ epoch: e, quantity: 'loss', split, value: 1 / e + (split === 'val' ? 0.1 : 0) });
        pts.push({ epoch: e, quantity: 'accuracy', split, value: 1 - 1 / (e + 1) });
      }
    }
    pts.push({ epoch: 5, quantity: 'loss', split: 'train', value: NaN }); // dropped, not drawn
    const svg = await curvesSvg(pts, 'run 1');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const word of ['loss', 'accuracy', 'train', 'val', 'run 1']) expect(svg).toContain(word);
    expect(svg).not.toContain('NaN');
    // two panels × two splits = four line paths
    expect((svg.match(/class="mark-line/g) ?? []).length).toBe(4);
  });

  it('labels the y axis of a one-epoch panel with the value itself, not a rounded 1', async () => {
    const svg = await curvesSvg([{ epoch: 1, quantity: 'accuracy', split: 'val', value: 0.856 }]);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toContain('0.856');
    expect(labels.filter((l) => l === '1')).toEqual(['1']); // the epoch tick only
  });
});
