/**
 * The nlp.js part of the NLU: normalisation, tokenising and stemming (en), word segmentation
 * (zh, via @nlpjs/lang-zh) and English sentiment. Everything untyped about nlp.js stays here and
 * in `nlpjs.d.ts`; the rest of `intents/` sees plain functions.
 */
import type { NlpjsNormalizer, NlpjsStemmer, NlpjsTokenizer } from '@nlpjs/basic';
import type { Locale } from '../core';

export interface TextPipeline {
  /** Lower-cased, accents stripped, digits mapped to 0 (order numbers and dates then share features). */
  normalize(text: string, locale: Locale): string;
  /** Word tokens: Porter stems for en, dictionary segments for zh (punctuation dropped). */
  words(normalized: string, locale: Locale): string[];
  /** nlp.js (senticon) sentiment for English: summed polarity and the number of tokens. */
  sentimentEn(text: string): Promise<{ score: number; hits: number; words: number }>;
}

const PUNCT = /^[\p{P}\p{S}\s]+$/u;

/**
 * nlp.js's zh dictionary prints "Compiling dictionary" with console.log the first time it is
 * used (about 1 s, once per process). kefu keeps stdout for command output, so the first
 * segmentation runs with console.log silenced.
 */
function quietly<T>(fn: () => T): T {
  const original = console.log;
  console.log = () => {};
  try {
    return fn();
  } finally {
    console.log = original;
  }
}

let shared: Promise<TextPipeline> | undefined;

/** One pipeline per process: the nlp.js container and the zh dictionary are large and read-only. */
export function getTextPipeline(): Promise<TextPipeline> {
  shared ??= createTextPipeline();
  return shared;
}

/**
 * @nlpjs/logger builds a pino 7 logger with `prettyPrint` at require time unless NODE_ENV is
 * production, which prints a deprecation warning on every kefu command. nlp.js runs with
 * `log: false`, so the logger is never used: load the modules with NODE_ENV=production.
 */
async function loadNlpjs() {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const basic = await import('@nlpjs/basic');
    const zh = await import('@nlpjs/lang-zh');
    return { ...basic, LangZh: zh.LangZh };
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

async function createTextPipeline(): Promise<TextPipeline> {
  const { containerBootstrap, LangEn, LangZh, Nlp } = await loadNlpjs();
  const container = await containerBootstrap();
  container.use(LangEn);
  container.use(LangZh);
  const nlp = new Nlp({ container, languages: ['en', 'zh'], log: false, autoSave: false, nlu: { log: false } });
  const normalizerEn = container.get('normalizer-en') as NlpjsNormalizer;
  const stemmerEn = container.get('stemmer-en') as NlpjsStemmer;
  const tokenizerEn = container.get('tokenizer-en') as NlpjsTokenizer;
  const tokenizerZh = container.get('tokenizer-zh') as NlpjsTokenizer;
  // Porter stemming is the costliest step per token, and customers reuse the same words.
  const stems = new Map<string, string>();
  const stem = (token: string) => {
    let s = stems.get(token);
    if (s === undefined) {
      if (stems.size > 100_000) stems.clear();
      s = trimSymbols(stemmerEn.stemWord(token));
      stems.set(token, s);
    }
    return s;
  };
  let zhReady = false;

  return {
    normalize(text, locale) {
      const base = locale === 'en' ? normalizerEn.normalize(text) : text.normalize('NFKC').toLowerCase();
      return base.replace(/[0-9]/g, '0');
    },
    words(normalized, locale) {
      if (locale === 'en')
        return tokenizerEn
          .tokenize(normalized, false)
          .map(stem)
          .filter((t) => t.length > 0);
      const segment = () => tokenizerZh.tokenize(normalized, false);
      const parts = zhReady ? segment() : quietly(segment);
      zhReady = true;
      return mergeLatin(parts);
    },
    async sentimentEn(text) {
      const { sentiment } = await nlp.getSentiment('en', text);
      return { score: sentiment.score, hits: sentiment.numHits, words: sentiment.numWords };
    },
  };
}

/** The zh segmenter splits Latin words and numbers into single characters; glue them back. */
function mergeLatin(parts: string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const p of parts) {
    if (/^[a-z0-9]$/.test(p)) {
      run += p;
      continue;
    }
    if (run) out.push(run);
    run = '';
    if (!PUNCT.test(p)) out.push(p.trim());
  }
  if (run) out.push(run);
  return out.filter((t) => t.length > 0);
}

function trimSymbols(token: string): string {
  return token.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
}
