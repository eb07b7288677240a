/**
 * A tiny deterministic classifier for tests that exercise a channel or a page rather than the NLU:
 * the first rule whose pattern matches the text wins with score 1, else None. 6-digit numbers come
 * back as `orderNumber` entities, as the real NLU gives them.
 */
import { type Classification, type Entity, type IntentClassifier, NONE_INTENT } from '../../core';

export type KeywordRules = ReadonlyArray<readonly [intent: string, pattern: RegExp]>;

export const DEMO_KEYWORDS: KeywordRules = [
  ['greeting', /^(hi|hello|hey)\b|你好|您好|在吗/i],
  ['order.status', /\border\b|where is|订单|快递|物流/i],
  ['refund.request', /refund|退款|退货/i],
  ['agent.request', /\b(human|agent|person)\b|人工/i],
  ['thanks', /thank|谢谢/i],
];

/** `delayMs` makes each classification wait, so concurrent turns interleave (core concurrency tests). */
export function createKeywordClassifier(rules: KeywordRules = DEMO_KEYWORDS, opts: { delayMs?: number } = {}): IntentClassifier & { calls: number } {
  const classifier = {
    calls: 0,
    async classify(text: string): Promise<Classification> {
      classifier.calls += 1;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const entities: Entity[] = [...text.matchAll(/(?<!\d)\d{6}(?!\d)/g)].map((m) => ({ type: 'orderNumber', value: m[0], text: m[0], start: m.index, end: m.index + 6 }));
      const hit = rules.find(([, pattern]) => pattern.test(text));
      if (!hit) return { intent: NONE_INTENT, score: 0, ranking: [], entities };
      return { intent: hit[0], score: 1, ranking: [{ intent: hit[0], score: 1 }], entities };
    },
  };
  return classifier;
}
