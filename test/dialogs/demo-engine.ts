/** Builds the demo bot for dialog tests on the real NLU (trained once per run) and a fixed clock. */
import {
  type Classification,
  conversationKey,
  createEngine,
  type Engine,
  type EngineOptions,
  type HandoffRequest,
  type IntentClassifier,
  type SessionState,
  type TurnResult,
} from '../../core';
import { demoDialogs } from '../../dialogs';
import { demoNlu } from '../support/demo-nlu';

export { LOCALES_DIR } from '../support/demo-nlu';
/** A fixed clock (Thu 27 Nov 2025, 12:00 Beijing time), so dates in replies are predictable. */
export const NOW = Date.UTC(2025, 10, 27, 4, 0, 0);

/** The classifier all dialog tests share (the real NLU, trained once per test run). */
export async function demoClassifier(): Promise<{ name: string; classifier: IntentClassifier }> {
  return { name: 'nlu', classifier: await demoNlu() };
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
  return (await engine.data.sessions.read(conversationKey({ channel: 'test', conversationId })))?.value ?? undefined;
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
