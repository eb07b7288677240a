/**
 * The records kefu keeps, as every backend stores them: handoffs and tickets (the human side), the
 * unrecognised-messages inbox, audit entries. They live here, in core's data model, because the
 * stores implement the repositories for them and import only core; the plugins that own the
 * behaviour (handoff, analytics, audit) re-export them.
 */
import type { HandoffReason } from '../context';
import type { Attachment, ConversationRef, Locale } from '../model';

export type HandoffState = 'queued' | 'assigned' | 'resolved' | 'ticket' | 'cancelled';
/** States of a handoff that is still open: at most one per conversation. */
export const ACTIVE_HANDOFF_STATES: readonly HandoffState[] = ['queued', 'assigned'];
export const HANDOFF_STATES: readonly HandoffState[] = ['queued', 'assigned', 'resolved', 'ticket', 'cancelled'];
/** States of a finished handoff: the only ones retention deletes. */
export const FINISHED_HANDOFF_STATES: readonly HandoffState[] = ['resolved', 'ticket', 'cancelled'];

/** One line of what was said, as agents see it. Notes are internal and never reach the customer. */
export interface TranscriptEntry {
  from: 'customer' | 'bot' | 'agent' | 'system' | 'note';
  text: string;
  at: number;
  agentId?: string;
  attachments?: Attachment[];
}

export interface SentimentSummary {
  score: number;
  label: 'negative' | 'neutral' | 'positive';
}

/** The customer as agents see them; see plugins/handoff/customer.ts. */
export interface CustomerSummary {
  /** A verified name, or "Visitor #1234" for a visitor. */
  name?: string;
  /** Verified email (a web identity the shop signed). */
  email?: string;
  tier?: string;
  /** The channel's user id; for a visitor, the conversation id (never a client-supplied id). */
  userId: string;
  /** The channel could not say who this is. */
  visitor?: boolean;
}

/** A conversation's escalation to a human, from request to resolution. */
export interface HandoffRecord {
  /** Unique id of this escalation (a conversation may escalate several times). */
  id: string;
  /** The conversation key (`channel:conversationId`), the id agent actions take. */
  key: string;
  ref: ConversationRef;
  state: HandoffState;
  reason: HandoffReason;
  /** Short machine detail of the reason (rule name, score), never customer text. */
  detail?: string;
  /** Higher first. 0 normal; anger +1; VIP tier +2. */
  priority: number;
  locale: Locale;
  /** The customer's topic intent (the last meaningful one, not `agent.request`). */
  intent: string;
  /** The skill routing looked for, derived from `intent`. */
  skill: string;
  sentiment?: SentimentSummary;
  customer: CustomerSummary;
  agentId?: string;
  requestedAt: number;
  assignedAt?: number;
  firstResponseAt?: number;
  resolvedAt?: number;
  /** 1..5, when the customer answered the satisfaction question. */
  csat?: number;
  ticketId?: string;
  /** While queued: the agent routing offered the conversation to, until they accept, decline or the offer expires. */
  offer?: { agentId: string; at: number; expiresAt: number };
  /** Agents who declined (or let expire) an offer of this conversation; routing offers it to others first. */
  declinedBy?: string[];
  /** 1-based queue position last told to the customer, while queued. */
  queuePosition?: number;
  /** The turn that escalated (a retried turn finds its own record instead of escalating twice). */
  turnId?: string;
  /** The last turns before the escalation (bounded); what follows is in the conversation's messages. */
  transcript: TranscriptEntry[];
  /** Channel-specific mappings, e.g. `{ 'slack.thread_ts': '1712345.000100' }`. */
  links: Record<string, string>;
  /** Agents this conversation was transferred away from, oldest first. */
  transfers: Array<{ from?: string; to?: string; skill?: string; at: number }>;
  /** The tier serving it: 'agent' (absent) until an agent escalates it to the expert queue. */
  level?: 'agent' | 'expert';
  /** The agent who escalated it to the experts, when, and their note (internal, never sent to the customer). */
  escalatedBy?: string;
  escalatedAt?: number;
  escalationNote?: string;
  /** The first reply of an expert after the escalation (the expert tier's first-response time). */
  expertFirstResponseAt?: number;
  /** When a tier's first-response target (SLA) was found breached (each tier alerts once). */
  slaBreachedAt?: Partial<Record<'agent' | 'expert', number>>;
  updatedAt: number;
}

export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed';
export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'pending', 'resolved', 'closed'];
/** Statuses of a ticket nobody works on any more: the only ones retention deletes. */
export const DONE_TICKET_STATUSES: readonly TicketStatus[] = ['resolved', 'closed'];

/** A 工单: a conversation no agent could take live, answered later on the customer's channel. */
export interface Ticket {
  /** Human-readable number, e.g. 'T-000042'. */
  id: string;
  key: string;
  ref: ConversationRef;
  handoffId?: string;
  status: TicketStatus;
  priority: number;
  assigneeId?: string;
  locale: Locale;
  intent: string;
  customer: CustomerSummary;
  /** Why no agent took it: 'closed' (outside business hours) or 'no-agent'. */
  cause: 'closed' | 'no-agent';
  transcript: TranscriptEntry[];
  history: Array<{ at: number; by?: string; action: 'created' | 'status' | 'assigned' | 'priority' | 'answered' | 'note' | 'customer' | 'reopened'; detail?: string }>;
  /** Channel-specific mappings, e.g. `{ 'slack.thread_ts': '1712345.000100' }` for the ticket's support thread. */
  links?: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export type InboxStatus = 'open' | 'labelled' | 'dismissed' | 'exported';
/** The order the inbox is listed in: open first. */
export const INBOX_STATUS_RANK: Readonly<Record<InboxStatus, number>> = { open: 0, labelled: 1, dismissed: 2, exported: 3 };
/** Which entries go first when the inbox is over its limit (labelled ones never do). */
export const INBOX_PRUNE_RANK: Readonly<Record<Exclude<InboxStatus, 'labelled'>, number>> = { exported: 0, dismissed: 1, open: 2 };

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
