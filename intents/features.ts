/**
 * Turns one utterance into the terms the classifier counts: word n-grams from the nlp.js tokens
 * (stems for en, dictionary words for zh) and character n-grams (within words for en, over the
 * running text for zh). Terms carry a block prefix: 'w' terms and 'c' terms are normalised apart.
 */
import type { Locale } from '../core';
import type { TextPipeline } from './text-pipeline';

export interface FeatureSpec {
  /** Word n-gram orders, e.g. [1, 2]. */
  wordMin: number;
  wordMax: number;
  /** Character n-gram orders: en within word boundaries (char_wb), zh over the text. */
  charMin: number;
  charMax: number;
  /** Also count ordered word pairs up to this distance apart (2 = one word between); 0 = off. */
  skipWindow: number;
}

export const DEFAULT_FEATURES: Record<Locale, FeatureSpec> = {
  en: { wordMin: 1, wordMax: 2, charMin: 2, charMax: 5, skipWindow: 3 },
  zh: { wordMin: 1, wordMax: 2, charMin: 1, charMax: 3, skipWindow: 0 },
};

/** Block of a term: 0 = word n-grams, 1 = character n-grams. */
export function termBlock(term: string): 0 | 1 {
  return term.charCodeAt(0) === 119 /* w */ ? 0 : 1;
}

export function extractTerms(pipeline: TextPipeline, text: string, locale: Locale, spec: FeatureSpec): string[] {
  const normalized = pipeline.normalize(text, locale);
  const terms: string[] = [];
  const words = pipeline.words(normalized, locale);
  pushNgrams(terms, 'w', words, spec.wordMin, spec.wordMax, ' ');
  pushSkipPairs(terms, words, spec.skipWindow);
  if (locale === 'en') {
    for (const token of normalized.split(/[^\p{L}\p{N}]+/u)) {
      if (token) pushCharNgrams(terms, ` ${token} `, spec.charMin, spec.charMax);
    }
  } else {
    pushNgrams(terms, 'c', zhUnits(normalized), spec.charMin, spec.charMax, '');
  }
  return terms;
}

function pushNgrams(out: string[], prefix: string, units: string[], min: number, max: number, sep: string): void {
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= units.length; i++) {
      out.push(`${prefix}${n === 1 ? units[i] : units.slice(i, i + n).join(sep)}`);
    }
  }
}

function pushSkipPairs(out: string[], words: string[], window: number): void {
  for (let i = 0; i < words.length; i++) {
    for (let d = 2; d <= window && i + d < words.length; d++) out.push(`w${words[i]}~${words[i + d]}`);
  }
}

function pushCharNgrams(out: string[], padded: string, min: number, max: number): void {
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= padded.length; i++) out.push(`c${padded.slice(i, i + n)}`);
  }
}

/** Han characters one by one, Latin/digit runs as one unit each, punctuation and spaces dropped. */
export function zhUnits(normalized: string): string[] {
  return normalized.match(/[a-z0-9]+|[^\s\p{P}\p{S}a-z0-9]/gu) ?? [];
}
