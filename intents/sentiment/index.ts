/**
 * Sentiment of one message, −1 … 1 with a label. English: nlp.js's senticon score plus the
 * customer-service lexicon in en-lexicon.ts; Chinese: the lexicon in zh-lexicon.ts (nlp.js has
 * no Chinese sentiment data). Exclamation marks and shouted words make negative texts more so.
 * Used to escalate angry customers, so anger must come out clearly negative in both languages.
 */
import type { Locale, Sentiment } from '../../core';
import type { TextPipeline } from '../text-pipeline';
import { EN_LEXICON } from './en-lexicon';
import { scoreUnits } from './lexicon-scorer';
import { ZH_LEXICON } from './zh-lexicon';

/** |score| at or above this gets a positive/negative label. */
export const SENTIMENT_LABEL_THRESHOLD = 0.25;
const NLPJS_WEIGHT = 0.5;

export async function analyzeSentiment(pipeline: TextPipeline, text: string, locale: Locale): Promise<Sentiment> {
  // Negation and intensifiers do not reach across clause punctuation ("still nothing. Unacceptable").
  const clauses = text.toLowerCase().split(/[.,;:!?。，；：！？、\n]+/);
  let raw = 0;
  if (locale === 'en') {
    for (const clause of clauses) raw += scoreUnits(clause.match(/[a-z0-9']+/g) ?? [], EN_LEXICON).raw;
    // senticon is broad and mild; it tips neutral texts but does not outvote the lexicon.
    if (/[a-z]/i.test(text)) raw += NLPJS_WEIGHT * (await pipeline.sentimentEn(text)).score;
  } else {
    for (const clause of clauses) raw += scoreUnits(Array.from(clause), ZH_LEXICON).raw;
  }
  if (raw < 0) raw *= emphasis(text);
  return toSentiment(raw);
}

/** "!!!" and SHOUTED words (in otherwise mixed-case text) strengthen a complaint. */
function emphasis(text: string): number {
  const bangs = Math.min(3, (text.match(/[!！]/g) ?? []).length);
  const shouted = /\b[A-Z]{3,}\b/.test(text) && /[a-z]/.test(text) ? 0.3 : 0;
  return 1 + 0.15 * bangs + shouted;
}

export function toSentiment(raw: number): Sentiment {
  const score = Math.round(Math.tanh(raw / 2.5) * 1000) / 1000;
  const label = score <= -SENTIMENT_LABEL_THRESHOLD ? 'negative' : score >= SENTIMENT_LABEL_THRESHOLD ? 'positive' : 'neutral';
  return { score, label };
}
