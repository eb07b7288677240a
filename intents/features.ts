/**
 * Turns one utterance into the terms the classifier counts: word n-grams and skip pairs from the
 * nlp.js tokens (stems for en, dictionary words for zh) and character n-grams (within words for
 * en, over the running text for zh). Terms are hashed, not built as strings: each is a 53-bit
 * integer key from two independent 32-bit rolling hashes (collisions ~1e-9 per pair of terms),
 * whose lowest bit is the block (0 = words, 1 = characters; the blocks are normalised apart).
 * Building and looking up hundreds of substrings per message was most of the classify time.
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

/** Block of a term key: 0 = word n-grams, 1 = character n-grams. */
export function termBlock(key: number): 0 | 1 {
  return key - 2 * Math.floor(key / 2) === 1 ? 1 : 0;
}

const SEED_WORD = 0x9747b28c;
const SEED_SKIP = 0x2545f491;
const SEED_CHAR = 0x5f3759df;
const SEED_UNIT = 0x1b873593;

function mixA(h: number, x: number): number {
  const m = Math.imul(h ^ x, 0x85ebca6b);
  return m ^ (m >>> 13);
}

function mixB(h: number, x: number): number {
  const m = Math.imul(h ^ x, 0xc2b2ae35);
  return m ^ (m >>> 16);
}

/** 32 bits of one hash, 20 of the other, then the block bit: a safe integer below 2^53. */
function termKey(a: number, b: number, block: 0 | 1): number {
  return (a >>> 0) * 2097152 + (((b >>> 12) << 1) | block);
}

/** Hashes of a string (a word or a Latin run), as the unit of higher n-grams. */
function unitHashes(units: readonly string[]): { a: Int32Array; b: Int32Array } {
  const a = new Int32Array(units.length);
  const b = new Int32Array(units.length);
  units.forEach((u, i) => {
    let ha = SEED_UNIT;
    let hb = ~SEED_UNIT;
    for (let c = 0; c < u.length; c++) {
      ha = mixA(ha, u.charCodeAt(c));
      hb = mixB(hb, u.charCodeAt(c));
    }
    a[i] = ha;
    b[i] = hb;
  });
  return { a, b };
}

/** n-grams (min…max units) over unit hashes, appended to `out` as term keys. */
function pushNgrams(out: number[], a: ArrayLike<number>, b: ArrayLike<number>, seed: number, min: number, max: number, block: 0 | 1): void {
  for (let i = 0; i < a.length; i++) {
    let ha = seed;
    let hb = ~seed;
    for (let n = 1; n <= max && i + n <= a.length; n++) {
      ha = mixA(ha, a[i + n - 1] as number);
      hb = mixB(hb, b[i + n - 1] as number);
      if (n >= min) out.push(termKey(ha, hb, block));
    }
  }
}

/** Ordered word pairs 2…window apart ("card … arrive"). */
function pushSkipPairs(out: number[], a: Int32Array, b: Int32Array, window: number): void {
  for (let i = 0; i < a.length; i++) {
    for (let d = 2; d <= window && i + d < a.length; d++) {
      out.push(termKey(mixA(mixA(SEED_SKIP, a[i] as number), a[i + d] as number), mixB(mixB(~SEED_SKIP, b[i] as number), b[i + d] as number), 0));
    }
  }
}

/** The term keys of one utterance (repeats kept: they are the term frequencies). */
export function extractTerms(pipeline: TextPipeline, text: string, locale: Locale, spec: FeatureSpec): number[] {
  const normalized = pipeline.normalize(text, locale);
  const out: number[] = [];
  const words = unitHashes(pipeline.words(normalized, locale));
  pushNgrams(out, words.a, words.b, SEED_WORD, spec.wordMin, spec.wordMax, 0);
  pushSkipPairs(out, words.a, words.b, spec.skipWindow);
  if (locale === 'en') {
    for (const token of normalized.split(/[^\p{L}\p{N}]+/u)) {
      if (!token) continue;
      const codes = new Int32Array(token.length + 2);
      codes[0] = 32;
      codes[codes.length - 1] = 32;
      for (let c = 0; c < token.length; c++) codes[c + 1] = token.charCodeAt(c);
      pushNgrams(out, codes, codes, SEED_CHAR, spec.charMin, spec.charMax, 1);
    }
  } else {
    const units = unitHashes(zhUnits(normalized));
    pushNgrams(out, units.a, units.b, SEED_CHAR, spec.charMin, spec.charMax, 1);
  }
  return out;
}

/** Han characters one by one, Latin/digit runs as one unit each, punctuation and spaces dropped. */
export function zhUnits(normalized: string): string[] {
  return normalized.match(/[a-z0-9]+|[^\s\p{P}\p{S}a-z0-9]/gu) ?? [];
}
