/**
 * How the console finds conversations without a full scan per keystroke: a search reads the most
 * recently updated {@link SEARCH_WINDOW} handoffs and tickets through the repositories' indexed,
 * paged lists (plus exact lookups of a ticket id or a conversation key, at any age) and matches
 * the customer's name, email and id, the ticket id, the topic and the escalation's transcript
 * (the last turns before it; later messages are not searched). Older records are reached by id.
 */
import { readAllPages } from '../../core';
import type { HandoffRecord, HandoffService, PastConversation, Ticket } from '../../plugins/handoff';
import type { StaffMember } from '../staff/roles';
import { mayReadRecord, mayReadTicket } from './console-access';

/** How many of the most recently updated handoffs (and tickets) a search or a profile reads. */
export const SEARCH_WINDOW = 500;
const PAGE = 250;

export type Hit = { kind: 'conversation'; record: HandoffRecord } | { kind: 'ticket'; ticket: Ticket };

/** The most recently updated handoffs and tickets, at most `SEARCH_WINDOW` of each. */
export async function recentWindow(handoff: HandoffService): Promise<{ records: HandoffRecord[]; tickets: Ticket[] }> {
  const window = { limit: PAGE, max: SEARCH_WINDOW };
  const records = await readAllPages((req) => handoff.list({}, req), window);
  const tickets = await readAllPages((req) => handoff.listTickets({}, req), window);
  return { records, tickets };
}

const fold = (s: string | undefined) => (s ?? '').toLocaleLowerCase();

function customerMatches(c: HandoffRecord['customer'], q: string): boolean {
  return [c.name, c.email, c.userId].some((v) => fold(v).includes(q));
}

export function recordMatches(r: HandoffRecord, q: string): boolean {
  return customerMatches(r.customer, q) || fold(r.key).includes(q) || fold(r.ticketId) === q || fold(r.intent).includes(q) || r.transcript.some((t) => fold(t.text).includes(q));
}

export function ticketMatches(t: Ticket, q: string): boolean {
  return fold(t.id).includes(q) || customerMatches(t.customer, q) || fold(t.intent).includes(q) || t.transcript.some((e) => fold(e.text).includes(q));
}

/** Exact hits found by id at any age: a ticket id (`T-000042`, or just 42) or a conversation key. */
async function exactHits(handoff: HandoffService, raw: string): Promise<Hit[]> {
  const hits: Hit[] = [];
  const number = /^(?:t-?)?(\d{1,9})$/i.exec(raw)?.[1];
  const ticket = number ? await handoff.getTicket(`T-${number.padStart(6, '0')}`) : undefined;
  if (ticket) hits.push({ kind: 'ticket', ticket });
  const record = raw.includes(':') ? await handoff.get(raw) : undefined;
  if (record) hits.push({ kind: 'conversation', record });
  return hits;
}

/** Conversations (one hit per conversation key, its latest handoff) and tickets `me` may see, newest first. */
export async function search(handoff: HandoffService, me: StaffMember, raw: string): Promise<Hit[]> {
  const q = fold(raw.trim());
  const { records, tickets } = await recentWindow(handoff);
  const hits = [...(await exactHits(handoff, raw.trim()))];
  for (const r of records) if (recordMatches(r, q)) hits.push({ kind: 'conversation', record: r });
  for (const t of tickets) if (ticketMatches(t, q)) hits.push({ kind: 'ticket', ticket: t });
  const seen = new Set<string>();
  return hits
    .filter((h) => (h.kind === 'conversation' ? mayReadRecord(me, h.record) : mayReadTicket(me, h.ticket)))
    .filter((h) => {
      const id = h.kind === 'conversation' ? `c ${h.record.key}` : `t ${h.ticket.id}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => updatedAt(b) - updatedAt(a));
}

const updatedAt = (h: Hit) => (h.kind === 'conversation' ? h.record.updatedAt : h.ticket.updatedAt);

const sameCustomer = (r: HandoffRecord | Ticket, of: HandoffRecord) =>
  r.key === of.key || (!of.customer.visitor && !r.customer.visitor && r.ref.channel === of.ref.channel && r.customer.userId === of.customer.userId);

/** The customer's handoffs and tickets: the same conversation key, or the same verified user id on the channel; newest first. */
export async function pastConversations(handoff: HandoffService, of: HandoffRecord): Promise<PastConversation[]> {
  const { records, tickets } = await recentWindow(handoff);
  const past: PastConversation[] = [];
  for (const r of records.filter((x) => sameCustomer(x, of)))
    past.push({
      kind: 'conversation',
      key: r.key,
      id: r.id,
      state: r.state,
      intent: r.intent,
      at: r.requestedAt,
      ...(r.agentId ? { agentId: r.agentId } : {}),
      ...(r.csat !== undefined ? { csat: r.csat } : {}),
      ...(r.ticketId ? { ticketId: r.ticketId } : {}),
    });
  for (const t of tickets.filter((x) => sameCustomer(x, of)))
    past.push({ kind: 'ticket', key: t.key, id: t.id, state: t.status, intent: t.intent, at: t.createdAt, ...(t.assigneeId ? { agentId: t.assigneeId } : {}) });
  return past.sort((a, b) => b.at - a.at);
}
