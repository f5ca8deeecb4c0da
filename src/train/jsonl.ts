/** Append-only JSON Lines log: one record per line, flushed as it is written. */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../io/atomic.js';
import { dirname } from 'node:path';

export class JsonlLog {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}

/** Read every record of a JSONL file; a malformed line is reported with its line number. */
export function readJsonl(path: string): Record<string, unknown>[] {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch (e) {
      throw new Error(`${path}: line ${i + 1} is not valid JSON (${(e as Error).message})`);
    }
  });
}

/**
 * Keep a training log consistent with a checkpoint saved after `epoch`: drop
 * the records of later epochs (and of the test that followed them) and a
 * last line cut short by a killed process. Rewritten atomically.
 */
export function truncateLogAfterEpoch(path: string, epoch: number): void {
  if (!existsSync(path)) return;
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());
  const kept: string[] = [];
  for (const line of lines) {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a torn write
    }
    if (typeof r.epoch === 'number' && r.epoch > epoch && r.event !== 'resume') continue;
    if (r.event === 'test') continue;
    kept.push(line);
  }
  writeFileAtomicSync(path, new TextEncoder().encode(kept.map((l) => `${l}\n`).join('')));
}
