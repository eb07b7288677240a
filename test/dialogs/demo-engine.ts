/**
 * Builds the demo bot for dialog tests: the real NLU (`intents/`) when it exists, else the corpus
 * classifier from `test/support`. Both train from `locales/<l>/corpus.json`, so a test that
 * passes with one should pass with the other. `KEFU_TEST_CLASSIFIER=corpus` forces the stand-in.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Classification,
  conversationKey,
  createEngine,
  type Engine,
  type EngineOptions,
  type HandoffRequest,
  type IntentClassifier,
  type SessionState,
  silentLogger,
  type TurnResult,
} from '../../core';
import { demoDialogs } from '../../dialogs';
import { createCorpusClassifier } from '../support/corpus-classifier';

export const ROOT = join(__dirname, '..', '..');
export const LOCALES_DIR = join(ROOT, 'locales');
/** A fixed clock (Thu 27 Nov 2025, 12:00 Beijing time), so dates in replies are predictable. */
export const NOW = Date.UTC(2025, 10, 27, 4, 0, 0);

type NluFactory = (opts: { localesDir: string; cacheDir: string; threshold: number; log: typeof silentLogger }) => IntentClassifier | Promise<IntentClassifier>;

function isClassifier(value: unknown): value is IntentClassifier {
  return typeof value === 'object' && value !== null && typeof (value as { classify?: unknown }).classify === 'function';
}

async function loadNlu(): Promise<{ name: string; classifier: IntentClassifier } | undefined> {
  const entry = join(ROOT, 'intents', 'index.ts');
  if (process.env.KEFU_TEST_CLASSIFIER === 'corpus' || !existsSync(entry)) return undefined;
  // Loaded by path so this file type-checks before intents/ exists.
  const mod: unknown = require(entry);
  const factory = (mod as { createNluClassifier?: unknown }).createNluClassifier;
  if (typeof factory !== 'function') return undefined;
  const cacheDir = mkdtempSync(join(tmpdir(), 'kefu-dialog-nlu-'));
  process.once('exit', () => rmSync(cacheDir, { recursive: true, force: true }));
  const classifier: unknown = await (factory as NluFactory)({ localesDir: LOCALES_DIR, cacheDir, threshold: 0.5, log: silentLogger });
  return isClassifier(classifier) ? { name: 'nlu', classifier } : undefined;
}

let shared: Promise<{ name: string; classifier: IntentClassifier }> | undefined;

/** The classifier all dialog tests share (trained once per test run). */
export function demoClassifier(): Promise<{ name: string; classifier: IntentClassifier }> {
  shared ??= loadNlu().then((nlu) => nlu ?? { name: 'corpus', classifier: createCorpusClassifier({ localesDir: LOCALES_DIR }) });
  return shared;
}

/** The demo engine on an in-memory store with the fixed clock. */
export async function createDemoEngine(extra: Partial<EngineOptions> = {}): Promise<Engine> {
  const { classifier } = await demoClassifier();
  return createEngine({ classifier, dialogs: demoDialogs, now: () => NOW, ...extra });
}

/** The quick-reply payloads of a turn's replies, in order. */
export function payloads(result: TurnResult): string[] {
  return result.replies.flatMap((m) => m.quickReplies ?? []).map((q) => q.payload);
}

/** The quick-reply labels of a turn's replies, in order. */
export function labels(result: TurnResult): string[] {
  return result.replies.flatMap((m) => m.quickReplies ?? []).map((q) => q.label);
}

/** The stored session of a test conversation (channel `test`). */
export async function sessionOf(engine: Engine, conversationId: string): Promise<SessionState | undefined> {
  return (await engine.store.read(conversationKey({ channel: 'test', conversationId })))?.value;
}

/** A classifier that answers fixed classifications for some texts and delegates the rest. */
export function scriptedClassifier(base: IntentClassifier, script: Readonly<Record<string, Classification>>): IntentClassifier {
  return { classify: async (text, locale) => script[text] ?? base.classify(text, locale) };
}

/** Records the handoff requests an engine's dialogs make. */
export function recordHandoffs(engine: Engine): HandoffRequest[] {
  const seen: HandoffRequest[] = [];
  engine.addHook('onHandoff', (_ctx, request) => {
    seen.push(request);
  });
  return seen;
}
