/**
 * Training curves as SVG, drawn by Vega-Lite (compiled to Vega and rendered
 * headless with no canvas). One panel per quantity (loss, each metric), one
 * line per split.
 */
import { writeFileSync } from 'node:fs';
import * as vega from 'vega';
import * as vl from 'vega-lite';

export interface CurvePoint {
  epoch: number;
  /** e.g. 'loss', 'accuracy' */
  quantity: string;
  /** e.g. 'train', 'val', 'test' */
  split: string;
  value: number;
}

/** Render the curves to an SVG string. */
export async function curvesSvg(points: readonly CurvePoint[], title = 'training curves'): Promise<string> {
  const finite = points.filter((p) => Number.isFinite(p.value));
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: finite as unknown as Record<string, unknown>[] },
    facet: { field: 'quantity', type: 'nominal', title: null },
    columns: 3,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', scale: { nice: false }, axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', scale: { zero: false, padding: 8 }, axis: { format: '.4~g' }, title: null },
        color: { field: 'split', type: 'nominal' },
      },
    },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

export async function writeCurvesSvg(path: string, points: readonly CurvePoint[], title?: string): Promise<void> {
  writeFileSync(path, await curvesSvg(points, title));
}
