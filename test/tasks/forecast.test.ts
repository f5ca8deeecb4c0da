/**
 * The forecast task end to end, as a library call and through the command
 * line: data, recipe, training, the best weights tested, results and plots
 * in the run folder, and the run folder evaluated again.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/commands.js';
import { parseForecastArgs } from '../../src/cli/forecast.js';
import { forecast } from '../../src/tasks/index.js';

describe('forecast task', () => {
  function csv(n: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'mlpkit-fc-'));
    const rows = ['date,x,y,OT'];
    for (let i = 0; i < n; i++) {
      const stamp = new Date(Date.UTC(2021, 0, 1, i)).toISOString().replace('T', ' ').slice(0, 19);
      rows.push(`${stamp},${Math.sin(i / 4).toFixed(4)},${Math.cos(i / 9).toFixed(4)},${(Math.sin(i / 6) + i / 100).toFixed(4)}`);
    }
    const p = join(dir, 'toy.csv');
    writeFileSync(p, `${rows.join('\n')}\n`);
    return p;
  }

  it('parses the command line, trains, tests the best weights and writes results and a forecast plot', async () => {
    const data = csv(300);
    const runDir = mkdtempSync(join(tmpdir(), 'mlpkit-run-'));
    const opts = parseForecastArgs(['--task', 'forecast', '--model', 'timemixer', '--data', data, '--seq-len', '24', '--pred-len', '6', '--epochs', '2', '--batch-size', '16',
      '--set', 'dModel=8', '--set', 'dFf=8', '--set', 'downSamplingLayers=2', '--run-dir', runDir, '--quiet', '--plot-windows', '2']);
    expect(opts).toMatchObject({ model: 'timemixer', seqLen: 24, predLen: 6, epochs: 2, batchSize: 16, config: { dModel: 8, dFf: 8, downSamplingLayers: 2 }, progress: false });
    const lines: string[] = [];
    const r = await forecast.run({ ...opts, log: (s) => lines.push(s) });
    expect(r.config).toMatchObject({ seqLen: 24, predLen: 6, encIn: 3, cOut: 3 });
    expect(r.recipe).toMatchObject({ optimizer: 'adam', schedule: 'onecycle', lr: 0.01, epochs: 2, batchSize: 16 });
    expect(r.epochsRun).toBe(2);
    // test rows [240 − 24, 300): 84 rows hold 84 − 24 − 6 + 1 = 55 windows; a drop_last loader of 16 keeps 48.
    expect(r.test.windows).toBe(55);
    expect(Number.isFinite(r.test.mse) && Number.isFinite(r.test.mae)).toBe(true);
    expect(r.testDropLast?.windows).toBe(48);
    for (const f of ['results.json', 'config.json', 'log.jsonl', 'best.safetensors', 'forecast.svg']) expect(existsSync(join(runDir, f)), f).toBe(true);
    // Two evenly spread test windows (⌊0.5·55/2⌋, ⌊1.5·55/2⌋), drawn from the test pass's own forecasts.
    const svg = readFileSync(join(runDir, 'forecast.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('test window 13');
    expect(svg).toContain('test window 41');
    const testEvent = readFileSync(join(runDir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.event === 'test');
    expect(testEvent).toMatchObject({ test_mse: r.test.mse, test_mae: r.test.mae });
    expect(lines.join('\n')).toMatch(/timemixer on .*toy.csv 24→6: test MSE \d\.\d{4}, MAE \d\.\d{4} over 55 windows/);
    // `mlpkit eval --run-dir` rebuilds the model and windows from the run folder and scores the best weights again.
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['eval', '--run-dir', runDir])).toBe(0);
      expect(log.mock.calls.flat().join('\n')).toContain(`test: MSE ${r.test.mse.toFixed(4)}, MAE ${r.test.mae.toFixed(4)} over 55 windows`);
    } finally {
      log.mockRestore();
    }
  }, 60_000);

  it('rejects a non-forecasting model and a missing --data', async () => {
    await expect(forecast.run({ model: 'mlp', data: 'ETTh1' })).rejects.toThrow(/model 'mlp' \(family mlp\) is not a forecasting model/);
    await expect(forecast.run({ model: 'tsmixer', data: 'x.csv', config: { seqLen: 336 } })).rejects.toThrow(/seqLen comes from the data: set the look-back and horizon with --seq-len and --pred-len/);
    expect(() => parseForecastArgs(['--model', 'tsmixer'])).toThrow(/--data is required/);
    expect(() => parseForecastArgs(['--model', 'tsmixer', '--data', 'ETTh1', '--drop-last-test', 'maybe'])).toThrow(/--drop-last-test must be true or false/);
  });
});
