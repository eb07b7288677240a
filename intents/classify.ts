/**
 * One classification exactly as the bot makes it: calibrated probabilities from the intent model,
 * None when the best is the learned out-of-scope class or under the threshold, the top 5 ranking,
 * entities and sentiment. `kefu eval` and the bench call this same function.
 */
import { type Classification, type Locale, NONE_INTENT, withFields } from '../core';
import { type EntityOptions, findEntities } from './entities';
import { type IntentModel, predictIntent } from './intent-model';
import { analyzeSentiment } from './sentiment';
import type { TextPipeline } from './text-pipeline';

export const DEFAULT_THRESHOLD = 0.5;
export const RANKING_SIZE = 5;

/** The intent and score part, without entities and sentiment (cheap; the bench's hot loop). */
export function rankIntents(model: IntentModel, pipeline: TextPipeline, text: string, threshold: number): Pick<Classification, 'intent' | 'score' | 'ranking'> {
  const probs = predictIntent(model, pipeline, text);
  const ranking = topK(probs, RANKING_SIZE).map((k) => ({ intent: model.classes[k] as string, score: round(probs[k] as number) }));
  const best = ranking[0] ?? { intent: NONE_INTENT, score: 0 };
  const intent = best.intent === NONE_INTENT || best.score < threshold ? NONE_INTENT : best.intent;
  return { intent, score: best.score, ranking };
}

export async function classifyText(
  model: IntentModel,
  pipeline: TextPipeline,
  text: string,
  locale: Locale,
  threshold: number,
  entityOptions: EntityOptions = {},
): Promise<Classification> {
  const ranked = rankIntents(model, pipeline, text, threshold);
  return withFields(ranked, { entities: findEntities(text, entityOptions), sentiment: await analyzeSentiment(pipeline, text, locale) });
}

/** Indices of the k largest values, largest first (ties: lower index first). */
function topK(values: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (best.length === k && v <= (values[best[k - 1] as number] as number)) continue;
    let at = best.length;
    while (at > 0 && v > (values[best[at - 1] as number] as number)) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}
