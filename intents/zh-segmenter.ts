/**
 * Chinese word segmentation by longest dictionary match (at most 8 characters, else one
 * character), over the CC-CEDICT word list that @nlpjs/lang-zh ships: the same segments as
 * nlp.js's tokenizer-zh, without its cost. nlp.js keeps every entry with its pinyin and English
 * definitions (about 110 MB of heap) and caches every text it tokenized for an hour; segmenting
 * needs only the set of words (about 10 MB) and nothing per text.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const MAX_WORD = 8;
const CEDICT_MODULE = '@nlpjs/lang-zh/src/cedict_ts.u8.js';

export interface ZhSegmenter {
  segment(text: string): string[];
}

/**
 * Reads the word list (traditional and simplified forms) and lets the 9 MB source text go. With
 * `cacheDir`, the words are kept there as plain lines (0.7 MB, named by the dictionary file's size
 * and time): a start reads them in about a sixth of the time the module takes to load and split.
 */
export function loadZhSegmenter(cacheDir?: string): ZhSegmenter {
  const req = createRequire(__filename);
  const path = req.resolve(CEDICT_MODULE);
  const cached = cacheDir ? cachedWordsFile(cacheDir, path) : undefined;
  const kept = cached ? readCachedWords(cached) : undefined;
  if (kept) return createZhSegmenter(kept);
  const source = req(path) as string;
  delete req.cache[path];
  const words = wordsOf(source);
  if (cached && cacheDir) writeCachedWords(cached, cacheDir, words);
  return createZhSegmenter(words);
}

function cachedWordsFile(cacheDir: string, dictionary: string): string {
  const s = statSync(dictionary);
  return join(cacheDir, `zh-words-${s.size}-${Math.floor(s.mtimeMs)}.txt`);
}

function readCachedWords(file: string): Set<string> | undefined {
  try {
    const words = new Set(readFileSync(file, 'utf8').split('\n'));
    return words.size > 1000 ? words : undefined; // a cut-short file is read from the dictionary again
  } catch {
    return undefined;
  }
}

/** Best effort (a read-only folder only costs the next start the slow path): a temp file, then a rename; older lists go. */
function writeCachedWords(file: string, cacheDir: string, words: ReadonlySet<string>): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, [...words].join('\n'));
    renameSync(tmp, file);
    for (const name of readdirSync(cacheDir)) {
      if (name.startsWith('zh-words-') && join(cacheDir, name) !== file && !name.endsWith('.tmp')) rmSync(join(cacheDir, name), { force: true });
    }
  } catch {
    // The words still serve this process.
  }
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
