import type { Entity } from '../../core';
import { matchAll } from './types';

/**
 * Order numbers. A bare number of exactly `digits` digits (the demo shop uses 6: 100234) counts;
 * after a marker ("#", "order", "order no.", "订单", "订单号", "单号") any 4–12 digits do.
 * The value is the digit string.
 */
const bareCache = new Map<number, RegExp>();

export function findOrderNumbers(text: string, digits = 6): Entity[] {
  if (!/\d{4}/.test(text)) return [];
  const marked = /(#|\border(?:\s*(?:no\.?|number|num|id))?\s*[:#]?\s*|订单(?:号|编号)?\s*[:：#]?\s*|单号\s*[:：#]?\s*)(\d{4,12})(?!\d)/gi;
  let bare = bareCache.get(digits);
  if (!bare) {
    bare = new RegExp(`(?<![\\d.,/:+-])(\\d{${digits}})(?![\\d.,/:%]\\d|\\d)`, 'g');
    bareCache.set(digits, bare);
  }
  const found = new Map<number, Entity>();
  for (const re of [marked, bare]) {
    for (const e of matchAll(text, re, (m) => {
      const value = m[2] ?? (m[1] as string);
      const start = (m.index ?? 0) + m[0].length - value.length;
      return { type: 'orderNumber', value, text: value, start, end: start + value.length };
    })) {
      if (!found.has(e.start)) found.set(e.start, e);
    }
  }
  return [...found.values()].sort((a, b) => a.start - b.start);
}
