/** Calendar days (`YYYY-MM-DD`) in the analytics time zone, and validated query ranges. */
import { KefuError } from '../../core/errors';

export type DayOf = (ms: number) => string;

/** The longest range one report covers. */
export const MAX_RANGE_DAYS = 366;
export const DAY_MS = 86_400_000;

/** A function from a timestamp to its calendar day in `timeZone` (an IANA zone, default UTC). */
export function createDayOf(timeZone = 'UTC'): DayOf {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch (err) {
    throw new KefuError('KEFU_ERR_ANALYTICS_OPTIONS_INVALID', `timeZone must be an IANA time zone such as "Asia/Shanghai" or "UTC" (got "${timeZone}").`, { cause: err });
  }
  // Every turn asks; days change on minute boundaries in every zone, so the last minute's answer is reused.
  let minute = Number.NaN;
  let day = '';
  return (ms) => {
    const m = Math.floor(ms / 60_000);
    if (m === minute) return day;
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    minute = m;
    day = `${parts.year}-${parts.month}-${parts.day}`;
    return day;
  };
}

/** Midnight UTC of a calendar date, or undefined when `day` is not a real `YYYY-MM-DD` date. */
export function parseDay(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : undefined;
}

/** Every day from `from` to `to` inclusive; throws KEFU_ERR_ANALYTICS_RANGE_INVALID naming the problem. */
export function dayRange(from: string, to: string): string[] {
  const start = parseDay(from);
  const end = parseDay(to);
  const bad = (why: string) => new KefuError('KEFU_ERR_ANALYTICS_RANGE_INVALID', `${why}; send from and to as YYYY-MM-DD, e.g. from=2025-01-01&to=2025-01-31.`);
  if (start === undefined) throw bad(`from is not a calendar date (got "${from}")`);
  if (end === undefined) throw bad(`to is not a calendar date (got "${to}")`);
  if (start > end) throw bad(`from (${from}) is after to (${to})`);
  const count = (end - start) / DAY_MS + 1;
  if (count > MAX_RANGE_DAYS) throw bad(`the range has ${count} days; at most ${MAX_RANGE_DAYS} fit in one report`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}
