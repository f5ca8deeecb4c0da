/**
 * A one-line progress bar for long loops: position, rate and any live values
 * (loss, throughput). Redraws in place on a TTY; elsewhere (CI, pipes) it
 * prints only the final line so logs stay readable.
 */
export interface ProgressOptions {
  label?: string;
  stream?: NodeJS.WriteStream;
  /** Seconds between redraws. */
  interval?: number;
  width?: number;
  /** Unit of the rate, e.g. 'samples'. */
  unit?: string;
}

export class ProgressBar {
  private done = 0;
  private units = 0;
  private readonly start = performance.now();
  private lastDraw = 0;
  private values: Record<string, string> = {};
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;

  constructor(readonly total: number, private readonly opts: ProgressOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
  }

  /** Advance by `steps` and count `units` (e.g. samples) toward the rate. */
  tick(steps = 1, units = 0, values: Record<string, number | string> = {}): void {
    this.done += steps;
    this.units += units;
    for (const [k, v] of Object.entries(values)) this.values[k] = typeof v === 'number' ? formatNumber(v) : v;
    const now = performance.now();
    if (this.tty && (now - this.lastDraw >= (this.opts.interval ?? 0.1) * 1000 || this.done >= this.total)) {
      this.lastDraw = now;
      this.stream.write(`\r${this.line()}\x1b[K`);
    }
  }

  /** Print the final state and end the line. */
  finish(values: Record<string, number | string> = {}): void {
    for (const [k, v] of Object.entries(values)) this.values[k] = typeof v === 'number' ? formatNumber(v) : v;
    this.stream.write(`${this.tty ? '\r' : ''}${this.line()}${this.tty ? '\x1b[K' : ''}\n`);
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  private line(): string {
    const width = this.opts.width ?? 24;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '·'.repeat(width - filled);
    const secs = this.elapsedSeconds;
    const rate = this.units && secs > 0 ? ` ${formatNumber(this.units / secs)} ${this.opts.unit ?? 'it'}/s` : '';
    const eta = frac > 0 && frac < 1 ? ` eta ${formatDuration((secs / frac) * (1 - frac))}` : '';
    const vals = Object.entries(this.values).map(([k, v]) => ` ${k} ${v}`).join('');
    const label = this.opts.label ? `${this.opts.label} ` : '';
    return `${label}${bar} ${this.done}/${this.total} ${formatDuration(secs)}${eta}${rate}${vals}`;
  }
}

/** A count with a k/M/G suffix (parameters, FLOPs): 535.8k, 59.88M. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 10) return v.toFixed(2);
  return v.toFixed(4);
}

export function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}
