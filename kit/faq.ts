/**
 * FAQ answers from a bot's knowledge base (`<locales>/<lang>/faq.json`, docs/knowledge-base.md): one
 * thin dialog per FAQ intent of the files, each sending the entry's answer and follow-up buttons.
 * Every kefu app gets them for its own locales folder (kit/dialogs.ts `withKitDialogs`). The
 * answer is looked up at every turn in `ctx.vars.knowledge` (the server's live knowledge base, edited
 * in the console); an engine without it answers from the files as they were at start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Dialog, type DialogContext, defineDialog, INTENT_PAYLOAD_PREFIX, KefuError, LOCALES, type Locale, type QuickReply } from '../core';

/** An FAQ answer ready to send. */
export interface FaqAnswer {
  title: string;
  text: string;
  quickReplies: QuickReply[];
}

/** Where FAQ answers come from (the server's knowledge base implements it). */
export interface FaqKnowledge {
  answer(intent: string, locale: Locale): FaqAnswer | undefined;
}

declare module '../core/context' {
  interface ContextVariables {
    knowledge: FaqKnowledge;
  }
}

/** An entry as faq.json holds it (the full check is `parseFaqFile` in intents/). */
interface FaqFileEntry {
  intent: string;
  title: string;
  answer: string;
  buttons?: ReadonlyArray<{ label: string; intent?: string; payload?: string }>;
}

function readEntries(file: string): FaqFileEntry[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return []; // no knowledge base for this locale
  }
  try {
    return (JSON.parse(raw) as { entries: FaqFileEntry[] }).entries;
  } catch (err) {
    throw new KefuError('KEFU_ERR_KB_INVALID', `Knowledge base ${file} is invalid: not valid JSON (${String(err)}). Fix the file.`);
  }
}

/** The answer an entry gives: its text and its buttons (an intent button picks that intent outright). */
export function faqAnswerOf(entry: FaqFileEntry): FaqAnswer {
  const quickReplies = (entry.buttons ?? []).map((b) => ({ label: b.label, payload: b.payload ?? `${INTENT_PAYLOAD_PREFIX}${b.intent}` }));
  return { title: entry.title, text: entry.answer, quickReplies };
}

/** The knowledge base of `localesDir` as the files hold it. */
export function fileKnowledge(localesDir: string): FaqKnowledge & { intents(): string[] } {
  const byLocale = new Map(LOCALES.map((l) => [l, new Map(readEntries(join(localesDir, l, 'faq.json')).map((e) => [e.intent, faqAnswerOf(e)]))]));
  return {
    answer: (intent, locale) => byLocale.get(locale)?.get(intent),
    intents: () => [...new Set([...byLocale.values()].flatMap((m) => [...m.keys()]))],
  };
}

/** Sends an FAQ answer. */
export function sendFaqAnswer(ctx: Pick<DialogContext, 'reply'>, answer: FaqAnswer): void {
  ctx.reply(answer.quickReplies.length ? { text: answer.text, quickReplies: answer.quickReplies } : answer.text);
}

function faqDialog(intent: string, files: FaqKnowledge): Dialog {
  const title = (locale: Locale) => files.answer(intent, locale)?.title ?? LOCALES.map((l) => files.answer(intent, l)?.title).find(Boolean) ?? intent;
  return defineDialog({
    id: intent.replace('.', '-'),
    triggers: [intent],
    label: { en: title('en'), zh: title('zh') },
    texts: { en: {}, zh: {} },
    run(ctx) {
      const answer = (ctx.vars.knowledge ?? files).answer(intent, ctx.locale);
      if (answer) sendFaqAnswer(ctx, answer);
      else ctx.start('fallback'); // the entry was deleted (or has no text in this language)
    },
  });
}

/** One FAQ dialog per intent in the knowledge base files of `localesDir`. */
export function createFaqDialogs(localesDir: string): Dialog[] {
  const files = fileKnowledge(localesDir);
  return files.intents().map((intent) => faqDialog(intent, files));
}
