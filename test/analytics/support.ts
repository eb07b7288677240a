/** Analytics test rig: the handoff rig (demo dialogs, keyword NLU, injected clock) plus the analytics plugin. */
import { type Classification, type IntentClassifier, NONE_INTENT } from '../../core';
import { type AnalyticsService, createAnalytics } from '../../plugins/analytics';
import type { AgentProfile } from '../../plugins/handoff';
import { createRig, createTestClassifier, type Rig } from '../handoff/support';

export const T0 = Date.UTC(2025, 0, 6, 3, 0, 0); // the handoff rig's clock: Monday 2025-01-06 03:00 UTC
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** The test NLU, with a ranking for texts it does not know (as the real one gives: None first, then guesses). */
export function rankingClassifier(): IntentClassifier {
  const inner = createTestClassifier();
  return {
    async classify(text, locale): Promise<Classification> {
      const c = await inner.classify(text, locale);
      if (c.intent !== NONE_INTENT || !text) return c;
      return {
        ...c,
        score: 0.41,
        ranking: [
          { intent: NONE_INTENT, score: 0.41 },
          { intent: 'order.status', score: 0.2512 },
          { intent: 'refund.request', score: 0.12 },
          { intent: 'greeting', score: 0.05 },
          { intent: 'thanks', score: 0.03 },
        ],
      };
    },
  };
}

export const AWAY_ANNA: AgentProfile = { id: 'anna', name: 'Anna', skills: ['orders', 'general', 'refunds'], languages: ['en', 'zh'], capacity: 3, status: 'away' };

export async function createAnalyticsRig(opts: { inboxLimit?: number; timeZone?: string } = {}): Promise<Rig & { analytics: AnalyticsService }> {
  const rig = await createRig({ agents: [AWAY_ANNA], classifier: rankingClassifier() });
  const { service, plugin } = createAnalytics({ handoff: rig.service, now: () => rig.clock.t, ...opts });
  await rig.engine.register(plugin, undefined);
  const say = rig.say;
  return Object.assign(rig, {
    analytics: service,
    async say(conversationId: string, text: string, extra: Record<string, unknown> = {}) {
      const replies = await say(conversationId, text, extra);
      await service.idle();
      return replies;
    },
  });
}
