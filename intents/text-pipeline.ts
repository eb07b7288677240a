/**
 * The nlp.js part of the NLU: normalisation, tokenising and stemming (en), word segmentation
 * (zh: CC-CEDICT from @nlpjs/lang-zh, segmented by zh-segmenter.ts) and English sentiment. Everything untyped about nlp.js stays here and
 * in `nlpjs.d.ts`; the rest of `intents/` sees plain functions.
 */
import type { NlpjsNormalizer, NlpjsSentimentAnalyzer, NlpjsStemmer, NlpjsTokenizer } from '@nlpjs/core';
import type { Locale } from '../core';
import { loadZhSegmenter } from './zh-segmenter';

export interface TextPipeline {
  /** Lower-cased, accents stripped, digits mapped to 0 (order numbers and dates then share features). */
  normalize(text: string, locale: Locale): string;
  /** Word tokens: Porter stems for en, dictionary segments for zh (punctuation dropped). */
  words(normalized: string, locale: Locale): string[];
  /** nlp.js (senticon) sentiment for English: summed polarity and the number of tokens. */
  sentimentEn(text: string): Promise<{ score: number; hits: number; words: number }>;
}

const PUNCT = /^[\p{P}\p{S}\s]+$/u;

let shared: Promise<TextPipeline> | undefined;

/**
 * One pipeline per process: the nlp.js container and the zh dictionary are large and read-only.
 * `cacheDir` (the model cache) keeps the Chinese word list between starts; the first call decides.
 */
export function getTextPipeline(opts: { cacheDir?: string } = {}): Promise<TextPipeline> {
  shared ??= createTextPipeline(opts.cacheDir);
  return shared;
}

/**
 * Only the parts kefu uses: the container, English (normaliser, tokeniser, stemmer, senticon
 * dictionary) and the sentiment analyzer. `@nlpjs/basic` would also load the NLU, NER, NLG, the
 * evaluator, the connectors and a pino 7 logger, about 100 ms of every start, none of it used.
 */
async function createTextPipeline(cacheDir: string | undefined): Promise<TextPipeline> {
  const [{ containerBootstrap }, { LangEn }, { SentimentAnalyzer }] = await Promise.all([import('@nlpjs/core'), import('@nlpjs/lang-en'), import('@nlpjs/sentiment')]);
  const container = containerBootstrap();
  container.use(LangEn);
  container.use(SentimentAnalyzer);
  const sentiment = container.get('sentiment-analyzer') as NlpjsSentimentAnalyzer;
  const normalizerEn = container.get('normalizer-en') as NlpjsNormalizer;
  const stemmerEn = container.get('stemmer-en') as NlpjsStemmer;
  const tokenizerEn = container.get('tokenizer-en') as NlpjsTokenizer;
  // Loaded with the pipeline, so the first Chinese message after start is not the slow one.
  const zh = loadZhSegmenter(cacheDir);
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
      return mergeLatin(zh.segment(normalized));
    },
    async sentimentEn(text) {
      const { sentiment: s } = await sentiment.process({ utterance: text, locale: 'en' });
      return { score: s.score, hits: s.numHits, words: s.numWords };
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
