/**
 * Reads and checks the intent corpora `locales/<lang>/corpus.json`
 * (`{ "locale": "en", "data": [{ "intent": "order.status", "utterances": ["where is my order"] }] }`).
 * Anything malformed is a KEFU_ERR_NLU_CORPUS_INVALID naming the file and the problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KefuError, LOCALES, type Locale } from '../core';

export interface TrainingExample {
  text: string;
  intent: string;
}

const corpusSchema = z.object({
  locale: z.enum(LOCALES),
  data: z
    .array(
      z.object({
        intent: z.string().trim().min(1).max(128),
        utterances: z.array(z.string().trim().min(1, 'utterances must not be empty strings').max(4000)).min(1),
      }),
    )
    .min(1),
});

function invalid(file: string, problem: string, cause?: unknown): KefuError {
  return new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `Intent corpus ${file} is invalid: ${problem}. Fix the file and train again.`, { cause });
}

/**
 * Parses one corpus file's content; `file` is only used in error messages. A classifier needs two
 * intents at least: `minIntents` 1 when the file is merged with a base corpus first (kefu's kit).
 */
export function parseCorpus(raw: string, file: string, expectedLocale?: Locale, minIntents = 2): TrainingExample[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw invalid(file, `not valid JSON (${err instanceof Error ? err.message : String(err)})`, err);
  }
  const parsed = corpusSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw invalid(file, problems.slice(0, 5).join('; '));
  }
  if (expectedLocale && parsed.data.locale !== expectedLocale) {
    throw invalid(file, `"locale" is "${parsed.data.locale}" but the file is in the ${expectedLocale} folder`);
  }
  const examples: TrainingExample[] = [];
  for (const entry of parsed.data.data) {
    for (const text of entry.utterances) examples.push({ text, intent: entry.intent });
  }
  if (new Set(examples.map((e) => e.intent)).size < minIntents) throw invalid(file, 'at least two different intents are needed to train a classifier');
  return examples;
}

/** The bot's examples, plus the base corpus's for every intent the bot does not define (its own win). */
export function withBaseIntents(own: readonly TrainingExample[], base: readonly TrainingExample[]): TrainingExample[] {
  const defined = new Set(own.map((e) => e.intent));
  return [...own, ...base.filter((e) => !defined.has(e.intent))];
}

/** Every `<localesDir>/<lang>/corpus.json` that exists, by locale. */
export function loadCorpora(localesDir: string, minIntents = 2): Map<Locale, { file: string; raw: string; examples: TrainingExample[] }> {
  const out = new Map<Locale, { file: string; raw: string; examples: TrainingExample[] }>();
  for (const locale of LOCALES) {
    const file = join(localesDir, locale, 'corpus.json');
    if (!existsSync(file)) continue;
    const raw = readFileSync(file, 'utf8');
    out.set(locale, { file, raw, examples: parseCorpus(raw, file, locale, minIntents) });
  }
  if (out.size === 0) {
    throw invalid(join(localesDir, '<lang>', 'corpus.json'), `no corpus found for any of ${LOCALES.join(', ')} under ${localesDir}`);
  }
  return out;
}
