/**
 * Handoff test rig: the demo dialogs on a real engine, a keyword classifier with a small en/zh
 * anger lexicon (the real NLU is tested in test/intents), a recording customer channel whose sends
 * can be made to fail, a recording agent channel, and an injected clock.
 */
import {
  type Channel,
  type Classification,
  type ConversationRef,
  createEngine,
  createMemoryData,
  type Engine,
  type IntentClassifier,
  type OutboundMessage,
  type Repositories,
} from '../../core';
import { type AgentProfile, createHandoff, DEMO_AGENTS, type HandoffEvent, type HandoffOptions, type HandoffService } from '../../plugins/handoff';
import { demoDialogs } from '../../dialogs';
import { createKeywordClassifier, DEMO_KEYWORDS } from '../support/keyword-classifier';

const RULES = [
  ...DEMO_KEYWORDS.filter(([i]) => i !== 'agent.request'),
  ['agent.request', /\b(human|agent|person)\b|人工|找客服/i] as const,
  ['cancel', /^(cancel|取消)$/i] as const,
];
const ANGRY = /terrible|furious|useless|worst|ridiculous|angry|气死|垃圾|太差|投诉|生气/i;

export function createTestClassifier(): IntentClassifier {
  const inner = createKeywordClassifier(RULES);
  return {
    async classify(text, locale): Promise<Classification> {
      const c = await inner.classify(text, locale);
      return { ...c, sentiment: ANGRY.test(text) ? { score: -0.9, label: 'negative' } : { score: 0, label: 'neutral' } };
    },
  };
}

/** A customer channel that records what it sends; `failNext(n)` makes the next n sends throw. */
export class RecordingChannel implements Channel {
  readonly sent: Array<{ ref: ConversationRef; message: OutboundMessage }> = [];
  private failures = 0;
  constructor(readonly name = 'test') {}
  failNext(n: number): void {
    this.failures = n;
  }
  async send(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('platform down');
    }
    for (const message of messages) this.sent.push({ ref, message });
  }
  to(conversationId: string): OutboundMessage[] {
    return this.sent.filter((s) => s.ref.conversationId === conversationId).map((s) => s.message);
  }
}

export interface Rig {
  engine: Engine;
  service: HandoffService;
  channel: RecordingChannel;
  events: HandoffEvent[];
  clock: { t: number };
  say(conversationId: string, text: string, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

let seq = 0;

export async function createRig(opts: Partial<HandoffOptions> & { data?: Repositories; agents?: AgentProfile[]; classifier?: IntentClassifier } = {}): Promise<Rig> {
  const clock = { t: Date.UTC(2025, 0, 6, 3, 0, 0) }; // a Monday, 11:00 in Shanghai
  const now = () => clock.t;
  const data = opts.data ?? createMemoryData({ now });
  const engine = createEngine({ classifier: opts.classifier ?? createTestClassifier(), dialogs: demoDialogs, data, now, retryDelaysMs: [60_000] });
  const channel = new RecordingChannel();
  engine.addChannel(channel);
  const { classifier: _classifier, data: _data, ...handoffOpts } = opts;
  // Agents auto-accept here unless a test says otherwise (offers are tested in offers.test.ts).
  const agents = (opts.agents ?? DESK_TEAM).map((a) => ({ autoAccept: true, ...a }));
  const { service, plugin } = createHandoff({ now, tickMs: 0, ...handoffOpts, agents });
  await engine.register(plugin, undefined);
  const events: HandoffEvent[] = [];
  service.addAgentChannel({ name: 'recorder', onEvent: async (e) => void events.push(e) });
  return {
    engine,
    service,
    channel,
    events,
    clock,
    async say(conversationId, text, extra = {}) {
      seq += 1;
      const r = await engine.handle({ channel: 'test', conversationId, userId: `u-${conversationId}`, platformMessageId: `m${seq}`, text, ...extra });
      await service.idle();
      return r.replies.map((m) => m.text).join('\n');
    },
    async close() {
      await service.idle();
      await engine.close();
    },
  };
}

export const key = (conversationId: string) => `test:${conversationId}`;

/**
 * The demo team as these tests found it before presence: online (as if logged in) and taking what
 * routing gives them at once. Presence and offers have their own tests (presence.test.ts, offers.test.ts).
 */
export const DESK_TEAM: AgentProfile[] = DEMO_AGENTS.map((a) => ({ ...a, status: 'online', autoAccept: true }));
