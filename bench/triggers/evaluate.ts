/**
 * The escalation triggers measured on a labelled set (test/fixtures/triggers/<lang>.jsonl): every
 * message is the first of a fresh conversation with the demo bot on a real engine with the real
 * handoff plugin (default thresholds), classified by the given classifier. Per message we record
 * whether the conversation was escalated and why, and the intent. Used by `npm run bench triggers`
 * and by test/intents/triggers.test.ts (which asserts the targets of issue 11).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Classification, createEngine, createMemoryData, type IntentClassifier, loadConfig, type Locale, silentLogger } from '../../core';
import { createHandoff } from '../../plugins/handoff';
import { demoDialogs } from '../../dialogs';

export const TRIGGER_LABELS = ['angry', 'complaint', 'chitchat', 'question', 'request', 'shop', 'gibberish'] as const;
export type TriggerLabel = (typeof TRIGGER_LABELS)[number];

export interface TriggerCase {
  text: string;
  label: TriggerLabel;
  /** Rows the lexicon and corpora may be tuned on ('dev') or not ('held-out'): every third row is held out. */
  split: 'dev' | 'held-out';
}

export interface TriggerOutcome extends TriggerCase {
  intent: string;
  sentiment: number;
  /** Why the conversation was escalated in this turn, if it was. */
  reason?: string;
}

export const TRIGGERS_DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'triggers');

export function loadTriggerCases(locale: Locale, dir = TRIGGERS_DIR): TriggerCase[] {
  const lines = readFileSync(join(dir, `${locale}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const row = JSON.parse(line) as { text?: unknown; label?: unknown };
    if (typeof row.text !== 'string' || !TRIGGER_LABELS.includes(row.label as TriggerLabel)) {
      throw new Error(`${locale}.jsonl line ${i + 1}: expected {"text": string, "label": one of ${TRIGGER_LABELS.join('|')}}, got ${line}`);
    }
    return { text: row.text, label: row.label as TriggerLabel, split: i % 3 === 2 ? 'held-out' : 'dev' };
  });
}

/** Runs each case as the first message of its own conversation; the engine and handoff are the demo's, in-process. */
export async function runTriggerCases(classifier: IntentClassifier, locale: Locale, cases: readonly TriggerCase[]): Promise<TriggerOutcome[]> {
  const config = loadConfig({});
  const now = () => Date.UTC(2025, 0, 6, 3, 0, 0); // a Monday, 11:00 in Shanghai: business hours
  const seen: { last?: Classification } = {};
  const recording: IntentClassifier = {
    async classify(text, loc) {
      seen.last = await classifier.classify(text, loc);
      return seen.last;
    },
  };
  const engine = createEngine({ classifier: recording, dialogs: demoDialogs, data: createMemoryData({ now }), now, logger: silentLogger });
  engine.addChannel({ name: 'eval', send: async () => {} });
  const { service, plugin } = createHandoff({ now, angerThreshold: config.HANDOFF_ANGER_THRESHOLD, afterFallbacks: config.HANDOFF_AFTER_FALLBACKS });
  await engine.register(plugin, undefined);
  const out: TriggerOutcome[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const conversationId = `${locale}-${i}`;
      delete seen.last;
      await engine.handle({ channel: 'eval', conversationId, userId: `u-${conversationId}`, platformMessageId: `m-${conversationId}`, text: c.text, locale });
      await service.idle();
      const record = await service.get(`eval:${conversationId}`);
      const c1 = lastOf(seen);
      out.push({ ...c, intent: c1?.intent ?? '?', sentiment: c1?.sentiment?.score ?? 0, ...(record ? { reason: record.reason } : {}) });
    }
  } finally {
    await service.idle();
    await engine.close();
  }
  return out;
}

const lastOf = (seen: { last?: Classification }): Classification | undefined => seen.last;

export interface Rate {
  hits: number;
  of: number;
  /** hits / of, or undefined when `of` is 0. */
  value?: number;
}

export interface TriggerReport {
  rows: number;
  /** Explicit requests for a person: the intent is agent.request. Angry rows are left out (anger decides them first). */
  request: { precision: Rate; recall: Rate };
  /** The handoff plugin's anger decision (the conversation escalated for `sentiment`). */
  anger: { precision: Rate; recall: Rate };
  /** Rows that should not escalate (neither angry nor asking for a person) that did. */
  falseEscalation: Rate;
  /** Any escalation of rows that should (angry or asking). */
  escalationRecall: Rate;
  /** Gibberish answered with None; questions about hours or agents answered as faq.hours. */
  gibberishNone: Rate;
  questionsAsHours: Rate;
}

const rate = (hits: number, of: number): Rate => (of === 0 ? { hits, of } : { hits, of, value: hits / of });
const count = (rows: readonly TriggerOutcome[], pred: (r: TriggerOutcome) => boolean) => rows.filter(pred).length;

export const requestFired = (r: TriggerOutcome) => r.intent === 'agent.request';
export const angerFired = (r: TriggerOutcome) => r.reason === 'sentiment';
export const shouldEscalate = (r: TriggerCase) => r.label === 'angry' || r.label === 'request';

export function summarize(rows: readonly TriggerOutcome[]): TriggerReport {
  const notAngry = rows.filter((r) => r.label !== 'angry');
  const calm = rows.filter((r) => !shouldEscalate(r));
  return {
    rows: rows.length,
    request: {
      precision: rate(
        count(notAngry, (r) => requestFired(r) && r.label === 'request'),
        count(notAngry, requestFired),
      ),
      recall: rate(
        count(rows, (r) => r.label === 'request' && requestFired(r)),
        count(rows, (r) => r.label === 'request'),
      ),
    },
    anger: {
      precision: rate(
        count(rows, (r) => angerFired(r) && r.label === 'angry'),
        count(rows, angerFired),
      ),
      recall: rate(
        count(rows, (r) => r.label === 'angry' && angerFired(r)),
        count(rows, (r) => r.label === 'angry'),
      ),
    },
    falseEscalation: rate(
      count(calm, (r) => r.reason !== undefined),
      calm.length,
    ),
    escalationRecall: rate(
      count(rows, (r) => shouldEscalate(r) && r.reason !== undefined),
      count(rows, shouldEscalate),
    ),
    gibberishNone: rate(
      count(rows, (r) => r.label === 'gibberish' && r.intent === 'None'),
      count(rows, (r) => r.label === 'gibberish'),
    ),
    questionsAsHours: rate(
      count(rows, (r) => r.label === 'question' && r.intent === 'faq.hours'),
      count(rows, (r) => r.label === 'question'),
    ),
  };
}

/** The rows a trigger got wrong: missed escalations, false escalations, wrong anger or request decisions. */
export function mistakes(rows: readonly TriggerOutcome[]): TriggerOutcome[] {
  return rows.filter(
    (r) =>
      (shouldEscalate(r) && r.reason === undefined) ||
      (!shouldEscalate(r) && r.reason !== undefined) ||
      (r.label === 'angry') !== angerFired(r) ||
      (r.label !== 'angry' && (r.label === 'request') !== requestFired(r)),
  );
}
