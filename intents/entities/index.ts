/**
 * All entity finders (order numbers, amounts, dates, phones, e-mails), en and zh in one pass:
 * the finders are language-neutral, so a Chinese customer typing "$25" is understood too.
 * Overlaps go to the more specific kind (e-mail > phone > amount > order number > date).
 */
import type { Entity } from '../../core';
import { findAmounts } from './amount';
import { type DateContext, findDates } from './date';
import { findEmails } from './email';
import { findOrderNumbers } from './order-number';
import { findPhones } from './phone';

export type { DateContext } from './date';
export { findAmounts, findDates, findEmails, findOrderNumbers, findPhones };
export { parseZhNumber } from './zh-numerals';

export interface EntityOptions extends Partial<DateContext> {
  /** Digits of a bare order number (default 6). */
  orderDigits?: number;
}

export function findEntities(text: string, opts: EntityOptions = {}): Entity[] {
  const ctx: DateContext = { now: opts.now ?? new Date(), ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) };
  const ranked = [findEmails(text), findPhones(text), findAmounts(text), findOrderNumbers(text, opts.orderDigits), findDates(text, ctx)];
  const out: Entity[] = [];
  for (const group of ranked) {
    for (const e of group) if (!out.some((o) => e.start < o.end && o.start < e.end)) out.push(e);
  }
  return out.sort((a, b) => a.start - b.start);
}
