/**
 * Chinese word segmentation by longest dictionary match (at most 8 characters, else one
 * character), over the CC-CEDICT word list that @nlpjs/lang-zh ships: the same segments as
 * nlp.js's tokenizer-zh, without its cost. nlp.js keeps every entry with its pinyin and English
 * definitions (about 110 MB of heap) and caches every text it tokenized for an hour; segmenting
 * needs only the set of words (about 10 MB) and nothing per text.
 */
import { createRequire } from 'node:module';

const MAX_WORD = 8;
const CEDICT_MODULE = '@nlpjs/lang-zh/src/cedict_ts.u8.js';

export interface ZhSegmenter {
  segment(text: string): string[];
}

/** Reads the word list (traditional and simplified forms) and lets the 9 MB source text go. */
export function loadZhSegmenter(): ZhSegmenter {
  const req = createRequire(__filename);
  const path = req.resolve(CEDICT_MODULE);
  const source = req(path) as string;
  delete req.cache[path];
  return createZhSegmenter(wordsOf(source));
}

/** `traditional simplified [pinyin] /definition/` lines; `#` lines are comments. */
export function wordsOf(cedict: string): Set<string> {
  const words = new Set<string>();
  let start = 0;
  while (start < cedict.length) {
    let end = cedict.indexOf('\n', start);
    if (end < 0) end = cedict.length;
    if (cedict[start] !== '#') {
      const first = cedict.indexOf(' ', start);
      const second = first < 0 ? -1 : cedict.indexOf(' ', first + 1);
      if (second > 0 && second < end) {
        words.add(cedict.slice(start, first));
        words.add(cedict.slice(first + 1, second));
      }
    }
    start = end + 1;
  }
  return words;
}

export function createZhSegmenter(words: ReadonlySet<string>): ZhSegmenter {
  const longestMatch = (text: string): string | undefined => {
    for (let i = Math.min(MAX_WORD, text.length); i > 0; i--) {
      const slice = text.slice(0, i);
      if (words.has(slice)) return slice;
    }
    return undefined;
  };
  return {
    segment(text) {
      const out: string[] = [];
      let rest = text;
      while (rest) {
        const seg = longestMatch(rest) ?? rest.slice(0, 1);
        out.push(seg);
        rest = rest.slice(seg.length);
      }
      return out;
    },
  };
}
