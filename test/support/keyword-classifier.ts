/**
 * A tiny deterministic classifier for tests that exercise a channel or a page rather than the NLU:
 * the first rule whose pattern matches the text wins with score 1, else None.
 */
import { type Classification, type IntentClassifier, NONE_INTENT } from '../../core';

export type KeywordRules = ReadonlyArray<readonly [intent: string, pattern: RegExp]>;

export const DEMO_KEYWORDS: KeywordRules = [
  ['greeting', /^(hi|hello|hey)\b|你好|您好|在吗/i],
  ['order.status', /\border\b|where is|订单|快递|物流/i],
  ['refund.request', /refund|退款|退货/i],
  ['agent.request', /\b(human|agent|person)\b|人工/i],
  ['thanks', /thank|谢谢/i],
];

export function createKeywordClassifier(rules: KeywordRules = DEMO_KEYWORDS): IntentClassifier {
  return {
    async classify(text): Promise<Classification> {
      const hit = rules.find(([, pattern]) => pattern.test(text));
      if (!hit) return { intent: NONE_INTENT, score: 0, ranking: [], entities: [] };
      return { intent: hit[0], score: 1, ranking: [{ intent: hit[0], score: 1 }], entities: [] };
    },
  };
}
