import { type Classification, emptyClassification, type IntentClassifier } from './classifier';
import type { Locale, ParsedInbound } from './model';

/** Quick replies may carry `intent:<name>` to pick an intent outright (the fallback's "did you mean"). */
export const INTENT_PAYLOAD_PREFIX = 'intent:';

export async function classifyTurn(classifier: IntentClassifier, message: ParsedInbound, locale: Locale): Promise<Classification> {
  if (message.payload?.startsWith(INTENT_PAYLOAD_PREFIX)) {
    const intent = message.payload.slice(INTENT_PAYLOAD_PREFIX.length);
    return { intent, score: 1, ranking: [{ intent, score: 1 }], entities: [] };
  }
  const text = message.payload ?? message.text;
  if (!text) return emptyClassification();
  return classifier.classify(text, locale);
}
