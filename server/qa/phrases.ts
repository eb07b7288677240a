/**
 * Phrase lists made into matchers: a plain phrase matches as whole words (English) or as a
 * substring (Chinese), "/…/" is a regular expression; all case-insensitive, on NFKC-normalised
 * text with straight apostrophes and single spaces.
 */
import { type Locale, LOCALES } from '../../core';

export interface PhraseMatcher {
  /** The phrase as configured (what a flag's detail names). */
  source: string;
  /** Where the phrase starts in the normalised text, or -1. */
  find(normalized: string): number;
}

export type Matchers = Record<Locale, PhraseMatcher[]>;

const CJK = /[\u3400-\u9fff]/;

export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One matcher; throws a SyntaxError (with the phrase) for a bad "/…/" expression. */
export function compilePhrase(source: string): PhraseMatcher {
  if (source.length > 2 && source.startsWith('/') && source.endsWith('/')) {
    const re = new RegExp(source.slice(1, -1), 'iu');
    return { source, find: (t) => t.search(re) };
  }
  const phrase = normalizeText(source);
  if (CJK.test(phrase)) return { source, find: (t) => t.indexOf(phrase) };
  const re = new RegExp(`(?<=^|[^\\p{L}\\p{N}'])${escapeRegExp(phrase)}(?=$|[^\\p{L}\\p{N}'])`, 'iu');
  return { source, find: (t) => t.search(re) };
}

/** A negation shortly before, in the same clause: "I can't guarantee a refund today", 没办法保证今天退款. */
const NEGATED_BEFORE: Record<Locale, RegExp> = {
  en: /\b(not|never|can't|cannot|won't|unable to|no way to|don't|do not)\b[^.!?,;]{0,20}$/,
  zh: /(不能|没办法|无法|不敢|不可能|没法|不会)[^。！？，；,.!?]{0,6}$/,
};

function negated(text: string, at: number): boolean {
  const before = text.slice(0, at);
  return NEGATED_BEFORE.en.test(before) || NEGATED_BEFORE.zh.test(before);
}

/** Written in Chinese when it has a Han character, else English. */
export function languageOf(text: string): Locale {
  return CJK.test(text) ? 'zh' : 'en';
}

/** The lists that apply to a message: the conversation's language and the message's own. */
export function matchersFor(m: Matchers, locale: Locale, text: string): PhraseMatcher[] {
  const own = languageOf(text);
  return own === locale ? m[locale] : [...m[locale], ...m[own]];
}

/**
 * The configured phrases that occur in `text` (normalised here), deduplicated. With `skipNegated`
 * a phrase right after a negation in the same clause does not count (a refusal names the promise
 * it does not make).
 */
export function findPhrases(m: Matchers, locale: Locale, text: string, opts: { skipNegated?: boolean } = {}): string[] {
  const t = normalizeText(text);
  const found = matchersFor(m, locale, t).filter((p) => {
    const at = p.find(t);
    return at >= 0 && !(opts.skipNegated && negated(t, at));
  });
  return [...new Set(found.map((p) => p.source))];
}

/** True when `text` is only acknowledgement phrases ("ok thanks!", 好的谢谢) and punctuation. */
export function isAcknowledgement(phrases: Record<Locale, readonly string[]>, text: string): boolean {
  let rest = normalizeText(text);
  const all = LOCALES.flatMap((l) => phrases[l]).sort((a, b) => b.length - a.length);
  for (const p of all) {
    const phrase = normalizeText(p);
    rest = CJK.test(phrase) ? rest.split(phrase).join(' ') : rest.replace(new RegExp(`(^|[^\\p{L}\\p{N}'])${escapeRegExp(phrase)}(?=$|[^\\p{L}\\p{N}'])`, 'giu'), '$1 ');
  }
  return rest.replace(/[\p{P}\p{S}\s]/gu, '') === '';
}
