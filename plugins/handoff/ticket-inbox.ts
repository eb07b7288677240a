/**
 * Tickets are conversations: while a conversation has an open ticket (or one resolved less than
 * `ticketReopenMs` ago), what the customer writes goes to the ticket, not to the bot. It is
 * appended to the ticket's transcript, reopens it (pending or resolved → open), and its assignee
 * (or, unassigned, the whole team) hears of it through a `ticket.customer_message` event.
 */
import type { Versioned } from '../../core/data';
import { KefuError } from '../../core/errors';
import type { Attachment } from '../../core/model';
import type { Desk } from './desk';
import type { Ticket } from './types';

const MAX_ATTEMPTS = 5;

/** The ticket the customer's message goes to, if any: the conversation's latest (hot state, else the session's), still open or recently resolved. */
export async function ticketFor(desk: Desk, key: string, sessionTicketId: string | undefined): Promise<Ticket | undefined> {
  const id = desk.hot.ticketKeys.get(key) ?? sessionTicketId;
  if (!id) return undefined;
  const t = (await desk.data.tickets.get(id))?.value;
  if (t && t.key === key && takesMessages(t, desk.now(), desk.times.ticketReopenMs)) return t;
  if (desk.hot.ticketKeys.get(key) === id) desk.hot.ticketKeys.delete(key);
  return undefined;
}

export function takesMessages(t: Ticket, now: number, reopenMs: number): boolean {
  return t.status === 'open' || t.status === 'pending' || (t.status === 'resolved' && now - t.updatedAt <= reopenMs);
}

export interface CustomerEntry {
  text: string;
  attachments: Attachment[];
  at: number;
}

/** Appends the customer's message to the ticket (compare-and-set, retried), reopening it; tells the agent channels. */
export async function addCustomerMessage(desk: Desk, ticketId: string, entry: CustomerEntry): Promise<Ticket | undefined> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const v: Versioned<Ticket> | undefined = await desk.data.tickets.get(ticketId);
    if (!v) return undefined;
    const t = v.value;
    const changes = [record(t, 'customer', entry.at)];
    if (t.status !== 'open') {
      changes.push(record(t, t.status === 'resolved' || t.status === 'closed' ? 'reopened' : 'status', entry.at, 'open'));
      t.status = 'open';
    }
    t.transcript.push({ from: 'customer', text: entry.text, at: entry.at, ...(entry.attachments.length ? { attachments: entry.attachments } : {}) });
    if ((await desk.data.tickets.update(t, v.version)) === 'ok') {
      desk.hot.ticketKeys.set(t.key, t.id);
      for (const change of changes) desk.emit({ type: 'ticket.updated', key: t.key, ticket: t, at: change.at, change });
      desk.emit({ type: 'ticket.customer_message', key: t.key, ticket: t, at: entry.at, text: entry.text, attachments: entry.attachments });
      return t;
    }
  }
  throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Ticket ${ticketId} kept changing; the customer's message is in the conversation but not yet on the ticket.`);
}

function record(t: Ticket, action: Ticket['history'][number]['action'], at: number, detail?: string): Ticket['history'][number] {
  const entry = { at, by: 'customer', action, ...(detail === undefined ? {} : { detail }) };
  t.history.push(entry);
  t.updatedAt = at;
  return entry;
}
