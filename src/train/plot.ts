/**
 * The plots a run folder gets, as SVG drawn by Vega-Lite (compiled to Vega
 * and rendered headless, no canvas):
 * - training curves: one panel per quantity (loss, each metric), one line per split;
 * - forecasts against truth: one panel per window, the look-back in grey, the
 *   true future and the forecast in colour.
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
  return renderSvg(spec);
}

function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  return new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' }).toSVG();
}

export async function writeCurvesSvg(path: string, points: readonly CurvePoint[], title?: string): Promise<void> {
  writeFileSync(path, await curvesSvg(points, title));
}

export interface ForecastPanel {
  /** Panel title, e.g. 'test window 120'. */
  title: string;
  history: ArrayLike<number>;
  truth: ArrayLike<number>;
  forecast: ArrayLike<number>;
}

/** Render panels of one channel's history, truth and forecast to SVG text. */
export async function forecastSvg(panels: readonly ForecastPanel[], title = 'forecast vs truth'): Promise<string> {
  const values: { panel: string; t: number; value: number; series: string }[] = [];
  for (const p of panels) {
    const h = p.history.length;
    for (let i = 0; i < h; i++) values.push({ panel: p.title, t: i - h, value: p.history[i], series: 'history' });
    for (let i = 0; i < p.truth.length; i++) values.push({ panel: p.title, t: i, value: p.truth[i], series: 'truth' });
    for (let i = 0; i < p.forecast.length; i++) values.push({ panel: p.title, t: i, value: p.forecast[i], series: 'forecast' });
  }
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: values.filter((v) => Number.isFinite(v.value)) },
    facet: { field: 'panel', type: 'nominal', title: null, sort: panels.map((p) => p.title) },
    columns: 2,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 320,
      height: 160,
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'steps from the forecast origin' },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'series', type: 'nominal', scale: { domain: ['history', 'truth', 'forecast'], range: ['#999999', '#1f77b4', '#d62728'] } },
      },
    },
  };
  return renderSvg(spec);
}

export async function writeForecastSvg(path: string, panels: readonly ForecastPanel[], title?: string): Promise<void> {
  writeFileSync(path, await forecastSvg(panels, title));
}
