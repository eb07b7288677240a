import type { Entity } from '../../core';
import { matchAll, spanOf } from './types';

/** CN mobile: 1[3-9] + 9 digits, optionally +86 / 86 / 0086 first, spaces or dashes in 3-4-4. */
const CN_MOBILE = /(?<![\d+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
/** US/NANP: (415) 555-0134, 415-555-0134, 415.555.0134, +1 415 555 0134. */
const US_PHONE = /(?<![\d+])(?:\+?1[\s.-]?)?(?:\(([2-9]\d{2})\)\s?|([2-9]\d{2})[\s.-])([2-9]\d{2})[\s.-](\d{4})(?!\d)/g;
const US_PLUS_ONE = /(?<![\d+])\+1([2-9]\d{2})([2-9]\d{2})(\d{4})(?!\d)/g;

/** Phone numbers, normalised to E.164 (`+8613812345678`, `+14155550134`). */
export function findPhones(text: string): Entity[] {
  if (!/\d{3}/.test(text)) return [];
  const cn = matchAll(text, CN_MOBILE, (m) => ({ type: 'phone', value: `+86${m[1]}${m[2]}${m[3]}`, ...spanOf(m) }));
  const us = [
    ...matchAll(text, US_PHONE, (m) => ({ type: 'phone', value: `+1${m[1] ?? m[2]}${m[3]}${m[4]}`, ...spanOf(m) })),
    ...matchAll(text, US_PLUS_ONE, (m) => ({ type: 'phone', value: `+1${m[1]}${m[2]}${m[3]}`, ...spanOf(m) })),
  ];
  return [...cn, ...us.filter((u) => !cn.some((c) => u.start < c.end && c.start < u.end))];
}
