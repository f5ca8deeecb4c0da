/**
 * `mlpkit train` and `mlpkit eval`: flags → a task's options → the task
 * (src/tasks). Classification is the default task; `--task NAME` picks
 * another, whose flags its own module parses (forecast.ts).
 */
import * as tasks from '../tasks/index.js';
import type { ClassifyOptions, TaskOptions } from '../tasks/index.js';
import type { Command } from './command.js';
import { collectSets, given, int, modelConfig, num, parse, text, TRAINING_OPTIONS } from './args.js';
import { FORECAST_USAGE, parseForecastArgs } from './forecast.js';

const classifyOptions = {
  ...TRAINING_OPTIONS,
  task: { type: 'string' },
  'warmup-epochs': { type: 'string' },
  'label-smoothing': { type: 'string' },
  'val-size': { type: 'string' },
  monitor: { type: 'string' },
} as const;

/** `train` flags → classify options (values are checked by the task). */
function parseClassifyArgs(argv: string[]): ClassifyOptions {
  const { rest, sets } = collectSets(argv);
  const { values: v } = parse('train', rest, classifyOptions);
  if (!v.model) throw new Error('--model is required (see `mlpkit models`)');
  if (!v.data) throw new Error(`--data is required (${Object.keys(tasks.CLASSIFY_DATASETS).join(' or ')})`);
  return {
    model: String(v.model),
    data: String(v.data),
    config: modelConfig(v, sets),
    epochs: given(v, 'epochs', int),
    batchSize: given(v, 'batch-size', int),
    lr: given(v, 'lr', num),
    optimizer: text(v, 'optimizer'),
    weightDecay: given(v, 'weight-decay', num),
    schedule: text(v, 'schedule'),
    warmupEpochs: given(v, 'warmup-epochs', num),
    labelSmoothing: given(v, 'label-smoothing', num),
    gradClip: given(v, 'grad-clip', num),
    valSize: given(v, 'val-size', int),
    monitor: text(v, 'monitor'),
    patience: given(v, 'patience', int),
    seed: given(v, 'seed', int),
    runDir: text(v, 'run-dir'),
    resume: Boolean(v.resume),
    overwrite: Boolean(v.overwrite),
    progress: !v.quiet,
  };
}

const CLASSIFY_USAGE = [
  'Usage: mlpkit train --model NAME --data mnist|fashion-mnist [options]',
  '       mlpkit train --task forecast ... (see `mlpkit train --task forecast --help`)',
  '',
  'Trains MODEL (see `mlpkit models`) and reports test accuracy with the weights of the best',
  'validation epoch. The run folder gets config.json, log.jsonl, checkpoint.safetensors (resumable),',
  'best.safetensors and curves.svg.',
  '',
  '  --config FILE          model config (JSON; keys as in `mlpkit info MODEL`)',
  '  --set key=value        override one config key (repeatable; value parsed as JSON)',
  '  --epochs N             (default 5)',
  '  --batch-size N         (default 128)',
  '  --lr X                 peak learning rate (default 1e-3)',
  '  --optimizer NAME       adamw (default), adam, sgd (momentum 0.9)',
  '  --weight-decay X       (default 0.01 for adamw, else 0)',
  '  --schedule NAME        cosine (default: linear warm-up then cosine, per batch), onecycle, none',
  '  --warmup-epochs X      warm-up length for cosine (default 0)',
  '  --label-smoothing X    (default 0)',
  '  --grad-clip X          clip the global gradient norm to X > 0 (default: no clipping)',
  '  --val-size N           training images held out for validation (default 5000; 0 = none)',
  '  --monitor NAME         what picks the best epoch: val_loss (default) or val_accuracy',
  '  --patience N           stop after N ≥ 1 epochs without a better monitored value (default: never)',
  '  --seed N               seeds initialisation, shuffling and dropout (default 0)',
  '  --run-dir DIR          (default runs/<model>-<data>)',
  '  --resume               continue the run in --run-dir from its last checkpoint (same settings)',
  '  --overwrite            replace the run already in --run-dir (without this or --resume it is refused)',
  '  --quiet                no progress bars',
].join('\n');

/** Each task's command line: its usage and how its flags become the task's options. */
const TASK_ARGS: Record<string, { usage: string; parse: (argv: string[]) => TaskOptions }> = {
  classify: { usage: CLASSIFY_USAGE, parse: parseClassifyArgs },
  forecast: { usage: FORECAST_USAGE, parse: parseForecastArgs },
};

function taskOf(args: readonly string[]): string {
  const i = args.indexOf('--task');
  const eq = args.find((a) => a.startsWith('--task='));
  return i >= 0 ? (args[i + 1] ?? '') : eq ? eq.slice(7) : 'classify';
}

export const trainCommand: Command = {
  summary: 'train a registered model on a dataset, with checkpoints, logs and a plot',
  usageFor: (args) => TASK_ARGS[taskOf(args)]?.usage,
  usage: CLASSIFY_USAGE,
  async run(argv) {
    const name = taskOf(collectSets(argv).rest);
    const task = tasks.get(name);
    const args = TASK_ARGS[name];
    if (!args) throw new Error(`task '${name}' has no command line yet; call it from the library (tasks.${name}.run)`);
    await task.run(args.parse(argv));
    return 0;
  },
};

export const evalCommand: Command = {
  summary: 'evaluate trained weights on a dataset\'s test split',
  usage: [
    'Usage: mlpkit eval --run-dir DIR [--weights FILE]',
    '       mlpkit eval --model NAME --data mnist|fashion-mnist --weights FILE [--config cfg.json] [--set k=v]',
    '',
    'Prints test loss and accuracy (for a forecasting run folder: test MSE and MAE). With --run-dir,',
    'the model, config and data come from its config.json and the weights default to its',
    'best.safetensors.',
    '',
    '  --batch-size N   evaluation batch (default 256 for classification; a forecasting run keeps its own)',
    '  --quiet          no progress bar',
  ].join('\n'),
  async run(argv) {
    const { rest, sets } = collectSets(argv);
    const { values: v } = parse('eval', rest, { 'run-dir': { type: 'string' }, model: { type: 'string' }, data: { type: 'string' }, weights: { type: 'string' }, config: { type: 'string' }, 'batch-size': { type: 'string' }, quiet: { type: 'boolean' } });
    const common = { weights: v.weights as string | undefined, config: modelConfig(v, sets), batchSize: given(v, 'batch-size', int), progress: !v.quiet };
    if (v['run-dir']) {
      await tasks.evaluateRun(String(v['run-dir']), common);
      return 0;
    }
    if (!v.model || !v.data || !common.weights) throw new Error('give --run-dir, or all of --model, --data and --weights');
    await tasks.evaluateWeights({ ...common, model: String(v.model), data: String(v.data), weights: common.weights });
    return 0;
  },
};
