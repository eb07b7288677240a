/**
 * The QA rules: forbidden phrases, greetings, closings and acknowledgements per language, flag
 * weights and the sentiment drop, from QA_RULES_FILE (JSON, docs/quality.md) over the built-in
 * defaults. A list given in the file replaces that language's default list.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KefuError, type Locale, LOCALES } from '../../core';
import { DEFAULT_ACKNOWLEDGEMENTS, DEFAULT_CLOSINGS, DEFAULT_FORBIDDEN, DEFAULT_GREETINGS, DEFAULT_SENTIMENT_DROP, DEFAULT_WEIGHTS, type PhraseLists } from './default-rules';
import { compilePhrase, type Matchers } from './phrases';
import { QA_FLAGS, type QaFlagCode } from './types';

const list = z.array(z.string().min(1).max(300)).max(500);
const perLanguage = z.object({ en: list.optional(), zh: list.optional() }).strict();
export const qaRulesFileSchema = z
  .object({
    forbidden: perLanguage.optional(),
    greetings: perLanguage.optional(),
    closings: perLanguage.optional(),
    acknowledgements: perLanguage.optional(),
    weights: z.partialRecord(z.enum(QA_FLAGS), z.number().min(0).max(100)).optional(),
    sentimentDrop: z.number().min(0).max(2).optional(),
  })
  .strict();
export type QaRulesFile = z.infer<typeof qaRulesFileSchema>;

export interface QaRules {
  forbidden: Matchers;
  greetings: Matchers;
  closings: Matchers;
  acknowledgements: PhraseLists;
  weights: Readonly<Record<QaFlagCode, number>>;
  sentimentDrop: number;
}

export function qaRulesInvalid(message: string): KefuError {
  return new KefuError('KEFU_ERR_QA_RULES_INVALID', message);
}

function merged(defaults: PhraseLists, given: Partial<Record<Locale, string[]>> | undefined): PhraseLists {
  return { en: given?.en ?? defaults.en, zh: given?.zh ?? defaults.zh };
}

function compileLists(name: string, lists: PhraseLists): Matchers {
  const out = { en: [], zh: [] } as Matchers;
  for (const locale of LOCALES) {
    for (const phrase of lists[locale]) {
      try {
        out[locale].push(compilePhrase(phrase));
      } catch (err) {
        throw qaRulesInvalid(`QA rules ${name}.${locale}: "${phrase}" is not a valid regular expression (${(err as Error).message}).`);
      }
    }
  }
  return out;
}

/** Rules from a parsed file (or none: the defaults). */
export function compileQaRules(input: unknown = {}): QaRules {
  const parsed = qaRulesFileSchema.safeParse(input);
  if (!parsed.success) throw qaRulesInvalid(`QA rules are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}.`);
  const f = parsed.data;
  return {
    forbidden: compileLists('forbidden', merged(DEFAULT_FORBIDDEN, f.forbidden)),
    greetings: compileLists('greetings', merged(DEFAULT_GREETINGS, f.greetings)),
    closings: compileLists('closings', merged(DEFAULT_CLOSINGS, f.closings)),
    acknowledgements: merged(DEFAULT_ACKNOWLEDGEMENTS, f.acknowledgements),
    weights: { ...DEFAULT_WEIGHTS, ...f.weights },
    sentimentDrop: f.sentimentDrop ?? DEFAULT_SENTIMENT_DROP,
  };
}

/** QA_RULES_FILE read and checked at start, or the defaults when unset. */
export function loadQaRules(file: string | undefined): QaRules {
  if (!file) return compileQaRules();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw qaRulesInvalid(`QA_RULES_FILE "${file}" could not be read as JSON: ${(err as Error).message}`);
  }
  return compileQaRules(raw);
}
