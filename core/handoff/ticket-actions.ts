/** Tickets (工单): list, read, update (status, assignee, priority, note) and answer on the customer's channel. */
import type { Desk } from './desk';
import { checkText, failure, guard, isFailure, knownAgent } from './results';
import { systemMessage } from './texts';
import type { ActionResult, DeliveryState, Ticket, TicketPatch, TicketStatus } from './types';

const STATUSES: readonly TicketStatus[] = ['open', 'pending', 'resolved', 'closed'];

export function createTicketActions(desk: Desk) {
  const { repo, outbox, now } = desk;

  function change(t: Ticket, by: string, action: Ticket['history'][number]['action'], detail?: string): void {
    const entry = { at: now(), by, action, ...(detail === undefined ? {} : { detail }) };
    t.history.push(entry);
    t.updatedAt = entry.at;
    desk.emit({ type: 'ticket.updated', key: t.key, ticket: t, at: entry.at, change: entry });
  }

  function missing(id: string) {
    return failure('KEFU_ERR_TICKET_NOT_FOUND', `No ticket "${id}"; ticket ids look like T-000042.`);
  }

  return {
    async listTickets(filter: { status?: TicketStatus } = {}): Promise<Ticket[]> {
      const all = await repo.allTickets();
      return all.filter((t) => !filter.status || t.status === filter.status).sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    },

    getTicket: (id: string) => repo.ticket(id),

    updateTicket: (id: string, agentId: string, patch: TicketPatch): Promise<ActionResult<{ ticket: Ticket }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        if (patch.status !== undefined && !STATUSES.includes(patch.status))
          return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `status must be one of ${STATUSES.join(', ')} (got "${patch.status}").`);
        if (patch.priority !== undefined && !(Number.isInteger(patch.priority) && patch.priority >= 0 && patch.priority <= 9))
          return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', 'priority must be an integer 0..9.');
        if (patch.assigneeId) {
          const a = knownAgent(desk, patch.assigneeId);
          if (isFailure(a)) return a;
        }
        if (patch.note !== undefined) {
          const bad = checkText(patch.note, 'note');
          if (bad) return bad;
        }
        return desk.locked(async () => {
          const t = await repo.ticket(id);
          if (!t) return missing(id);
          if (patch.status !== undefined && patch.status !== t.status) {
            t.status = patch.status;
            change(t, agentId, 'status', patch.status);
          }
          if (patch.assigneeId !== undefined && (patch.assigneeId ?? undefined) !== t.assigneeId) {
            t.assigneeId = patch.assigneeId ?? undefined;
            change(t, agentId, 'assigned', patch.assigneeId ?? 'nobody');
          }
          if (patch.priority !== undefined && patch.priority !== t.priority) {
            t.priority = patch.priority;
            change(t, agentId, 'priority', String(patch.priority));
          }
          if (patch.note !== undefined) {
            t.transcript.push({ from: 'note', agentId, text: patch.note, at: now() });
            change(t, agentId, 'note');
          }
          await repo.saveTicket(t);
          return { ok: true as const, ticket: t };
        });
      }),

    answerTicket: (id: string, agentId: string, text: string): Promise<ActionResult<{ ticket: Ticket; delivery: DeliveryState }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const bad = checkText(text);
        if (bad) return bad;
        const locked = await desk.locked(async () => {
          const t = await repo.ticket(id);
          if (!t) return missing(id);
          t.transcript.push({ from: 'agent', agentId, text, at: now() });
          t.assigneeId ??= agentId;
          if (t.status === 'open') t.status = 'pending';
          change(t, agentId, 'answered');
          await repo.saveTicket(t);
          const outboxId = await outbox.enqueue(t.ref, [{ ...systemMessage(t.locale, 'ticketAnswer', { ticket: t.id, text }), from: 'agent' }]);
          return { t, outboxId };
        });
        if (isFailure(locked)) return locked;
        await outbox.drain();
        const delivery: DeliveryState = (await outbox.isPending(locked.outboxId)) ? 'queued' : 'sent';
        return { ok: true as const, ticket: locked.t, delivery };
      }),
  };
}
