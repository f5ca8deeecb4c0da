/** Runs once per test run, before any suite: says which data-dependent suites will skip and why. */
import { DATA_SOURCES, skipLine } from './data-sources.js';

export default function setup(): void {
  for (const s of DATA_SOURCES) if (!s.present) process.stdout.write(`${skipLine(s)}\n`);
}
