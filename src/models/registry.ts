/**
 * The model registry: named variants with their reference defaults, built
 * from a config whose fields are the reference constructor's keyword
 * arguments in camelCase (timm's `@register_model`, one place to find every
 * model). Zoo files register their variants when src/models/index.ts imports them.
 */
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/** What the registry needs of a model (every nn.Module satisfies it). */
export interface RegisteredModel {
  forward(...inputs: Tensor[]): Tensor;
  parameters(): Tensor[];
  eval(): unknown;
}

export type ConfigValue = number | string | boolean | null | readonly ConfigValue[] | { readonly [k: string]: ConfigValue };
export type ModelConfig = Record<string, ConfigValue>;

export interface ModelEntry<C extends ModelConfig = ModelConfig> {
  /** Registry name, e.g. 'mixer_s16_224'. */
  name: string;
  /** Family, e.g. 'mlp-mixer'; `mlpkit models` groups by it. */
  family: string;
  /** Paper title and link. */
  paper: string;
  /** One line for listings. */
  description: string;
  /** The full default config; a user config may override any of these keys and no others. */
  defaults: C;
  /** Input names and per-sample shapes for a config (the batch dim is not included). */
  inputs(config: C): { name: string; shape: number[]; dtype?: 'float32' | 'int32'; /** exclusive upper bound for int inputs */ high?: number }[];
  /** Output names, in the order `forward` returns them (one output: a single name). */
  outputs?: string[];
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
