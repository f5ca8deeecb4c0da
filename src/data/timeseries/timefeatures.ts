/**
 * Calendar covariates ("timeF", from GluonTS by way of Informer's
 * utils/timefeatures.py): each timestamp becomes a few numbers in
 * [−0.5, 0.5] chosen by the data frequency. TimeMixer feeds them through
 * its temporal embedding; the other models here ignore them.
 */

/** Frequency codes as the reference's `--freq`: h hourly, t minutely, s secondly, d daily, b business-daily, w weekly, m monthly. */
export type TimeFreq = 'h' | 't' | 's' | 'd' | 'b' | 'w' | 'm';

interface Stamp {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
  hour: number;
  minute: number;
  second: number;
}

type Feature = (s: Stamp) => number;

const secondOfMinute: Feature = (s) => s.second / 59 - 0.5;
const minuteOfHour: Feature = (s) => s.minute / 59 - 0.5;
const hourOfDay: Feature = (s) => s.hour / 23 - 0.5;
/** Monday = 0, as pandas' dayofweek. */
const dayOfWeek: Feature = (s) => ((new Date(Date.UTC(s.year, s.month - 1, s.day)).getUTCDay() + 6) % 7) / 6 - 0.5;
const dayOfMonth: Feature = (s) => (s.day - 1) / 30 - 0.5;
const dayOfYear: Feature = (s) => (ordinalDay(s) - 1) / 365 - 0.5;
const monthOfYear: Feature = (s) => (s.month - 1) / 11 - 0.5;
const weekOfYear: Feature = (s) => (isoWeek(s) - 1) / 52 - 0.5;

const FEATURES: Record<TimeFreq, Feature[]> = {
  m: [monthOfYear],
  w: [dayOfMonth, weekOfYear],
  d: [dayOfWeek, dayOfMonth, dayOfYear],
  b: [dayOfWeek, dayOfMonth, dayOfYear],
  h: [hourOfDay, dayOfWeek, dayOfMonth, dayOfYear],
  t: [minuteOfHour, hourOfDay, dayOfWeek, dayOfMonth, dayOfYear],
  s: [secondOfMinute, minuteOfHour, hourOfDay, dayOfWeek, dayOfMonth, dayOfYear],
};

/** Number of covariates per timestamp for a frequency (h: 4, t: 5, …). */
export function numTimeFeatures(freq: TimeFreq): number {
  const f = FEATURES[freq];
  if (!f) throw new Error(`unknown time frequency '${freq}' (known: ${Object.keys(FEATURES).join(', ')})`);
  return f.length;
}

function ordinalDay(s: Stamp): number {
  return Math.round((Date.UTC(s.year, s.month - 1, s.day) - Date.UTC(s.year, 0, 1)) / 86_400_000) + 1;
}

function isoWeek(s: Stamp): number {
  const d = new Date(Date.UTC(s.year, s.month - 1, s.day));
  const isoDay = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  d.setUTCDate(d.getUTCDate() + 4 - isoDay); // the Thursday of this ISO week decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

// 2016-07-01 00:00:00, 1990/1/1 0:00, 2020-01-01T00:10, 2020-01-01
const STAMP = /^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?\s*$/;

/** Parse one timestamp; throws naming `where` for anything else. */
export function parseStamp(text: string, where = 'timestamp'): Stamp {
  const m = STAMP.exec(text);
  if (!m) throw new Error(`${where}: '${text}' is not a date of the form YYYY-MM-DD[ HH:MM[:SS]]`);
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new Error(`${where}: '${text}' is not a valid date or time`);
  }
  return { year, month, day, hour, minute, second };
}

/**
 * Covariates of every timestamp, row-major [dates.length, numTimeFeatures(freq)].
 * `name` (the file) is used in error messages, which give the data row.
 * @example timeFeatures(['2016-07-01 00:00:00'], 'h') // hour −0.5, Friday 4/6 − 0.5, day 1 −0.5, day of year 182 → 181/365 − 0.5
 */
export function timeFeatures(dates: readonly string[], freq: TimeFreq, name = 'dates'): Float32Array {
  numTimeFeatures(freq);
  const feats = FEATURES[freq];
  const f = feats.length;
  const out = new Float32Array(dates.length * f);
  dates.forEach((d, r) => {
    const s = parseStamp(d, `${name}: data row ${r + 1}`);
    for (let j = 0; j < f; j++) out[r * f + j] = feats[j](s);
  });
  return out;
}
