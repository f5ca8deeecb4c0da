/**
 * Where the benchmark data lives. In order: an explicit folder (a CLI flag),
 * the `MLPKIT_DATA` environment variable, then `../shared/data` beside the
 * checkout — resolved from the package root (the folder holding mlpkit's
 * package.json), never from the current directory, so every command finds
 * the same folder wherever it is run from.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding mlpkit's package.json, found by walking up from this file (in src/ or dist/ alike). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'mlpkit') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`mlpkit: cannot find the package root (no package.json named 'mlpkit' above ${fileURLToPath(import.meta.url)})`);
    dir = up;
  }
}

export interface DataDir {
  path: string;
  /** How it was chosen, for messages. */
  source: 'flag' | 'MLPKIT_DATA' | 'default';
}

/**
 * The data folder, checked to exist.
 * @throws naming the folder, where the name came from and how to set another, when it is missing.
 * @example resolveDataDir().path // '/home/me/shared/data' (beside the checkout)
 */
export function resolveDataDir(flag?: string | null): DataDir {
  const env = process.env.MLPKIT_DATA;
  const choice: DataDir = flag
    ? { path: resolve(flag), source: 'flag' }
    : env
      ? { path: resolve(env), source: 'MLPKIT_DATA' }
      : { path: resolve(packageRoot(), '..', 'shared', 'data'), source: 'default' };
  const why = { flag: 'given with --data-dir', MLPKIT_DATA: 'from the MLPKIT_DATA environment variable', default: 'the default, ../shared/data beside the checkout' }[choice.source];
  if (!existsSync(choice.path) || !statSync(choice.path).isDirectory()) {
    throw new Error(`data folder '${choice.path}' (${why}) does not exist; point --data-dir or MLPKIT_DATA at the folder holding ett/, weather/ and lstnet/`);
  }
  return choice;
}
