/**
 * The allowed values of the tasks' numeric options, in one table that both
 * the library (option names: `batchSize`) and the command line (flag names:
 * `--batch-size`) check against, so a bad value is refused before anything
 * is loaded or written, in the words of whoever gave it.
 */

/** An allowed numeric range: integer or real, with inclusive (min/max) or exclusive (gt/lt) bounds. */
export interface Range {
  int?: boolean;
  min?: number;
  gt?: number;
  max?: number;
  lt?: number;
  /** Why the bound is there, when it is not obvious. */
  why?: string;
}

/** Every numeric option a training task takes, by option name. */
export const OPTION_RANGES: Record<string, Range> = {
  epochs: { int: true, min: 1 },
  batchSize: { int: true, min: 1 },
  lr: { gt: 0 },
  weightDecay: { min: 0 },
  adamEps: { gt: 0 },
  pctStart: { gt: 0, lt: 1 },
  warmupEpochs: { min: 0 },
  labelSmoothing: { min: 0, lt: 1 },
  gradClip: { gt: 0, why: 'the largest gradient norm allowed; leave it out for no clipping' },
  patience: { int: true, min: 1, why: 'epochs without improvement before stopping; leave it out to never stop early' },
  valSize: { int: true, min: 0 },
  seed: { int: true, min: 0 },
  seqLen: { int: true, min: 1 },
  predLen: { int: true, min: 1 },
  plotWindows: { int: true, min: 0 },
};

/** A range in words: 'a positive integer', 'a number > 0', 'a number in [0, 1)'. */
export function describeRange(r: Range): string {
  const kind = r.int ? 'an integer' : 'a number';
  if (r.int && r.min === 1 && r.max === undefined && r.lt === undefined) return 'a positive integer';
  if (r.int && r.min === 0 && r.max === undefined && r.lt === undefined) return 'a non-negative integer';
  const lo = r.min !== undefined ? `[${r.min}` : r.gt !== undefined ? `(${r.gt}` : null;
  const hi = r.max !== undefined ? `${r.max}]` : r.lt !== undefined ? `${r.lt})` : null;
  if (lo && hi) return `${kind} in ${lo}, ${hi}`;
  if (lo) return `${kind} ${r.min !== undefined ? '≥' : '>'} ${r.min ?? r.gt}`;
  if (hi) return `${kind} ${r.max !== undefined ? '≤' : '<'} ${r.max ?? r.lt}`;
  return kind;
}

/** Whether `v` is a number within `r`. */
export function inRange(v: number, r: Range): boolean {
  return Number.isFinite(v)
    && (!r.int || Number.isInteger(v))
    && (r.min === undefined || v >= r.min)
    && (r.gt === undefined || v > r.gt)
    && (r.max === undefined || v <= r.max)
    && (r.lt === undefined || v < r.lt);
}

/** `v` unchanged when it is within `r`; else an error naming `label` (an option or a flag), the range and the value. */
export function checkNumber(label: string, v: unknown, r: Range): number {
  if (typeof v === 'number' && inRange(v, r)) return v;
  const got = typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
  throw new Error(`${label} must be ${describeRange(r)}${r.why ? ` (${r.why})` : ''}, got ${got}`);
}

/** Check every numeric option of `options` that the table knows (undefined and null mean "the default"). */
export function checkOptionRanges(where: string, options: object): void {
  for (const [k, v] of Object.entries(options)) {
    const r = OPTION_RANGES[k];
    if (r && v !== undefined && v !== null) checkNumber(`${where}: ${k}`, v, r);
  }
}
