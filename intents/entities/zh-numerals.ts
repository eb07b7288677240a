/**
 * Chinese numerals to numbers: 三十 → 30, 一百零五 → 105, 两千五 → 2500 (colloquial: a trailing
 * digit after 千/百 is the next unit), 十二点五 → 12.5. Arabic digits pass through.
 */
const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };

/** Characters that may appear in a Chinese numeral (for building regexes). */
export const ZH_NUMERAL_CHARS = '零〇一幺二两三四五六七八九十拾百佰千仟万亿点';

function parseBelowTenThousand(s: string): number | undefined {
  let total = 0;
  let digit: number | undefined;
  let lastUnit = 1;
  for (const ch of s) {
    if (ch in DIGITS) {
      digit = DIGITS[ch] as number;
    } else if (ch in UNITS) {
      const unit = UNITS[ch] as number;
      total += (digit ?? 1) * unit;
      digit = undefined;
      lastUnit = unit;
    } else {
      return undefined;
    }
  }
  // 两千五 = 2500, 三百二 = 320: a bare trailing digit counts in the next lower unit.
  if (digit !== undefined) total += digit * (lastUnit >= 100 && !s.includes('零') ? lastUnit / 10 : 1);
  return total;
}

export function parseZhNumber(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const [whole, frac] = s.split('点');
  if (whole === undefined) return undefined;
  let value = 0;
  let rest = whole;
  for (const [mark, mult] of [
    ['亿', 1e8],
    ['万', 1e4],
  ] as const) {
    const at = rest.indexOf(mark);
    if (at >= 0) {
      const head = parseBelowTenThousand(rest.slice(0, at) || '一');
      if (head === undefined) return undefined;
      value += head * mult;
      rest = rest.slice(at + 1);
    }
  }
  // 一万二 = 12000: a bare digit after 万 counts in thousands.
  if (value > 0 && rest.length === 1 && rest in DIGITS) return value + (DIGITS[rest] as number) * 1000;
  if (rest) {
    const tail = parseBelowTenThousand(rest);
    if (tail === undefined) return undefined;
    value += tail;
  } else if (whole === '') {
    return undefined;
  }
  if (frac !== undefined) {
    let digits = '';
    for (const ch of frac) {
      if (!(ch in DIGITS)) return undefined;
      digits += String(DIGITS[ch]);
    }
    if (!digits) return undefined;
    value += Number(`0.${digits}`);
  }
  return value;
}
