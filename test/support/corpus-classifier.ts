/**
 * A small, dependency-free stand-in for the NLU, trained from the same `locales/<l>/corpus.json`
 * files: TF-IDF weighted nearest neighbour over words, Latin character trigrams (for typos) and
 * Han unigrams + bigrams. Finds 6-digit `orderNumber` entities with a regex. Tests use it when
 * the real classifier (`intents/`) is not available; it is not meant for production.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type Classification, type Entity, type IntentClassifier, LOCALES, type Locale, NONE_INTENT } from '../../core';

export const corpusFileSchema = z
  .object({
    locale: z.enum(LOCALES),
    data: z.array(z.object({ intent: z.string().min(1), utterances: z.array(z.string().min(1)).min(1) }).strict()),
  })
  .strict();
export type CorpusFile = z.infer<typeof corpusFileSchema>;

/** Reads and validates `<localesDir>/<locale>/corpus.json`. */
export function readCorpus(localesDir: string, locale: Locale): CorpusFile {
  const file = join(localesDir, locale, 'corpus.json');
  const parsed = corpusFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')) as unknown);
  if (parsed.locale !== locale) throw new Error(`${file} says locale "${parsed.locale}", expected "${locale}"`);
  return parsed;
}

const ORDER_NO = /(?<!\d)\d{6}(?!\d)/g;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const LATIN_WORD = /[a-z]+(?:'[a-z]+)?/g;

function findEntities(text: string): Entity[] {
  return [...text.matchAll(ORDER_NO)].map((m) => ({ type: 'orderNumber', value: m[0], text: m[0], start: m.index, end: m.index + m[0].length }));
}

/**
 * Weighted features of a text. Digits are dropped: a bare number says nothing about the intent
 * (it is an entity), and matching on it would let "999999" interrupt a slot as some intent.
 */
export function features(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (f: string, w: number) => out.set(f, Math.max(out.get(f) ?? 0, w));
  const norm = text.normalize('NFKC').toLowerCase().replace(/\d+/g, ' ');
  for (const [word] of norm.matchAll(LATIN_WORD)) {
    const stem = word.replace(/'s$/, '').replace(/(?<=\w{3})s$/, '');
    add(`w:${stem}`, 1);
    const padded = `^${stem}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, 0.35);
  }
  for (const [run] of norm.matchAll(HAN_RUN)) {
    for (let i = 0; i < run.length; i++) {
      add(`h:${run[i]}`, 0.6);
      if (i + 1 < run.length) add(`b:${run.slice(i, i + 2)}`, 1);
    }
  }
  return out;
}

interface Example {
  intent: string;
  vector: Map<string, number>;
  norm: number;
}

export interface CorpusClassifierOptions {
  localesDir: string;
  /** Best score under this → {@link NONE_INTENT} (default 0.5). */
  threshold?: number;
}

export function createCorpusClassifier(opts: CorpusClassifierOptions): IntentClassifier {
  const threshold = opts.threshold ?? 0.5;
  const models = new Map<Locale, { idf: Map<string, number>; unseen: number; examples: Example[] }>();
  for (const locale of LOCALES) {
    const corpus = readCorpus(opts.localesDir, locale);
    const raw = corpus.data.flatMap((d) => d.utterances.map((u) => ({ intent: d.intent, f: features(u) })));
    const df = new Map<string, number>();
    for (const { f } of raw) for (const k of f.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const idf = new Map([...df].map(([k, n]) => [k, Math.log(1 + raw.length / n)]));
    const unseen = Math.log(1 + raw.length);
    const examples = raw.map(({ intent, f }) => weigh(intent, f, idf, unseen));
    models.set(locale, { idf, unseen, examples });
  }

  return {
    async classify(text: string, locale: Locale): Promise<Classification> {
      const model = models.get(locale);
      const entities = findEntities(text.normalize('NFKC'));
      if (!model) return { intent: NONE_INTENT, score: 0, ranking: [], entities };
      const query = weigh('', features(text), model.idf, model.unseen);
      const best = new Map<string, number>();
      for (const ex of model.examples) {
        const s = cosine(query, ex);
        if (s > (best.get(ex.intent) ?? 0)) best.set(ex.intent, s);
      }
      const ranking = [...best]
        .map(([intent, score]) => ({ intent, score: Math.round(score * 1000) / 1000 }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 5);
      const top = ranking[0];
      // The corpus may teach out-of-scope examples under the intent "None".
      return top && top.score >= threshold && top.intent !== NONE_INTENT
        ? { intent: top.intent, score: top.score, ranking, entities }
        : { intent: NONE_INTENT, score: top?.score ?? 0, ranking, entities };
    },
  };
}

function weigh(intent: string, f: Map<string, number>, idf: Map<string, number>, unseen: number): Example {
  const vector = new Map<string, number>();
  let sq = 0;
  for (const [k, w] of f) {
    const v = w * (idf.get(k) ?? unseen);
    vector.set(k, v);
    sq += v * v;
  }
  return { intent, vector, norm: Math.sqrt(sq) };
}

function cosine(a: Example, b: Example): number {
  if (!a.norm || !b.norm) return 0;
  let dot = 0;
  for (const [k, v] of a.vector) {
    const w = b.vector.get(k);
    if (w) dot += v * w;
  }
  return dot / (a.norm * b.norm);
}
