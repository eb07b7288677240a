/** The unrecognised-messages inbox on MongoDB: one document per entry, with its list and prune ranks as plain fields. */
import { INBOX_ORDER, INBOX_PRUNE_RANK, INBOX_STATUS_RANK, type InboxEntry, type InboxRepo } from '../../core/data';
import type { MongoContext } from './context';
import type { InboxDoc } from './documents';
import { type DocOrder, readFirst, readPage } from './paging';
import { deleteSome } from './retention';
import { listDecoder, putVersioned, readVersioned } from './versioned';

const ORDER: DocOrder<InboxEntry> = { order: INBOX_ORDER, fields: ['statusRank', 'count', 'lastAt', 'id'] };
/** Which entries go first when the inbox is over its limit (labelled ones have no prune rank). */
const PRUNE_ORDER = { pruneRank: 1, count: 1, lastAt: 1, id: 1 } as const;

function toDoc(ctx: MongoContext, e: InboxEntry): Omit<InboxDoc, 'version'> {
  return {
    id: e.id,
    status: e.status,
    statusRank: INBOX_STATUS_RANK[e.status],
    pruneRank: e.status === 'labelled' ? null : INBOX_PRUNE_RANK[e.status],
    locale: e.locale,
    count: e.count,
    lastAt: e.lastAt,
    body: ctx.rows.encode('inbox', e.id, e),
  };
}

export function createMongoInbox(ctx: MongoContext): InboxRepo {
  const inbox = ctx.c.inbox;
  const decode = listDecoder<InboxEntry>(ctx, 'inbox');
  return {
    get: (id) => ctx.run('read an inbox entry', () => readVersioned<InboxDoc, InboxEntry>(ctx, inbox, 'inbox', id, { id })),
    put: (entry, expectedVersion) => ctx.run('save an inbox entry', () => putVersioned(inbox, { id: entry.id }, toDoc(ctx, entry), expectedVersion)),
    delete: (ids) =>
      ctx.run('delete inbox entries', async () => {
        if (ids.length > 0) await inbox.deleteMany({ id: { $in: [...ids] } });
      }),
    list: (filter, req = {}) =>
      ctx.run('list the inbox', () => {
        const where = { ...(filter.status ? { status: filter.status } : {}), ...(filter.locale ? { locale: filter.locale } : {}) };
        return readPage(inbox, where, ORDER, req, decode);
      }),
    count: () => ctx.run('count the inbox', () => inbox.countDocuments({})),
    pruneCandidates: (limit) => ctx.run('find inbox entries to prune', () => readFirst(inbox, { pruneRank: { $ne: null } }, PRUNE_ORDER, limit, decode)),
    deleteOlderThan: (cutoff, limit) => ctx.run('delete old inbox entries', () => deleteSome(inbox, { lastAt: { $lt: cutoff } }, limit)),
  };
}
