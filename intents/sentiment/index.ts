/**
 * Sentiment of one message, −1 … 1 with a label. English: nlp.js's senticon score plus the
 * customer-service lexicon in en-lexicon.ts; Chinese: the lexicon in zh-lexicon.ts (nlp.js has
 * no Chinese sentiment data). Exclamation marks and shouted words make negative texts more so.
 * Used to escalate angry customers, so anger must come out clearly negative in both languages, and
 * only anger: a score at or under −0.6 takes at least two anger cues (two emotional negative words,
 * a strong word such as "scam" / 骗子 / 投诉, a negative word with an intensifier, "!!", shouting,
 * blame addressed to the shop). One negative word ("not happy with the colour", 不喜欢) stays at
 * −0.45 at most: negative, but a calm complaint.
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
  let cues = 0;
  for (const clause of clauses) {
    const s = locale === 'en' ? scoreUnits(clause.match(/[a-z0-9'*]+/g) ?? [], EN_LEXICON) : scoreUnits(Array.from(clause), ZH_LEXICON);
    raw += s.raw;
    cues += s.cues;
  }
  // senticon is broad and mild; it tips neutral texts but does not outvote the lexicon, and is no anger cue.
  if (locale === 'en' && /[a-z]/i.test(text)) raw += NLPJS_WEIGHT * (await pipeline.sentimentEn(text)).score;
  const e = emphasis(text);
  // Shouting with "??" or "!!" is anger without a negative word ("WHERE IS MY ORDER??"); thanks stay thanks.
  if (e.cues >= ANGER_CUES && raw <= 0.5) raw = Math.min(raw, -1.5);
  if (raw >= 0) return toSentiment(raw);
  raw *= e.factor;
  // Blame addressed to the shop ("you people", 你们) and emphasis strengthen a negative word; alone they are no anger.
  const total = cues > 0 || e.cues >= ANGER_CUES ? cues + e.cues + (BLAME[locale].test(text) ? 1 : 0) : 0;
  return toSentiment(raw, total);
}

/** Addressing the shop or its staff in a complaint ("you people are useless", 你们这什么服务). */
const BLAME: Record<Locale, RegExp> = {
  en: /\b(you people|you guys|you lot|you clowns|your (company|shop|store|service|staff|team|people|bot))\b/i,
  zh: /你们|你家|贵店|客服都/,
};

/** "!!!", "?!" and SHOUTED words strengthen a complaint: a factor on the score, and cues. */
function emphasis(text: string): { factor: number; cues: number } {
  const bangs = Math.min(3, (text.match(/[!！]/g) ?? []).length);
  // A shouted word in mixed-case text, or a whole message in capitals of three words or more ("WHERE IS MY ORDER").
  const mixed = /[a-z]/.test(text);
  const shouted = (mixed && /\b[A-Z]{3,}\b/.test(text)) || (!mixed && (text.match(/\b[A-Z]{2,}\b/g) ?? []).length >= 3) ? 0.3 : 0;
  const doubled = /[?？!！]{2,}/.test(text);
  const cues = (bangs > 0 || doubled ? 1 : 0) + (shouted ? 1 : 0);
  return { factor: 1 + 0.15 * bangs + shouted, cues };
}

/** With fewer cues than this a negative message is not anger: its score stays above {@link NOT_ANGER}. */
const ANGER_CUES = 2;
/** The most negative score of a message with one anger cue: negative, but above the handoff's anger threshold (0.6). */
const NOT_ANGER = -0.45;

/**
 * −1 … 1 from the polarity sum. For negative texts `cues` (anger cues) bounds the score: under
 * {@link ANGER_CUES} it is no lower than {@link NOT_ANGER} ("not happy with the colour", "tell me a
 * terrible joke"); with three or more it is at least as low as −0.6 (several signs of anger at once).
 */
export function toSentiment(raw: number, cues = ANGER_CUES): Sentiment {
  let value = Math.tanh(raw / 2.5);
  if (raw < 0 && cues < ANGER_CUES) value = Math.max(value, NOT_ANGER);
  else if (raw < 0 && cues >= ANGER_CUES + 1) value = Math.min(value, -0.6 - 0.05 * (cues - ANGER_CUES - 1));
  const score = Math.round(Math.max(-1, value) * 1000) / 1000;
  const label = score <= -SENTIMENT_LABEL_THRESHOLD ? 'negative' : score >= SENTIMENT_LABEL_THRESHOLD ? 'positive' : 'neutral';
  return { score, label };
}
