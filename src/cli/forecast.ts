/**
 * The command line of the forecast task: `mlpkit train --task forecast
 * --model tsmixer_rev_in --data ETTh1 --seq-len 512 --pred-len 96 …`. Flags
 * become `ForecastOptions`; the task itself (src/tasks/forecast.ts) does the
 * rest.
 */
import * as models from '../models/index.js';
import type { ForecastOptions } from '../tasks/index.js';
import { collectSets, given, int, modelConfig, num, parse, text, TRAINING_OPTIONS } from './args.js';

/** The registered forecasters, in registration order. */
const FORECASTERS = models.list().filter((e) => e.task === 'forecast').map((e) => e.name).join(', ');

export const FORECAST_USAGE = [
  'Usage: mlpkit train --task forecast --model NAME --data NAME|FILE.csv [options]',
  '',
  'Long-term forecasting under the standard protocol: chronological split (ETT 12/4/4 months, others',
  '70/10/20), z-score fitted on the train rows, windows of --seq-len → --pred-len, all channels in and',
  'out. Trains with the reference recipe of the model family, stops early on validation MSE, and reports',
  'test MSE/MAE (normalised scale) with the best-validation weights.',
  '',
  `  --model NAME         ${FORECASTERS}`,
  '  --data NAME|FILE     ETTh1, ETTh2, ETTm1, ETTm2, Weather, Exchange, or a CSV with a date column',
  '  --data-dir DIR       folder of the benchmarks (default: $MLPKIT_DATA, else ../shared/data beside the checkout)',
  '  --seq-len N          look-back (default: the recipe\'s: 512 TSMixer/PatchTSMixer, 96 TimeMixer)',
  '  --pred-len N         horizon (default 96)',
  '  --config FILE        model config (JSON), --set key=value overrides one key (repeatable)',
  '  --epochs N --batch-size N --lr X --optimizer adam|adamw --weight-decay X --adam-eps X',
  '  --schedule constant|linear|onecycle --pct-start X --grad-clip X|none --patience N',
  '  --drop-last-train true|false --drop-last-test true|false',
  '  --seed N             seeds initialisation, shuffling and dropout (default 0)',
  '  --run-dir DIR        (default runs/<model>-<data>-<L>-<H>)',
  '  --resume             continue the run in --run-dir (same settings)',
  '  --overwrite          replace the run already in --run-dir (without this or --resume it is refused)',
  '  --plot-windows N     test windows drawn in forecast.svg (default 4)',
  '  --quiet              no progress bars',
].join('\n');

const options = {
  ...TRAINING_OPTIONS,
  task: { type: 'string' },
  'data-dir': { type: 'string' },
  'seq-len': { type: 'string' },
  'pred-len': { type: 'string' },
  'adam-eps': { type: 'string' },
  'pct-start': { type: 'string' },
  'drop-last-train': { type: 'string' },
  'drop-last-test': { type: 'string' },
  'plot-windows': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function bool(v: Record<string, unknown>, key: string): boolean | undefined {
  const s = v[key];
  if (s === undefined) return undefined;
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw new Error(`--${key} must be true or false, got '${String(s)}'`);
}

/** Parse a `train --task forecast` command line into options (throws naming a bad flag). */
export function parseForecastArgs(argv: string[]): ForecastOptions {
  const { rest, sets } = collectSets(argv);
  const { values: v } = parse('train --task forecast', rest, options);
  if (!v.model) throw new Error(`--model is required (${FORECASTERS})`);
  if (!v.data) throw new Error('--data is required (ETTh1, ETTh2, ETTm1, ETTm2, Weather, Exchange, or a CSV path)');
  const clip = v['grad-clip'];
  return {
    model: String(v.model),
    data: String(v.data),
    dataDir: v['data-dir'] === undefined ? null : String(v['data-dir']),
    seqLen: given(v, 'seq-len', int),
    predLen: given(v, 'pred-len', int),
    config: modelConfig(v, sets),
    epochs: given(v, 'epochs', int),
    batchSize: given(v, 'batch-size', int),
    lr: given(v, 'lr', num),
    optimizer: text(v, 'optimizer'),
    weightDecay: given(v, 'weight-decay', num),
    adamEps: given(v, 'adam-eps', num),
    schedule: text(v, 'schedule'),
    pctStart: given(v, 'pct-start', num),
    gradClip: clip === undefined ? undefined : clip === 'none' ? null : num(v, 'grad-clip', 0),
    patience: given(v, 'patience', int),
    dropLastTrain: bool(v, 'drop-last-train'),
    dropLastTest: bool(v, 'drop-last-test'),
    seed: given(v, 'seed', int),
    runDir: text(v, 'run-dir'),
    resume: Boolean(v.resume),
    overwrite: Boolean(v.overwrite),
    progress: !v.quiet,
    plotWindows: given(v, 'plot-windows', int),
  };
}
