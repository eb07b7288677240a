/** Opening a handoff from a turn: record, route, or ticket, and what to tell the customer now. */
import type { HandoffReason } from '../../core/context';
import type { Versioned } from '../../core/data';
import type { ConversationRef, Locale, OutboundMessage } from '../../core/model';
import { type Desk, minutes } from './desk';
import { priorityFor, skillForIntent, speakerPresent } from './routing';
import { cancelButton, handoffText, systemMessage, waitingButtons } from './texts';
import type { HandoffRecord, HandoffSummary, SentimentSummary, TranscriptEntry } from './types';

export interface EscalationInput {
  key: string;
  ref: ConversationRef;
  turnId: string;
  reason: HandoffReason;
  detail?: string;
  locale: Locale;
  intent: string;
  sentiment?: SentimentSummary;
  angry: boolean;
  customer: HandoffRecord['customer'];
  lastTurns: TranscriptEntry[];
}

export interface EscalationOptions {
  priorityTiers: readonly string[];
  intentSkills: Readonly<Record<string, string>>;
}

/** Why a customer waits: an agent is being offered the conversation, all are busy, all are away, or none present speaks the language. */
export type WaitReason = 'offered' | 'busy' | 'away' | 'language';

export type EscalationOutcome =
  | { kind: 'assigned'; record: HandoffRecord; agentName: string }
  | { kind: 'queued'; record: HandoffRecord; position: number; waitMs: number; why: WaitReason }
  | { kind: 'ticket'; ticketId: string; cause: 'closed' | 'no-agent' };

function newRecord(desk: Desk, input: EscalationInput, opts: EscalationOptions): HandoffRecord {
  const at = desk.now();
  return {
    id: `${input.key}#${at}`,
    key: input.key,
    ref: input.ref,
    state: 'queued',
    reason: input.reason,
    ...(input.detail === undefined ? {} : { detail: input.detail }),
    priority: priorityFor({ angry: input.angry, ...(input.customer.tier ? { tier: input.customer.tier } : {}), priorityTiers: opts.priorityTiers }),
    locale: input.locale,
    intent: input.intent,
    skill: skillForIntent(input.intent, opts.intentSkills),
    ...(input.sentiment ? { sentiment: input.sentiment } : {}),
    customer: input.customer,
    requestedAt: at,
    turnId: input.turnId,
    transcript: input.lastTurns,
    links: {},
    transfers: [],
    updatedAt: at,
  };
}

export function escalate(desk: Desk, input: EscalationInput, opts: EscalationOptions): Promise<EscalationOutcome> {
  return desk.locked(async () => {
    const existing = await desk.data.handoffs.active(input.key);
    if (existing) return describe(desk, existing.value); // a retried turn, or already with us
    const v: Versioned<HandoffRecord> = { value: newRecord(desk, input, opts), version: 0 };
    const record = v.value;
    const open = desk.businessHours(record.requestedAt);
    if (!open || !desk.agentViews().some((a) => a.status !== 'offline')) {
      const ticket = await desk.ticketize(v, open ? 'no-agent' : 'closed');
      return { kind: 'ticket', ticketId: ticket.id, cause: ticket.cause };
    }
    if ((await desk.data.handoffs.create(record)) !== 'ok') {
      const raced = await desk.data.handoffs.active(input.key); // another process escalated it meanwhile
      if (raced) return describe(desk, raced.value);
    }
    v.version = 1;
    desk.hot.apply(record, 1);
    const summary: HandoffSummary = {
      customer: record.customer,
      channel: record.ref.channel,
      language: record.locale,
      reason: record.reason,
      intent: record.intent,
      ...(record.sentiment ? { sentiment: record.sentiment } : {}),
      priority: record.priority,
      lastTurns: record.transcript,
      queuePosition: desk.hot.position(record.id) ?? 1,
    };
    desk.emit({ type: 'handoff.initiated', key: record.key, record: { ...record }, at: record.requestedAt, summary });
    const routed = await desk.dispatch(record.key);
    const ticket = routed.tickets.get(record.key);
    if (ticket) return { kind: 'ticket', ticketId: ticket.id, cause: ticket.cause };
    return describe(desk, (await desk.data.handoffs.get(record.id))?.value ?? record);
  });
}

function describe(desk: Desk, r: HandoffRecord): EscalationOutcome {
  if (r.state === 'assigned' && r.agentId) return { kind: 'assigned', record: r, agentName: desk.profile(r.agentId)?.name ?? r.agentId };
  const position = desk.hot.position(r.id) ?? 1;
  return { kind: 'queued', record: r, position, waitMs: desk.waitFor(position), why: waitReason(desk, r) };
}

function waitReason(desk: Desk, r: HandoffRecord): WaitReason {
  if (r.offer) return 'offered';
  const agents = desk.agentViews();
  if (!speakerPresent(r.locale, agents)) return 'language';
  return agents.some((a) => a.status === 'online' && a.languages.includes(r.locale)) ? 'busy' : 'away';
}

const WAIT_TEXT = { offered: 'offered', busy: 'queued', away: 'queuedAway', language: 'noLanguageAgent' } as const;

export interface ReplyOptions {
  /** Say first that a person will take over, when nothing in this turn said so (anger, misunderstanding, rules). */
  introduce?: boolean;
  /** The customer is upset: apologise and acknowledge it before any status (安抚话术). */
  angry?: boolean;
}

/**
 * What the customer is told: soothing words first when they are upset, then the real state: who
 * is with them, their place in the queue and why they wait (with "Leave a ticket" unless an agent
 * is being offered the conversation), or their ticket. Never "connecting" when nobody is free.
 */
export function escalationReply(outcome: EscalationOutcome, locale: Locale, opts: ReplyOptions = {}): OutboundMessage {
  const lead = [opts.angry ? handoffText(locale, 'soothe') : undefined];
  let message: OutboundMessage;
  switch (outcome.kind) {
    case 'assigned':
      message = systemMessage(locale, 'assigned', { agent: outcome.agentName });
      break;
    case 'queued': {
      const vars = { position: outcome.position, minutes: minutes(outcome.waitMs) };
      const buttons = outcome.why === 'offered' ? cancelButton(locale) : waitingButtons(locale);
      message = systemMessage(locale, WAIT_TEXT[outcome.why], vars, buttons);
      if (opts.introduce && outcome.why === 'offered') lead.push(handoffText(locale, 'connecting'));
      break;
    }
    case 'ticket':
      message = systemMessage(locale, outcome.cause === 'closed' ? 'ticketClosed' : 'ticketNoAgent', { ticket: outcome.ticketId });
  }
  const prefix = lead.filter(Boolean).join(locale === 'zh' ? '' : ' ');
  return prefix ? { ...message, text: `${prefix}${locale === 'zh' ? '' : ' '}${message.text}` } : message;
}
