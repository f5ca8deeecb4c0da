/**
 * Timing helpers shared by the benchmark workers: run a function until a time
 * budget is spent (after warm-up) and report the median.
 */

export const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Time `fn` repeatedly: `warmup` untimed calls, then timed calls until
 * `budgetMs` is spent (at least `minReps`, at most `maxReps`). Returns the
 * per-call times in ms. When one warm-up call alone overruns the budget (the
 * slow frameworks), the last warm-up call is the only measurement.
 */
export function timeReps(fn, { budgetMs, warmup = 1, minReps = 3, maxReps = 1000 }) {
  for (let i = 0; i < warmup; i++) {
    const t0 = now();
    fn();
    const dt = now() - t0;
    if (dt > budgetMs && i === warmup - 1) return [dt];
  }
  const times = [];
  const start = now();
  while (times.length < minReps || (now() - start < budgetMs && times.length < maxReps)) {
    const t0 = now();
    fn();
    times.push(now() - t0);
  }
  return times;
}

/** Peak resident set size of this process so far, in MiB. */
export const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

/** Read the task from argv[2], run `handlers[task.kind](task)`, print one JSON line. */
export async function runWorker(handlers) {
  const task = JSON.parse(process.argv[2]);
  try {
    const result = await handlers[task.kind](task);
    console.log(JSON.stringify({ ok: true, result, peakRssMiB: peakRssMiB() }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: String(e && e.stack ? e.stack : e) }));
  }
}
