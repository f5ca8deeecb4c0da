/**
 * The model registry: named variants with their reference defaults, built
 * from a config whose fields are the reference constructor's keyword
 * arguments in camelCase (timm's `@register_model`, one place to find every
 * model). Zoo files register their variants when src/models/index.ts imports them.
 */
import type { Module } from '../nn/module.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * What `create` returns: a real `Module` whose forward takes the entry's
 * inputs (as listed by `inputs(config)`, in order, each with a leading batch
 * dim) and returns its one output tensor. Training, checkpoints and weight
 * loading take it as it is. A model may accept more arguments than it
 * declares (TimeMixer's future time marks); callers pass only what they know.
 */
export type RegisteredModel = Module<Tensor[], Tensor>;

/**
 * The kind of task a model is built for; the task of that name (src/tasks)
 * trains and evaluates it. Grows with the tasks.
 */
export type ModelTask = 'classify' | 'forecast' | 'lm';

export type ConfigValue = number | string | boolean | null | readonly ConfigValue[] | { readonly [k: string]: ConfigValue };
export type ModelConfig = Record<string, ConfigValue>;

/** One named tensor of a model's inputs or outputs, per sample (the batch dim is not included). */
export interface TensorSpec {
  name: string;
  shape: number[];
  dtype?: 'float32' | 'int32';
  /** Exclusive upper bound of an int input (token ids, class labels). */
  high?: number;
}

/**
 * A batch `x` [B, ...] as input `spec` takes it: reshaped to [B, ...spec.shape]
 * when a sample has the same number of elements (MNIST's [B, 1, 28, 28] for an
 * MLP's [B, 784], as training feeds it), else an error naming both shapes.
 */
export function fitToInput(x: Tensor, spec: TensorSpec, model: string): Tensor {
  const per = x.shape.slice(1);
  const count = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
  if (x.ndim < 1 || count(per) !== count(spec.shape)) {
    throw new Error(`input '${spec.name}' has shape [${x.shape.join(', ')}] but ${model} expects [B, ${spec.shape.join(', ')}] (or any shape with ${count(spec.shape)} elements per sample)`);
  }
  return per.length === spec.shape.length && per.every((d, i) => d === spec.shape[i]) ? x : x.reshape([x.shape[0], ...spec.shape]);
}

/**
 * A registered variant. The contract every model family keeps (the registry
 * smoke test checks it for every entry): `create(config)` builds a model
 * whose `forward(...inputs(config))` returns one tensor of shape
 * `[B, ...outputs(config)[0].shape]`, finite, with a gradient reaching every
 * parameter (save those named by `unusedParameters`).
 */
export interface ModelEntry<C extends ModelConfig = ModelConfig> {
  /** Registry name, e.g. 'mixer_s16_224'. */
  name: string;
  /** Family, e.g. 'mlp-mixer'; `mlpkit models` groups by it. */
  family: string;
  /** The task that trains it ('classify': logits from images or rows; 'forecast': a horizon from a look-back window). */
  task: ModelTask;
  /** Paper title and link. */
  paper: string;
  /** The reference implementation followed: repository and file(s), e.g. 'timm timm/models/mlp_mixer.py'. */
  reference: string;
  /** One line for listings. */
  description: string;
  /** The full default config; a user config may override any of these keys and no others. */
  defaults: C;
  /** Input names and per-sample shapes for a config, in the order `forward` takes them. */
  inputs(config: C): TensorSpec[];
  /** The output's name and per-sample shape for a config (one entry: models return one tensor). */
  outputs(config: C): TensorSpec[];
  /**
   * Overrides of `defaults` that keep the variant's structure but make it
   * cheap to build and run (fewer blocks, a shorter window): what the
   * registry smoke test builds. Omit when the defaults are already small.
   */
  smallConfig?: Partial<C>;
  /**
   * Parameters the forward never reads, kept because the reference's state
   * dict has them (matched against `namedParameters()` names).
   */
  unusedParameters?: RegExp;
  create(config: C, generator?: Generator): RegisteredModel;
}

const entries = new Map<string, ModelEntry>();

export function register<C extends ModelConfig>(entry: ModelEntry<C>): void {
  if (entries.has(entry.name)) throw new Error(`model '${entry.name}' is registered twice`);
  entries.set(entry.name, entry as unknown as ModelEntry);
}

export function get(name: string): ModelEntry {
  const e = entries.get(name);
  if (!e) {
    const close = [...entries.keys()].filter((k) => k.includes(name) || name.includes(k.split('_')[0])).slice(0, 5);
    throw new Error(`unknown model '${name}'${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; \`mlpkit models\` lists them all`);
  }
  return e;
}

export function list(): ModelEntry[] {
  return [...entries.values()];
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Defaults overridden by `config`; an unknown key or a value of the wrong type is an error naming both. */
export function resolveConfig(name: string, config: Record<string, unknown> = {}): ModelConfig {
  const e = get(name);
  const out: Record<string, unknown> = { ...e.defaults };
  for (const [k, v] of Object.entries(config)) {
    if (!(k in e.defaults)) {
      throw new Error(`model '${name}' has no config key '${k}' (valid keys: ${Object.keys(e.defaults).join(', ')})`);
    }
    const want = kind(e.defaults[k]);
    // null defaults accept anything; numbers accept numbers only, etc.
    if (want !== 'null' && v !== null && kind(v) !== want) {
      throw new Error(`model '${name}': config key '${k}' must be a ${want}, got ${kind(v)} ${JSON.stringify(v)}`);
    }
    out[k] = v;
  }
  return out as ModelConfig;
}

/**
 * Build a registered model from (a part of) its config.
 * @example const m = create('mlp', { hiddenDims: [256, 128] });
 */
export function create(name: string, config: Record<string, unknown> = {}, generator?: Generator): RegisteredModel {
  return get(name).create(resolveConfig(name, config), generator);
}
