/**
 * Day buckets as counters: each turn adds to the scope `day:<day>:<channel>:<locale>` (turns,
 * botTurns, fallbackTurns, noneTurns, conversations, `intent:<name>`) through the engine's counter
 * buffer, so the counts are exact under concurrency and cost no write of their own on a turn.
 */
import { LOCALES, type Locale } from '../../core/model';
import type { DayBucket } from './types';

export const DAY_SCOPE_PREFIX = 'day:';
export const INTENT_COUNTER_PREFIX = 'intent:';
const MAX_INTENTS = 50;
const OTHER_INTENT = '(other)';

export function dayScope(day: string, channel: string, locale: Locale): string {
  return `${DAY_SCOPE_PREFIX}${day}:${channel}:${locale}`;
}

/** The bucket a day scope's counters describe, or undefined for a scope that is not one. */
export function bucketFromCounters(scope: string, values: Readonly<Record<string, number>>): DayBucket | undefined {
  const m = /^day:(\d{4}-\d{2}-\d{2}):(.+):([a-z]{2})$/.exec(scope);
  const locale = m?.[3] as Locale | undefined;
  if (!m || !locale || !LOCALES.includes(locale)) return undefined;
  const intents: Record<string, number> = {};
  for (const [name, n] of Object.entries(values)) if (name.startsWith(INTENT_COUNTER_PREFIX)) intents[name.slice(INTENT_COUNTER_PREFIX.length)] = n;
  const n = (name: string) => values[name] ?? 0;
  return {
    day: m[1] as string,
    channel: m[2] as string,
    locale,
    conversations: n('conversations'),
    turns: n('turns'),
    botTurns: n('botTurns'),
    fallbackTurns: n('fallbackTurns'),
    noneTurns: n('noneTurns'),
    intents,
  };
}

/** A bucket's counts as counter values. */
export function bucketCounters(b: Omit<DayBucket, 'day' | 'channel' | 'locale'>): Record<string, number> {
  const values: Record<string, number> = { conversations: b.conversations, turns: b.turns, botTurns: b.botTurns, fallbackTurns: b.fallbackTurns, noneTurns: b.noneTurns };
  for (const [name, n] of Object.entries(b.intents)) values[`${INTENT_COUNTER_PREFIX}${name}`] = n;
  return values;
}

export function emptyBucket(day: string, channel: string, locale: Locale): DayBucket {
  return { day, channel, locale, conversations: 0, turns: 0, botTurns: 0, fallbackTurns: 0, noneTurns: 0, intents: {} };
}

/** `a + b`, keeping `a`'s day, channel and locale. */
export function addBuckets(a: DayBucket, b: Omit<DayBucket, 'day' | 'channel' | 'locale'>): DayBucket {
  const intents = { ...a.intents };
  for (const [name, n] of Object.entries(b.intents)) intents[name] = (intents[name] ?? 0) + n;
  return {
    ...a,
    conversations: a.conversations + b.conversations,
    turns: a.turns + b.turns,
    botTurns: a.botTurns + b.botTurns,
    fallbackTurns: a.fallbackTurns + b.fallbackTurns,
    noneTurns: a.noneTurns + b.noneTurns,
    intents,
  };
}

/**
 * Intent names counted per day and channel are bounded: a quick-reply payload can carry any
 * `intent:<name>`, and each name is a counter row. Past 50 names a day bucket counts the rest as
 * "(other)" (per process; names seen before keep counting).
 */
export function createIntentNamer(maxIntents = MAX_INTENTS) {
  const seen = new Map<string, Set<string>>();
  return (scope: string, intent: string): string => {
    let names = seen.get(scope);
    if (!names) {
      if (seen.size > 1000) seen.clear();
      names = new Set();
      seen.set(scope, names);
    }
    if (names.has(intent)) return intent;
    if (names.size >= maxIntents) return OTHER_INTENT;
    names.add(intent);
    return intent;
  };
}
