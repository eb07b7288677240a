/** A deterministic classifier for core tests: the first keyword found wins. The NLU is tested in test/intents. */
import { type Classification, type Entity, type IntentClassifier, NONE_INTENT } from '../../core';

export function createKeywordClassifier(table: Record<string, RegExp>, opts: { delayMs?: number } = {}): IntentClassifier & { calls: number } {
  const c = {
    calls: 0,
    async classify(text: string): Promise<Classification> {
      c.calls += 1;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const entities: Entity[] = [];
      for (const m of text.matchAll(/\b(\d{6})\b/g)) entities.push({ type: 'orderNumber', value: m[1] as string, text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
      const hit = Object.entries(table).find(([, re]) => re.test(text));
      const intent = hit ? hit[0] : NONE_INTENT;
      const score = hit ? 0.95 : 0.1;
      return { intent, score, ranking: [{ intent, score }], entities };
    },
  };
  return c;
}
