/**
 * Run folders: what a training run leaves behind (config.json, log.jsonl,
 * checkpoint.safetensors, best.safetensors, curves.svg and a task's own
 * artefacts) and the rules that keep a user's work safe:
 *
 * - an existing run is never replaced silently: starting a run in a folder
 *   that holds one needs `resume` (continue it) or `overwrite` (replace it);
 * - a resumed run keeps the settings it started with: different settings are
 *   refused with the list of what differs, and config.json is not rewritten;
 * - the temporary files of a save that was interrupted (a killed process
 *   leaves `.checkpoint.safetensors.<pid>.<random>.tmp`) are removed on the
 *   next start;
 * - config.json is written atomically, only after the caller has validated
 *   the configuration (build the model, data and optimiser first).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../io/atomic.js';

/** Files a run may write; `overwrite` removes exactly these (and nothing else a user keeps in the folder). */
export const RUN_FILES = ['config.json', 'log.jsonl', 'checkpoint.safetensors', 'best.safetensors', 'curves.svg', 'results.json', 'forecast.svg'] as const;

export interface RunDirOptions {
  /** Continue the run in the folder from its checkpoint (its settings must match). */
  resume?: boolean;
  /** Replace the run in the folder (its run files are deleted first). */
  overwrite?: boolean;
  /** Settings that may differ on resume without changing what the run computes (e.g. progress display). */
  mayChange?: readonly string[];
}

export interface OpenedRunDir {
  resumed: boolean;
  /** Temporary files of interrupted saves that were removed. */
  removedTemps: string[];
  /** Run files removed by `overwrite`. */
  replaced: string[];
}

/** Names the atomic writer gives its temporary files: `.<target>.<pid>.<random>.tmp`. */
const TEMP_NAME = /^\..+\.\d+\.[a-z0-9]+\.tmp$/;

/** Remove temporary files left by interrupted atomic saves in `dir`; returns their names. */
export function removeStaleTempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!TEMP_NAME.test(name)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // removed meanwhile, or not ours to remove: leave it
    }
  }
  return removed;
}

const jsonEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Keys whose values differ between a run's recorded settings and the new ones, nested keys joined with '.'. */
export function settingsDiff(recorded: Record<string, unknown>, now: Record<string, unknown>, prefix = ''): { key: string; was: unknown; now: unknown }[] {
  const out: { key: string; was: unknown; now: unknown }[] = [];
  for (const k of new Set([...Object.keys(recorded), ...Object.keys(now)])) {
    const a = recorded[k];
    const b = now[k];
    if (jsonEqual(a, b)) continue;
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isObj(a) && isObj(b)) out.push(...settingsDiff(a, b, `${prefix}${k}.`));
    else out.push({ key: `${prefix}${k}`, was: a, now: b });
  }
  return out;
}

function fsError(e: unknown, what: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is a file' : code === 'ENOSPC' ? 'no space left on the device' : code === 'EROFS' ? 'the file system is read-only' : (e as Error).message;
  return new Error(`${what}: ${why}`);
}

/**
 * Make `dir` ready for a run with `settings` (what config.json records).
 * Call it after the settings are validated and before training writes
 * anything. Throws, without touching the folder, when the folder holds a run
 * and neither `resume` nor `overwrite` is given, when `resume` finds no
 * checkpoint, or when `resume` is given different settings.
 */
export function openRunDir(dir: string, settings: Record<string, unknown>, o: RunDirOptions = {}): OpenedRunDir {
  if (o.resume && o.overwrite) throw new Error('resume and overwrite exclude each other: resume continues the run in the folder, overwrite replaces it');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`run folder '${dir}' is a file, not a folder`);
  const existing = existsSync(dir) ? RUN_FILES.filter((f) => existsSync(join(dir, f))) : [];
  const configPath = join(dir, 'config.json');

  if (o.resume) {
    if (!existing.includes('checkpoint.safetensors')) {
      throw new Error(`cannot resume: run folder '${dir}' has no checkpoint.safetensors to continue from (leave out --resume to start a new run)`);
    }
    if (!existing.includes('config.json')) throw new Error(`cannot resume: run folder '${dir}' has a checkpoint but no config.json recording its settings`);
    let recorded: Record<string, unknown>;
    try {
      recorded = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`cannot resume: ${configPath} is not valid JSON (${(e as Error).message})`);
    }
    const skip = new Set(o.mayChange ?? []);
    const diff = settingsDiff(recorded, settings).filter((d) => !skip.has(d.key));
    if (diff.length) {
      const list = diff.map((d) => `${d.key} ${d.now === undefined ? '(unset)' : show(d.now)} (the run has ${d.was === undefined ? 'none' : show(d.was)})`).join(', ');
      throw new Error(`cannot resume with different settings: ${list}. A resumed run continues with the settings it started with; leave these out, or start a new run (another --run-dir, or --overwrite)`);
    }
    return { resumed: true, removedTemps: removeStaleTempFiles(dir), replaced: [] };
  }

  if (existing.length && !o.overwrite) {
    throw new Error(`run folder '${dir}' already holds a run (${existing.join(', ')}); pass --resume to continue it or --overwrite to replace it, or choose another --run-dir`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw fsError(e, `cannot create run folder '${dir}'`);
  }
  const removedTemps = removeStaleTempFiles(dir);
  for (const f of existing) unlinkSync(join(dir, f));
  try {
    writeFileAtomicSync(configPath, new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`));
  } catch (e) {
    throw fsError(e, `cannot write ${configPath}`);
  }
  return { resumed: false, removedTemps, replaced: existing };
}
