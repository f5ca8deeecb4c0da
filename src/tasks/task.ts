/**
 * Tasks: a kind of problem solved end to end — its data, how a registered
 * model is built for that data, the training recipe, `fit`, the evaluation
 * and the artefacts of a run folder (config.json, log.jsonl, checkpoints,
 * curves.svg and whatever the task adds: forecast.svg, results.json).
 *
 * A task sits above `train/` (the loop knows nothing of data sets or model
 * names) and below `cli/` (which only turns flags into a task's options).
 * Registered models say which task they serve (`ModelEntry.task`); a run
 * folder is evaluated by the task that wrote it.
 */
import { join } from 'node:path';
import { readJsonObject } from '../io/json.js';

/** Options every task takes. */
export interface TaskOptions {
  /** Registered model name (see `models.list()`). */
  model: string;
  /** Data set name or path, as the task understands it. */
  data: string;
  /** Model config overrides (keys as in the model's defaults). */
  config?: Record<string, unknown>;
  /** Seeds initialisation, shuffling and dropout. */
  seed?: number;
  /** Run folder for checkpoints, logs and plots (each task has a default under runs/). */
  runDir?: string;
  /** Continue the run in `runDir` from its last checkpoint (its settings must be the run's). */
  resume?: boolean;
  /** Replace a run already in `runDir` (without this or `resume`, a folder holding a run is refused). */
  overwrite?: boolean;
  /** Progress bars (and, for classify, its data and model notes) on stderr (default true). */
  progress?: boolean;
  /** Where the summary lines go (default: console.log). */
  log?: (line: string) => void;
}

/** Options of `Task.evaluate`. */
export interface EvaluateOptions {
  /** Weights to score (default: the run folder's best.safetensors). */
  weights?: string;
  /** Model config overrides on top of the run's (when the task allows them). */
  config?: Record<string, unknown>;
  batchSize?: number;
  progress?: boolean;
  log?: (line: string) => void;
}

/**
 * A task. `run` trains and tests a model and returns the numbers (also
 * written to the run folder); `evaluate` rebuilds model and data from a run
 * folder it wrote and scores the saved weights again.
 * @example
 * const r = await tasks.get('forecast').run({ model: 'timemixer', data: 'ETTh1', predLen: 96 });
 */
export interface Task<O extends TaskOptions = TaskOptions, R = unknown, E = Record<string, number>> {
  /** Registry name; models whose entry has this `task` are the ones it trains. */
  readonly name: string;
  /** One line for listings and help. */
  readonly description: string;
  /** The values options take when left out (those that do not depend on the model). */
  readonly defaults: Readonly<Partial<O>>;
  run(options: O): Promise<R>;
  evaluate(runDir: string, options?: EvaluateOptions): Promise<E>;
}

// Tasks of every option and result type live in one table; callers that know
// the task use its own typed export (tasks.classify, tasks.forecast).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = Task<any, unknown, unknown>;

const registry = new Map<string, AnyTask>();

/** Add a task to the registry (each name once). */
export function registerTask(task: AnyTask): void {
  if (registry.has(task.name)) throw new Error(`task '${task.name}' is registered twice`);
  registry.set(task.name, task);
}

/** The task of that name, or an error listing the known ones. */
export function getTask(name: string): AnyTask {
  const t = registry.get(name);
  if (!t) throw new Error(`unknown task '${name}' (known: ${[...registry.keys()].join(', ')})`);
  return t;
}

/** Every registered task, in registration order. */
export function listTasks(): AnyTask[] {
  return [...registry.values()];
}

/** A run folder's config.json. */
export function readRunConfig(runDir: string): Record<string, unknown> {
  return readJsonObject(join(runDir, 'config.json'), 'run config');
}

/**
 * Which task wrote a run folder: its config.json's `task`, else — for the
 * folders classify and forecast have always written, which carry no `task`
 * key — forecast when it records a look-back (`seqLen`), classify otherwise.
 */
export function taskOfRun(run: Record<string, unknown>): string {
  if (typeof run.task === 'string') return run.task;
  return run.seqLen !== undefined ? 'forecast' : 'classify';
}
