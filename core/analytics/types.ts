/** Public types of analytics and the unrecognised-messages inbox. */
import type { HandoffReason } from '../context';
import type { CsatStats, DurationStats } from '../handoff/metrics';
import type { HandoffRecord, HandoffState } from '../handoff/types';
import type { Logger } from '../logger';
import type { Locale } from '../model';
import type { SessionStore } from '../store';

/** Turn counters of one day, channel and language (`analytics:<day>:<channel>:<locale>` in the store). */
export interface DayBucket {
  day: string;
  channel: string;
  locale: Locale;
  /** Conversations with at least one customer message that day (a conversation counts once a day). */
  conversations: number;
  /** Customer messages. */
  turns: number;
  /** Messages the bot answered (not while a human had the conversation). */
  botTurns: number;
  /** Bot turns answered by the fallback dialog. */
  fallbackTurns: number;
  /** Bot turns whose intent was None (under the confidence threshold). */
  noneTurns: number;
  /** Bot turns by recognised intent (at most 50 names; the rest count as "(other)"). */
  intents: Record<string, number>;
}

export interface Kpis {
  conversations: number;
  turns: number;
  botTurns: number;
  fallbackTurns: number;
  noneTurns: number;
  /** fallbackTurns / botTurns (absent without bot turns). */
  fallbackRate?: number;
  /** Handoffs requested. */
  escalations: number;
  /** Conversation-days with at least one handoff. */
  escalatedConversations: number;
  /** escalatedConversations / conversations. */
  escalationRate?: number;
  /** Conversations handled without a human: 1 − escalationRate. */
  automationRate?: number;
  escalationsByReason: Record<HandoffReason, number>;
  /** Handoffs with that reason / conversations. */
  escalationRateByReason: Partial<Record<HandoffReason, number>>;
  /** Where the handoffs are now (queued, assigned, resolved, ticket, cancelled). */
  outcomes: Record<HandoffState, number>;
  wait: DurationStats;
  firstResponse: DurationStats;
  handle: DurationStats;
  csat: CsatStats;
  topIntents: Array<{ intent: string; count: number }>;
}

export interface AnalyticsQuery {
  /** First day, `YYYY-MM-DD`, in the analytics time zone. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  channel?: string;
  locale?: Locale;
}

export interface AnalyticsReport {
  from: string;
  to: string;
  timeZone: string;
  channel?: string;
  locale?: Locale;
  totals: Kpis;
  /** Every day of the range, oldest first (zeros on quiet days). */
  days: Array<{ day: string } & Kpis>;
  byChannel: Record<string, Kpis>;
  byLocale: Partial<Record<Locale, Kpis>>;
}

/** The handoff figures analytics reads (the handoff service implements it). */
export interface HandoffSource {
  records(range: { from: number; to: number }): Promise<HandoffRecord[]>;
}

export type InboxStatus = 'open' | 'labelled' | 'dismissed' | 'exported';

/** A message the bot did not place, kept (with others that read the same) for someone to label. */
export interface InboxEntry {
  /** `<locale>-<20 hex>`: a keyed hash of the normalised text, so similar texts share an entry. */
  id: string;
  /** The first text seen (customer data: encrypted at rest with KEFU_ENCRYPTION_KEY). */
  text: string;
  locale: Locale;
  /** The classifier's best guesses for the latest occurrence (None left out), best first. */
  candidates: Array<{ intent: string; score: number }>;
  /** How many messages normalised to the same text (case, spacing, punctuation and digits ignored). */
  count: number;
  firstAt: number;
  lastAt: number;
  channel: string;
  status: InboxStatus;
  /** The intent assigned by staff. */
  intent?: string;
  by?: string;
  decidedAt?: number;
  exportedAt?: number;
}

export interface AnalyticsOptions {
  /** Default: the engine's store when the plugin is registered. */
  store?: SessionStore<unknown>;
  /** Wait, first response, handle time, CSAT and escalation reasons come from the handoff records. */
  handoff?: HandoffSource;
  /** Days are counted in this IANA zone. Default "UTC". */
  timeZone?: string;
  /** Most inbox entries kept (labelled ones are never pruned). Default 500. */
  inboxLimit?: number;
  now?: () => number;
  logger?: Logger;
}
