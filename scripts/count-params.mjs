#!/usr/bin/env node
// Writes src/models/param_counts.ts: the parameter count of every registered
// model at its default config, so `mlpkit models` lists them without building
// anything. Run after adding or changing a model: `npm run build && node
// scripts/count-params.mjs` (test/models/param_counts.test.ts fails, naming
// this script, while the table is stale).
import { writeFileSync } from 'node:fs';
import { models } from '../dist/index.js';
import { withoutInit } from '../dist/nn/init.js';

const rows = models.list().map((e) => {
  const m = withoutInit(() => e.create(e.defaults));
  return [e.name, m.parameters().reduce((s, p) => s + p.size, 0)];
});
const body = rows.map(([n, c]) => `  '${n}': ${c},`).join('\n');
writeFileSync(new URL('../src/models/param_counts.ts', import.meta.url), `/**
 * Parameters of every registered model at its default config, written by
 * scripts/count-params.mjs (test/models/param_counts.test.ts keeps it true),
 * so listing the zoo needs no model built.
 */
export const PARAM_COUNTS: Readonly<Record<string, number>> = {
${body}
};
`);
console.log(`src/models/param_counts.ts: ${rows.length} models`);
