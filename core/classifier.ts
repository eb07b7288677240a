/**
 * What the engine needs from an NLU: a ranked, calibrated intent guess plus entities.
 * `intents/` implements it with nlp.js; tests may pass their own.
 */
import type { Locale } from './model';

/** The intent name used when nothing scores above the confidence threshold. */
export const NONE_INTENT = 'None';

export interface Entity {
  /** e.g. 'orderNumber', 'amount', 'date', 'phone', 'email'. */
  type: string;
  /** Normalised value: digits for order numbers, ISO date for dates, {amount, currency} for money. */
  value: string | number | { amount: number; currency: string };
  /** The matched span of the original text. */
  text: string;
  start: number;
  end: number;
}

export interface Sentiment {
  /** -1 (very negative) … 1 (very positive). */
  score: number;
  label: 'negative' | 'neutral' | 'positive';
}

export interface Classification {
  /** Best intent, or {@link NONE_INTENT} when its score is under the threshold. */
  intent: string;
  /** Calibrated probability of `intent` (0 … 1). */
  score: number;
  /** All intents, best first (at most 5). */
  ranking: Array<{ intent: string; score: number }>;
  entities: Entity[];
  sentiment?: Sentiment;
}

export interface IntentClassifier {
  classify(text: string, locale: Locale): Promise<Classification>;
}

/** The classification used for turns without text (an image, an event). */
export function emptyClassification(): Classification {
  return { intent: NONE_INTENT, score: 0, ranking: [], entities: [] };
}
