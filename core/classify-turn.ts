import { type Classification, emptyClassification, type IntentClassifier } from './classifier';
import type { Locale, ParsedInbound } from './model';

/** Quick replies may carry `intent:<name>` to pick an intent outright (the fallback's "did you mean"). */
export const INTENT_PAYLOAD_PREFIX = 'intent:';

/**
 * What the classifier reads of a message: its beginning. Customers state what they want first; a
 * 4,000-character paste cost 20× a normal message to classify (issue 9), for no better answer.
 */
export const CLASSIFIED_CHARS = 500;

export async function classifyTurn(classifier: IntentClassifier, message: ParsedInbound, locale: Locale): Promise<Classification> {
  if (message.payload?.startsWith(INTENT_PAYLOAD_PREFIX)) {
    const intent = message.payload.slice(INTENT_PAYLOAD_PREFIX.length);
    return { intent, score: 1, ranking: [{ intent, score: 1 }], entities: [] };
  }
  const text = message.payload ?? message.text;
  if (!text) return emptyClassification();
  return classifier.classify(text.length > CLASSIFIED_CHARS ? text.slice(0, CLASSIFIED_CHARS) : text, locale);
}
