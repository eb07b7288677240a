/**
 * The knowledge base format, `locales/<lang>/faq.json`: FAQ entries whose question variants are
 * trained as the entry's intent and whose answer the FAQ dialog sends (docs/knowledge-base.md).
 * Anything malformed is a KEFU_ERR_KB_INVALID naming the file and the entry.
 * @example
 * { "locale": "en", "entries": [{ "intent": "faq.shipping", "title": "Shipping", "questions": ["how much is shipping?"],
 *   "answer": "Standard delivery takes 2–4 days.", "buttons": [{ "label": "Where’s my order?", "intent": "order.status" }] }] }
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KefuError, LOCALES, type Locale } from '../core';

/** FAQ intents are `faq.<name>`, so an entry never takes over a dialog's intent. */
export const FAQ_INTENT = /^faq\.[a-z0-9][a-z0-9_-]{0,62}$/;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const button = z.union([z.object({ label: text(40), intent: text(128) }).strict(), z.object({ label: text(40), payload: text(256) }).strict()]);

/** One entry, as the files hold it and the console sends it. */
export const faqEntrySchema = z
  .object({
    intent: z.string().regex(FAQ_INTENT, { error: 'must be faq.<name> (a-z 0-9 _ -, e.g. faq.shipping)' }),
    /** Short name: the button label elsewhere ("Shipping & delivery"). */
    title: text(60),
    questions: z.array(text(500)).min(1, 'needs at least one question').max(200),
    answer: text(4000),
    buttons: z.array(button).max(5).default([]),
  })
  .strict();

export type FaqEntry = z.output<typeof faqEntrySchema>;
export type FaqButton = FaqEntry['buttons'][number];

const fileSchema = z.object({ locale: z.enum(LOCALES), entries: z.array(z.unknown()) }).strict();

export function kbInvalid(where: string, problem: string): KefuError {
  return new KefuError('KEFU_ERR_KB_INVALID', `Knowledge base ${where} is invalid: ${problem}. Fix it and save (or train) again.`);
}

const issues = (e: z.ZodError) =>
  e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`)
    .join('; ');

/** Checks one entry; `where` names it in the error (a file and entry, or the console's locale). */
export function parseFaqEntry(value: unknown, where: string): FaqEntry {
  const parsed = faqEntrySchema.safeParse(value);
  if (!parsed.success) throw kbInvalid(where, issues(parsed.error));
  return parsed.data;
}

function entryName(value: unknown, index: number): string {
  const intent = (value as { intent?: unknown } | null)?.intent;
  return typeof intent === 'string' && intent ? `entry ${index} ("${intent}")` : `entry ${index}`;
}

/** Parses one faq.json's content; `file` is only used in error messages. */
export function parseFaqFile(raw: string, file: string, expectedLocale?: Locale): FaqEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw kbInvalid(file, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw kbInvalid(file, issues(parsed.error));
  if (expectedLocale && parsed.data.locale !== expectedLocale) throw kbInvalid(file, `"locale" is "${parsed.data.locale}" but the file is in the ${expectedLocale} folder`);
  const entries = parsed.data.entries.map((value, i) => parseFaqEntry(value, `${file} ${entryName(value, i)}`));
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.intent)) throw kbInvalid(file, `"${e.intent}" is listed twice; keep one entry per intent`);
    seen.add(e.intent);
  }
  return entries;
}

/** Every `<localesDir>/<lang>/faq.json` that exists, by locale (none is fine: no FAQs). */
export function loadFaqFiles(localesDir: string): Map<Locale, FaqEntry[]> {
  const out = new Map<Locale, FaqEntry[]>();
  for (const locale of LOCALES) {
    const file = join(localesDir, locale, 'faq.json');
    if (existsSync(file)) out.set(locale, parseFaqFile(readFileSync(file, 'utf8'), file, locale));
  }
  return out;
}
