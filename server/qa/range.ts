/** Date ranges of QA queries: UTC days YYYY-MM-DD, `to` included, at most 92 days (KEFU_ERR_QA_RANGE_INVALID). */
import { KefuError } from '../../core';
import { dayOf } from './store';

export const MAX_RANGE_DAYS = 92;
const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(name: string, value: string): number {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(t) || dayOf(t) !== value) throw rangeInvalid(`${name} must be a date like 2025-03-01 (got "${value}").`);
  return t;
}

export function rangeInvalid(message: string): KefuError {
  return new KefuError('KEFU_ERR_QA_RANGE_INVALID', message);
}

/** The days of [from, to], oldest first; `to` defaults to today and `from` to 6 days before `to`. */
export function daysOf(range: { from?: string; to?: string }, now: number): string[] {
  const to = range.to ? parseDay('to', range.to) : parseDay('to', dayOf(now));
  const from = range.from ? parseDay('from', range.from) : to - 6 * DAY_MS;
  if (from > to) throw rangeInvalid(`from (${dayOf(from)}) is after to (${dayOf(to)}).`);
  const count = Math.round((to - from) / DAY_MS) + 1;
  if (count > MAX_RANGE_DAYS) throw rangeInvalid(`The range has ${count} days; ask for at most ${MAX_RANGE_DAYS}.`);
  return Array.from({ length: count }, (_, i) => dayOf(from + i * DAY_MS));
}

/** Today and the days before it, newest first (the flag list looks this far back). */
export function recentDays(now: number, count: number): string[] {
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => dayOf(today - i * DAY_MS));
}
