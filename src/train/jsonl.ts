/** Append-only JSON Lines log: one record per line, flushed as it is written. */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
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
