/** Tickets (工单): list, read, update (status, assignee, priority, note) and answer on the customer's channel. */
import type { PageRequest, TicketFilter, Versioned } from '../../core/data';
import { KefuError } from '../../core/errors';
import type { Desk } from './desk';
import { checkText, failure, guard, isFailure, knownAgent } from './results';
import { systemMessage } from './texts';
import type { ActionResult, DeliveryState, Ticket, TicketPatch, TicketStatus } from './types';

const STATUSES: readonly TicketStatus[] = ['open', 'pending', 'resolved', 'closed'];
const MAX_ATTEMPTS = 5;

/** The meta entry that finds a ticket by one of its links (a link value names one ticket: a Slack thread ts). */
const linkMeta = (name: string, value: string) => `ticket-link:${name}=${value}`;

export function createTicketActions(desk: Desk) {
  const { data, now } = desk;

  function change(t: Ticket, by: string, action: Ticket['history'][number]['action'], detail?: string): Ticket['history'][number] {
    const entry = { at: now(), by, action, ...(detail === undefined ? {} : { detail }) };
    t.history.push(entry);
    t.updatedAt = entry.at;
    return entry;
  }

  function missing(id: string) {
    return failure('KEFU_ERR_TICKET_NOT_FOUND', `No ticket "${id}"; ticket ids look like T-000042.`);
  }

  /**
   * Read-modify-write of a ticket with the version check, retried when another writer got there
   * first; `apply` says whether it changed the ticket (nothing is written when it did not).
   */
  async function rewrite(id: string, apply: (t: Ticket) => boolean): Promise<Ticket | undefined> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const v: Versioned<Ticket> | undefined = await data.tickets.get(id);
      if (!v) return undefined;
      if (!apply(v.value)) return v.value;
      if ((await data.tickets.update(v.value, v.version)) === 'ok') return v.value;
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Ticket ${id} kept changing; retry the action.`);
  }

  /** A change of the ticket: its history entries, then one `ticket.updated` event for each once it is stored. */
  async function edit(id: string, apply: (t: Ticket) => Array<Ticket['history'][number]>): Promise<Ticket | undefined> {
    let changes: Array<Ticket['history'][number]> = [];
    const ticket = await rewrite(id, (t) => {
      changes = apply(t);
      return changes.length > 0;
    });
    if (ticket) for (const c of changes) desk.emit({ type: 'ticket.updated', key: ticket.key, ticket, at: c.at, change: c });
    return ticket;
  }

  function checkPatch(patch: TicketPatch) {
    if (patch.status !== undefined && !STATUSES.includes(patch.status))
      return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `status must be one of ${STATUSES.join(', ')} (got "${patch.status}").`);
    if (patch.priority !== undefined && !(Number.isInteger(patch.priority) && patch.priority >= 0 && patch.priority <= 9))
      return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', 'priority must be an integer 0..9.');
    if (patch.assigneeId) {
      const a = knownAgent(desk, patch.assigneeId);
      if (isFailure(a)) return a;
    }
    return patch.note === undefined ? undefined : checkText(patch.note, 'note');
  }

  function applyPatch(t: Ticket, agentId: string, patch: TicketPatch) {
    const changes: Array<Ticket['history'][number]> = [];
    if (patch.status !== undefined && patch.status !== t.status) {
      t.status = patch.status;
      changes.push(change(t, agentId, 'status', patch.status));
    }
    if (patch.assigneeId !== undefined && (patch.assigneeId ?? undefined) !== t.assigneeId) {
      t.assigneeId = patch.assigneeId ?? undefined;
      changes.push(change(t, agentId, 'assigned', patch.assigneeId ?? 'nobody'));
    }
    if (patch.priority !== undefined && patch.priority !== t.priority) {
      t.priority = patch.priority;
      changes.push(change(t, agentId, 'priority', String(patch.priority)));
    }
    if (patch.note !== undefined) {
      t.transcript.push({ from: 'note', agentId, text: patch.note, at: now() });
      changes.push(change(t, agentId, 'note'));
    }
    return changes;
  }

  /** Sets `links[name]` on the ticket (no history entry, no event: a mapping, not a change of the ticket). */
  const saveLink = (id: string, name: string, value: string) =>
    rewrite(id, (t) => {
      if (t.links?.[name] === value) return false;
      t.links = { ...t.links, [name]: value };
      return true;
    });

  return {
    /** The reverse entry first: a ticket that names a findable link can always be found by it. */
    setTicketLink: (id: string, name: string, value: string, opts: { findable?: boolean } = {}): Promise<ActionResult<{ ticket: Ticket }>> =>
      guard(async () => {
        if (!(await data.tickets.get(id))) return missing(id);
        if (opts.findable !== false) {
          const reverse = await data.meta.get<{ ticketId: string }>(linkMeta(name, value));
          if (reverse?.value.ticketId !== id) await data.meta.put(linkMeta(name, value), { ticketId: id }, reverse?.version ?? 0);
        }
        const ticket = await saveLink(id, name, value);
        return ticket ? { ok: true as const, ticket } : missing(id);
      }),

    /** The ticket whose `links[name]` is `value` (one that was deleted or relinked since is not found). */
    async findTicketByLink(name: string, value: string): Promise<Ticket | undefined> {
      const reverse = await data.meta.get<{ ticketId: string }>(linkMeta(name, value));
      const ticket = reverse ? (await data.tickets.get(reverse.value.ticketId))?.value : undefined;
      return ticket?.links?.[name] === value ? ticket : undefined;
    },

    listTickets: (filter: TicketFilter = {}, req: PageRequest = {}) => data.tickets.list(filter, req),

    getTicket: async (id: string) => (await data.tickets.get(id))?.value,

    updateTicket: (id: string, agentId: string, patch: TicketPatch): Promise<ActionResult<{ ticket: Ticket }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const bad = checkPatch(patch);
        if (bad) return bad;
        const ticket = await edit(id, (t) => applyPatch(t, agentId, patch));
        return ticket ? { ok: true as const, ticket } : missing(id);
      }),

    answerTicket: (id: string, agentId: string, text: string): Promise<ActionResult<{ ticket: Ticket; delivery: DeliveryState }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const bad = checkText(text);
        if (bad) return bad;
        const ticket = await edit(id, (t) => {
          t.transcript.push({ from: 'agent', agentId, text, at: now() });
          t.assigneeId ??= agentId;
          if (t.status === 'open') t.status = 'pending';
          return [change(t, agentId, 'answered')];
        });
        if (!ticket) return missing(id);
        const pushed = await desk.engine().push(ticket.ref, [{ ...systemMessage(ticket.locale, 'ticketAnswer', { ticket: ticket.id, text }), from: 'agent', agentId }]);
        return { ok: true as const, ticket, delivery: pushed.state };
      }),
  };
}
