/** JSON files that must hold one object (configs, run records), with errors that name the file and its role. */
import { existsSync, readFileSync } from 'node:fs';

/**
 * Read `path` as a JSON object; `what` names the file in errors ('config', 'run config').
 * @example const run = readJsonObject('runs/mlp-mnist/config.json', 'run config');
 */
export function readJsonObject(path: string, what: string): Record<string, unknown> {
  if (!existsSync(path)) throw new Error(`${what} file '${path}' does not exist`);
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${what} file '${path}' is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} file '${path}' must hold a JSON object`);
  return v as Record<string, unknown>;
}
