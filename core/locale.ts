import type { Locale } from './model';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN_WORD = /[a-zA-Z]{2,}/g;

/**
 * Guesses en or zh from the text alone; undefined when the text has no letters at all
 * (digits, emoji, punctuation), so the caller keeps the conversation's locale.
 * Mixed text counts Han characters against Latin words: "我的order在哪里" is zh.
 */
export function detectLocale(text: string): Locale | undefined {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN_WORD)?.length ?? 0;
  if (han === 0 && latin === 0) return undefined;
  // One Han character carries about as much as one English word; ties go to zh because
  // a Chinese speaker often types product names in Latin letters.
  return han >= latin ? 'zh' : 'en';
}

/**
 * The locale of a turn: sticky per conversation; switches only when the new text is clearly in
 * the other language (at least two letters' worth of signal), else the previous or hinted locale.
 */
export function chooseLocale(text: string, previous: Locale | undefined, hint: Locale | undefined, fallback: Locale): Locale {
  const detected = detectLocale(text);
  if (!detected) return previous ?? hint ?? fallback;
  if (previous && detected !== previous) {
    const signal = detected === 'zh' ? (text.match(HAN)?.length ?? 0) : (text.match(LATIN_WORD)?.length ?? 0);
    return signal >= 2 ? detected : previous;
  }
  return detected;
}
