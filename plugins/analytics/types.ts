/** Public types of analytics and the unrecognised-messages inbox. */
import type { HandoffReason } from '../../core/context';
import type { CsatStats, DurationStats } from '../handoff/metrics';
import type { HandoffRecord, HandoffState } from '../handoff/types';
import type { Repositories } from '../../core/data';
import type { Logger } from '../../core/logger';
import type { Locale } from '../../core/model';

/** Turn counters of one day, channel and language (counter scope `day:<day>:<channel>:<locale>`). */
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
  /** Bot turns by recognised intent (at most 50 names a day and channel; the rest count as "(other)"). */
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
  /** Who served the conversations: the bot alone, agents, experts (bot → agent → expert). */
  tiers: TierSplit;
}

/**
 * The three-tier split of a slice. `bot`: conversation-days that never escalated; `agents` and
 * `experts`: handoffs resolved at that tier (an agent's escalation to the experts counts once, for
 * the experts); `unresolved`: handoffs that ended otherwise (ticket, cancelled) or are still open.
 * `shares` are of the conversations (absent without any).
 */
export interface TierSplit {
  bot: number;
  agents: number;
  experts: number;
  unresolved: number;
  shares?: { bot: number; agents: number; experts: number };
}

/** The brief's reference split (120,000 consultations a day: 68 % bot, 22 % agents, 10 % experts). */
export const REFERENCE_TIER_SPLIT: Readonly<{ bot: number; agents: number; experts: number }> = { bot: 0.68, agents: 0.22, experts: 0.1 };

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
  /** What `tiers.shares` is compared with (REFERENCE_TIER_SPLIT). */
  referenceTiers: { bot: number; agents: number; experts: number };
}

/** The handoff figures analytics reads (the handoff service implements it). */
export interface HandoffSource {
  records(range: { from: number; to: number }): Promise<HandoffRecord[]>;
}

export type { InboxEntry, InboxStatus } from '../../core/data';

export interface AnalyticsOptions {
  /** Default: the engine's data when the plugin is registered. */
  data?: Repositories;
  /** Wait, first response, handle time, CSAT and escalation reasons come from the handoff records. */
  handoff?: HandoffSource;
  /** Days are counted in this IANA zone. Default "UTC". */
  timeZone?: string;
  /** Most inbox entries kept (labelled ones are never pruned). Default 500. */
  inboxLimit?: number;
  now?: () => number;
  logger?: Logger;
}
