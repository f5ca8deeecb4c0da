/**
 * Checks of option objects, shared by optimisers, schedules and layers. An
 * option object is read by destructuring, so a misspelt key (`learningRate`
 * for `lr`) would otherwise be dropped without a word. Checks run once, when
 * an object is built, never per step.
 */

/** Names other libraries (Keras, Optax, PyTorch's snake_case) use for our options. */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  lr: ['learningrate', 'learning_rate', 'rate', 'alpha', 'stepsize'],
  weightDecay: ['decay', 'l2', 'wd', 'weight_decay', 'decayrate'],
  eps: ['epsilon'],
  betas: ['beta', 'beta1', 'beta2', 'beta_1', 'beta_2', 'b1', 'b2'],
  p: ['rate', 'prob', 'probability', 'dropout', 'droprate', 'drop_rate', 'keepprob'],
  bias: ['usebias', 'use_bias', 'hasbias'],
  momentum: ['mom', 'beta'],
};

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

const fold = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');

/** The allowed name `key` most likely stands for, or undefined. */
export function closestOption(key: string, allowed: readonly string[]): string | undefined {
  const k = fold(key);
  // weight_decay, WeightDecay, weightdecay → weightDecay.
  const sameLetters = allowed.find((a) => fold(a) === k);
  if (sameLetters) return sameLetters;
  const synonym = allowed.find((a) => SYNONYMS[a]?.some((s) => fold(s) === k));
  if (synonym) return synonym;
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(k, fold(a));
    if (d < bestD) [best, bestD] = [a, d];
  }
  // Only near misses: one edit for short names, about a third of the letters for long ones.
  return best !== undefined && bestD <= Math.max(1, Math.floor(Math.min(k.length, best.length) / 3)) ? best : undefined;
}

/**
 * Throw if `given` is not a plain object or has a key outside `allowed`,
 * naming the key, a likely intended one, and the valid ones. Keys whose value
 * is undefined count too: `{ lerningRate: undefined }` is still a typo.
 * @example checkOptions('AdamW', { learningRate: 1e-3 }, ['lr', 'betas'])
 * // Error: AdamW: unknown option 'learningRate' (did you mean 'lr'?); valid options: lr, betas
 */
export function checkOptions(where: string, given: unknown, allowed: readonly string[]): void {
  if (given === undefined) return;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new TypeError(`${where}: options must be an object like { ${allowed[0] ?? ''}: … }, got ${describeValue(given)}`);
  }
  for (const key of Object.keys(given)) {
    if (allowed.includes(key)) continue;
    const guess = closestOption(key, allowed);
    throw new TypeError(`${where}: unknown option '${key}'${guess ? ` (did you mean '${guess}'?)` : ''}; valid options: ${allowed.join(', ')}`);
  }
}

/** A short description of any value for an error message: `the string 'a'`, `null`, `an object {…}`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return String(v);
    case 'boolean':
      return `the boolean ${v}`;
    case 'bigint':
      return `the bigint ${v}n`;
    case 'function':
      return `a function${v.name ? ` (${v.name})` : ''}`;
    case 'symbol':
      return `a symbol (${String(v.description)})`;
  }
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  const name = (v as object).constructor?.name;
  if (name && name !== 'Object') return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  let json: string;
  try {
    json = JSON.stringify(v);
  } catch {
    json = '{…}';
  }
  return `an object ${json.length > 40 ? `${json.slice(0, 40)}…` : json}`;
}

/**
 * `opts` without its undefined-valued keys, so that `{ ...defaults, ...opts }`
 * keeps a default where a caller forwarded an unset value (`{ eps: cfg.eps }`).
 */
export function definedOptions<T extends object>(opts: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (opts) for (const [k, v] of Object.entries(opts)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Throw unless `value` is an integer ≥ `min` (a layer size, a count), naming the argument. */
export function checkInt(where: string, name: string, value: unknown, min = 0): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new (typeof value === 'number' ? RangeError : TypeError)(`${where}: ${name} must be an integer ≥ ${min}, got ${describeValue(value)}`);
  }
}
