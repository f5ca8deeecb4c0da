/** Small helpers shared by the subcommands: option parsing with clear errors, JSON config files. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkNumber, OPTION_RANGES } from '../tasks/ranges.js';
import { readJsonObject } from '../io/json.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parse `args` strictly; an unknown flag or a missing value is an error that names it. */
export function parse(command: string, args: string[], options: Options, allowPositionals = false): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new Error(`${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')} (see \`mlpkit ${command} --help\`)`);
  }
}

/** Options every training task takes (`mlpkit train`, classification and forecasting alike). */
export const TRAINING_OPTIONS = {
  model: { type: 'string' },
  data: { type: 'string' },
  config: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  optimizer: { type: 'string' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  'grad-clip': { type: 'string' },
  patience: { type: 'string' },
  seed: { type: 'string' },
  'run-dir': { type: 'string' },
  resume: { type: 'boolean' },
  overwrite: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/**
 * A flag's value parsed by `parseValue` (num, int), or undefined when the flag
 * was not given, so the task applies its own default.
 */
export function given<T>(values: Record<string, unknown>, key: string, parseValue: (values: Record<string, unknown>, key: string, fallback: number) => T): T | undefined {
  if (values[key] === undefined) return undefined;
  const v = parseValue(values, key, 0);
  // The task's own table of allowed values, checked here so the message names the flag.
  const range = OPTION_RANGES[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
  if (range && typeof v === 'number') checkNumber(`--${key}`, v, range);
  return v;
}

/** A string flag's value (its vocabulary is checked by the task), or undefined when not given. */
export function text<T extends string = string>(values: Record<string, unknown>, key: string): T | undefined {
  return values[key] === undefined ? undefined : (String(values[key]) as T);
}

export function num(values: Record<string, unknown>, key: string, fallback: number): number {
  const v = values[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${key} must be a number, got '${String(v)}'`);
  return n;
}

export function int(values: Record<string, unknown>, key: string, fallback: number): number {
  const n = num(values, key, fallback);
  if (!Number.isInteger(n)) throw new Error(`--${key} must be an integer, got '${String(values[key])}'`);
  return n;
}

/**
 * A model config from `--config file.json` and any `--set key=value`
 * overrides (values parsed as JSON when they parse, else kept as strings).
 */
export function modelConfig(values: Record<string, unknown>, sets: string[] = []): Record<string, unknown> {
  const cfg = typeof values.config === 'string' ? readJsonObject(values.config, 'config') : {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new Error(`--set expects key=value, got '${s}'`);
    const raw = s.slice(eq + 1);
    let v: unknown = raw;
    try {
      v = JSON.parse(raw);
    } catch {
      /* a bare string */
    }
    cfg[s.slice(0, eq)] = v;
  }
  return cfg;
}

/** Collect repeated `--set` flags (parseArgs keeps only the last of a repeated string option). */
export function collectSets(args: string[]): { rest: string[]; sets: string[] } {
  const rest: string[] = [];
  const sets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--set') {
      if (i + 1 >= args.length) throw new Error('--set needs a key=value');
      sets.push(args[++i]);
    } else if (args[i].startsWith('--set=')) sets.push(args[i].slice(6));
    else rest.push(args[i]);
  }
  return { rest, sets };
}
