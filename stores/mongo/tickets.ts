/** Tickets on MongoDB: one document per ticket, listed by status or assignee in TICKET_ORDER. */
import { DONE_TICKET_STATUSES, TICKET_ORDER, TICKET_STATUSES, type Ticket, type TicketRepo, type TicketStatus } from '../../core/data';
import type { MongoContext } from './context';
import type { TicketDoc } from './documents';
import { type DocOrder, readFirst, readPage } from './paging';
import { deleteSome } from './retention';
import { compareAndSet, insertIfAbsent, listDecoder, readVersioned, versionedDecoder } from './versioned';

const ORDER: DocOrder<Ticket> = { order: TICKET_ORDER, fields: ['priority', 'createdAt', 'id'] };

function toDoc(ctx: MongoContext, t: Ticket): Omit<TicketDoc, 'version'> {
  return {
    id: t.id,
    key: t.key,
    status: t.status,
    priority: t.priority,
    assigneeId: t.assigneeId ?? null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    body: ctx.rows.encode('tickets', t.id, t),
  };
}

export function createMongoTickets(ctx: MongoContext): TicketRepo {
  const tickets = ctx.c.tickets;
  return {
    create: (ticket) =>
      ctx.run('create a ticket', async () => {
        const doc = toDoc(ctx, ticket);
        return (await insertIfAbsent(tickets, { id: ticket.id }, doc)) ? 'ok' : 'exists';
      }),
    update: (ticket, expectedVersion) => ctx.run('update a ticket', () => compareAndSet(tickets, { id: ticket.id }, toDoc(ctx, ticket), expectedVersion)),
    get: (id) => ctx.run('read a ticket', () => readVersioned<TicketDoc, Ticket>(ctx, tickets, 'tickets', id, { id })),
    list: (filter, req = {}) =>
      ctx.run('list tickets', () => {
        const where = { ...(filter.status ? { status: filter.status } : {}), ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}) };
        return readPage(tickets, where, ORDER, req, listDecoder<Ticket>(ctx, 'tickets'));
      }),
    openFor: (key) =>
      ctx.run('find the open ticket', async () => {
        const open = { key, status: { $in: ['open', 'pending'] } };
        return (await readFirst(tickets, open, { createdAt: -1, id: -1 }, 1, versionedDecoder<Ticket>(ctx, 'tickets')))[0];
      }),
    countByStatus: () =>
      ctx.run('count tickets', async () => {
        const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
        const rows = await tickets.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
        for (const r of rows) if (r._id in counts) counts[r._id as TicketStatus] = r.n;
        return counts;
      }),
    eraseConversation: (key) => ctx.run('erase tickets', async () => (await tickets.deleteMany({ key })).deletedCount),
    deleteOlderThan: (cutoff, limit) => ctx.run('delete old tickets', () => deleteSome(tickets, { status: { $in: [...DONE_TICKET_STATUSES] }, updatedAt: { $lt: cutoff } }, limit)),
  };
}
