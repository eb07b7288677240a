import type { Entity } from '../../core';
import { matchAll } from './types';
import { parseZhNumber, ZH_NUMERAL_CHARS } from './zh-numerals';

const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const ZH_NUM = `[${ZH_NUMERAL_CHARS}]+`;

const SYMBOLS: Record<string, string> = { $: 'USD', US$: 'USD', '¥': 'CNY', '￥': 'CNY', RMB: 'CNY', CNY: 'CNY', '€': 'EUR', '£': 'GBP', USD: 'USD', EUR: 'EUR', GBP: 'GBP' };
const WORDS: Record<string, string> = {
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  usd: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  eur: 'EUR',
  pound: 'GBP',
  pounds: 'GBP',
  gbp: 'GBP',
  yuan: 'CNY',
  rmb: 'CNY',
  cny: 'CNY',
  元: 'CNY',
  块: 'CNY',
  块钱: 'CNY',
  元钱: 'CNY',
  人民币: 'CNY',
  美元: 'USD',
  美金: 'USD',
  欧元: 'EUR',
  英镑: 'GBP',
};

/** "$25", "US$ 1,200.50", "¥30", "RMB 30" */
const PREFIXED = new RegExp(String.raw`(US\$|\$|¥|￥|€|£|RMB|CNY|USD|EUR|GBP)\s?(${NUM})(?![\d])`, 'gi');
/** "25 dollars", "30 rmb", "30元", "30块钱", "30.5 euros" */
const SUFFIXED = new RegExp(String.raw`(?<![\d.])(${NUM})\s?(dollars?|bucks|usd|euros?|eur|pounds?|gbp|yuan|rmb|cny|块钱|元钱|元|块|人民币|美元|美金|欧元|英镑)(?![a-z])`, 'gi');
/** "三十块", "两百元", "三块五" (3.5), "一百美元" */
const ZH_WORDS = new RegExp(`(${ZH_NUM}|\\d+)(块钱|元钱|块|元|人民币|美元|美金|欧元|英镑)(${ZH_NUM.replace('+', '')})?(?![毛角分])`, 'g');

function toNumber(s: string): number {
  return Number(s.replace(/,/g, ''));
}

/** Money amounts with their currency; value `{ amount, currency }` (ISO 4217). */
const MAYBE_AMOUNT = /\d|[块元钱币美欧英]/;

export function findAmounts(text: string): Entity[] {
  if (!MAYBE_AMOUNT.test(text)) return [];
  const out: Entity[] = [];
  const add = (e: Entity | undefined) => {
    if (e && !out.some((o) => e.start < o.end && o.start < e.end)) out.push(e);
  };
  for (const e of matchAll(text, PREFIXED, (m) => {
    const currency = SYMBOLS[(m[1] as string).toUpperCase()] ?? SYMBOLS[m[1] as string];
    return currency ? { type: 'amount', value: { amount: toNumber(m[2] as string), currency }, text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length } : undefined;
  }))
    add(e);
  for (const e of matchAll(text, ZH_WORDS, (m) => {
    const whole = parseZhNumber(m[1] as string);
    const currency = WORDS[m[2] as string];
    if (whole === undefined || !currency) return undefined;
    // 三块五 = 3.5: one digit after 块/元 is tenths (角).
    const tenth = m[3] ? parseZhNumber(m[3]) : undefined;
    const amount = tenth !== undefined && tenth < 10 ? whole + tenth / 10 : whole;
    const matched = tenth !== undefined && tenth < 10 ? m[0] : m[0].slice(0, m[0].length - (m[3]?.length ?? 0));
    return { type: 'amount', value: { amount, currency }, text: matched, start: m.index ?? 0, end: (m.index ?? 0) + matched.length };
  }))
    add(e);
  for (const e of matchAll(text, SUFFIXED, (m) => {
    const currency = WORDS[(m[2] as string).toLowerCase()];
    return currency ? { type: 'amount', value: { amount: toNumber(m[1] as string), currency }, text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length } : undefined;
  }))
    add(e);
  return out.sort((a, b) => a.start - b.start);
}
