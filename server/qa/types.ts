/**
 * Quality inspection (质检, docs/quality.md): what a scored conversation looks like. Each resolved
 * handoff gets one {@link QaResult}; a result with flags waits for a supervisor to confirm or dismiss it.
 */
import type { Locale } from '../../core';
import type { MessageAuthor } from '../../core/data';

/** Why a conversation is flagged, in the order the scorer checks them. */
export const QA_FLAGS = ['first_response_slow', 'reply_slow', 'unanswered', 'sentiment_worse', 'forbidden_phrase', 'no_greeting', 'no_closing'] as const;
export type QaFlagCode = (typeof QA_FLAGS)[number];

/** One reason, with machine detail only (durations, counts, the rule that matched); never message text. */
export interface QaFlag {
  code: QaFlagCode;
  detail: string;
}

export interface QaMetrics {
  /** Agent tier: from the request to the first agent message (ms; the SLA's wait, queue time included); absent when no agent wrote before an escalation. */
  firstResponseMs?: number;
  /** Expert tier: from the escalation to the first expert message (ms); absent when not escalated or no expert wrote. */
  expertFirstResponseMs?: number;
  /** From the request to the first assignment (ms): the part of the wait spent in the queue. */
  queuedMs?: number;
  /** The longest wait of a customer message for the next agent message after the first one (ms). */
  maxReplyMs?: number;
  slowReplies: number;
  /** Customer messages (acknowledgements aside) no agent message followed before the resolve. */
  unanswered: number;
  agentMessages: number;
  customerMessages: number;
  /** Mean sentiment (−1 … 1) of the customer's last messages before the first agent reply, and of their last ones after it. */
  sentimentBefore?: number;
  sentimentAfter?: number;
}

export interface QaScore {
  /** 0 … 100: 100 minus the weight of each flag. */
  score: number;
  flags: QaFlag[];
  metrics: QaMetrics;
}

/** clean: no flags; open: flagged, not reviewed; confirmed / dismissed by a supervisor. */
export const QA_STATUSES = ['clean', 'open', 'confirmed', 'dismissed'] as const;
export type QaStatus = (typeof QA_STATUSES)[number];

/** One message as the scorer sees it: the customer's carry a sentiment score. */
export interface QaMessage {
  from: MessageAuthor;
  text: string;
  at: number;
  agentId?: string;
  /** −1 … 1, customer messages only. */
  sentiment?: number;
}

/** What the scorer needs from a resolved handoff: its times and its messages, oldest first. */
export interface QaInput {
  locale: Locale;
  requestedAt: number;
  assignedAt?: number;
  /** When an agent escalated to the experts (the expert tier's clock starts). */
  escalatedAt?: number;
  resolvedAt: number;
  /** The customer's last messages before the escalation, then everything up to the resolve. */
  messages: readonly QaMessage[];
}

/**
 * Targets in ms. The first-response ones are the handoff's per-tier SLA (SLA_AGENT_FIRST_RESPONSE_SECONDS,
 * SLA_EXPERT_FIRST_RESPONSE_SECONDS; 0 = none), measured as `checkSla` does (plugins/handoff/sla.ts).
 */
export interface QaSla {
  agentFirstResponseMs: number;
  expertFirstResponseMs: number;
  /** Each later customer message to the next agent message (QA_REPLY_SLA_SECONDS). */
  replyMs: number;
}

/** The stored result of one handoff (`id` is the handoff id). */
export interface QaResult extends QaScore {
  id: string;
  key: string;
  agentId: string;
  locale: Locale;
  channel: string;
  resolvedAt: number;
  scoredAt: number;
  status: QaStatus;
  decidedBy?: string;
  decidedAt?: number;
}

/** What the day index keeps of a result: enough for the lists, the per-agent scores and the CSV. */
export type QaSummary = Omit<QaResult, 'flags'> & { flags: QaFlagCode[] };
