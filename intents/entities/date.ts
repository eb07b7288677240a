/**
 * Dates, normalised to ISO `YYYY-MM-DD` relative to an injected `now` in a time zone:
 * en "today", "tomorrow", "the day after tomorrow", "yesterday", "Monday", "this Friday",
 * "next Monday", "3/5" (month/day), "March 5", "5 March", "2024-03-05";
 * zh 今天, 明天, 后天, 大后天, 昨天, 前天, 周一/星期一/礼拜一, 这周五/本周五, 下周一, 3月5日/号, 2024年3月5日.
 * Weekdays: plain "Monday" / 周一 is the next one from today (today included); "this X" / 这周X is
 * the one in the current Monday–Sunday week; "next X" / 下周X the one in the following week.
 */
import type { Entity } from '../../core';
import { matchAll } from './types';
import { parseZhNumber } from './zh-numerals';

export interface DateContext {
  now: Date;
  /** IANA zone for "today"; defaults to the process's zone. */
  timeZone?: string;
}

type Ymd = { y: number; m: number; d: number };

const EN_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ZH_DAYS: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6, 七: 6 };
const RELATIVE: Record<string, number> = {
  today: 0,
  tonight: 0,
  tomorrow: 1,
  yesterday: -1,
  'the day after tomorrow': 2,
  'day after tomorrow': 2,
  'the day before yesterday': -2,
  今天: 0,
  今日: 0,
  今晚: 0,
  明天: 1,
  明日: 1,
  后天: 2,
  大后天: 3,
  昨天: -1,
  昨日: -1,
  前天: -2,
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function today(ctx: DateContext): Ymd {
  const zone = ctx.timeZone ?? '';
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: ctx.timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    formatters.set(zone, format);
  }
  const parts = format.formatToParts(ctx.now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

function addDays(base: Ymd, days: number): Ymd {
  const t = new Date(Date.UTC(base.y, base.m - 1, base.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** Monday = 0 … Sunday = 6. */
function weekday(date: Ymd): number {
  return (new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay() + 6) % 7;
}

function iso(date: Ymd): string {
  return `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

function valid(y: number, m: number, d: number): Ymd | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? { y, m, d } : undefined;
}

/** `weeksAhead` undefined: the next such day from today on; 0: in this week; 1: next week … */
function weekdayDate(base: Ymd, day: number, weeksAhead: number | undefined): Ymd {
  const wd = weekday(base);
  if (weeksAhead === undefined) return addDays(base, (day - wd + 7) % 7);
  return addDays(base, day - wd + 7 * weeksAhead);
}

function enWeeks(word: string | undefined): number | undefined {
  const w = word?.toLowerCase();
  return w === 'next' ? 1 : w === 'this' ? 0 : undefined;
}

function zhWeeks(prefix: string | undefined): number | undefined {
  if (!prefix) return undefined;
  return prefix === '下下' ? 2 : prefix.startsWith('下') ? 1 : 0;
}

function entity(m: RegExpExecArray, date: Ymd | undefined): Entity | undefined {
  if (!date) return undefined;
  const start = m.index ?? 0;
  return { type: 'date', value: iso(date), text: m[0], start, end: start + m[0].length };
}

const MONTH_NAMES = EN_MONTHS.join('|');
type Finder = [RegExp, (m: RegExpExecArray, base: Ymd) => Ymd | undefined];
const FINDERS: Finder[] = [
  [/(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})[日号]?/g, (m) => valid(Number(m[1]), Number(m[2]), Number(m[3]))],
  [/(?<![\d/])(\d{1,2})\/(\d{1,2})(?![\d/])/g, (m, base) => valid(base.y, Number(m[1]), Number(m[2]))],
  [/([\d一二三四五六七八九十]{1,3})月([\d一二三四五六七八九十]{1,3})[日号]/g, (m, base) => valid(base.y, parseZhNumber(m[1] as string) ?? 0, parseZhNumber(m[2] as string) ?? 0)],
  [new RegExp(`\\b(${MONTH_NAMES})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'gi'), (m, base) => valid(base.y, EN_MONTHS.indexOf((m[1] as string).toLowerCase()) + 1, Number(m[2]))],
  [
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_NAMES})\\b`, 'gi'),
    (m, base) => valid(base.y, EN_MONTHS.indexOf((m[2] as string).toLowerCase()) + 1, Number(m[1])),
  ],
  [
    /\b(?:the )?day (?:after tomorrow|before yesterday)\b|\b(?:today|tonight|tomorrow|yesterday)\b|大后天|今天|今日|今晚|明天|明日|后天|昨天|昨日|前天/gi,
    (m, base) => addDays(base, RELATIVE[m[0].toLowerCase()] ?? 0),
  ],
  [new RegExp(`\\b(?:(this|next|coming)\\s+)?(${EN_DAYS.join('|')})\\b`, 'gi'), (m, base) => weekdayDate(base, EN_DAYS.indexOf((m[2] as string).toLowerCase()), enWeeks(m[1]))],
  [/(下下|下|这|本|这个|下个)?(?:周|星期|礼拜)([一二三四五六日天七])/g, (m, base) => weekdayDate(base, ZH_DAYS[m[2] as string] as number, zhWeeks(m[1]))],
];
/** Cheap pre-check: texts without any of these cannot hold a date (most messages). */
const MAYBE_DATE = /\d|[天日周期拜月]|day|to(day|night|morrow)|yesterday|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;

export function findDates(text: string, ctx: DateContext): Entity[] {
  if (!MAYBE_DATE.test(text)) return [];
  let base: Ymd | undefined;
  const out: Entity[] = [];
  for (const [re, toDate] of FINDERS) {
    for (const e of matchAll(text, re, (m) => {
      base ??= today(ctx);
      return entity(m, toDate(m, base));
    })) {
      if (!out.some((o) => e.start < o.end && o.start < e.end)) out.push(e);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
