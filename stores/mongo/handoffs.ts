/**
 * Handoffs on MongoDB: one document per escalation, with the fields the queue, the desk lists and
 * the lookups filter and sort on. Creation takes the conversation's active slot first
 * (handoff-slot.ts), so concurrent escalations of one conversation store exactly one.
 */
import {
  ACTIVE_HANDOFF_STATES,
  FINISHED_HANDOFF_STATES,
  HANDOFF_RECENT_ORDER,
  HANDOFF_REQUESTED_ORDER,
  HANDOFF_STATES,
  type HandoffRecord,
  type HandoffRepo,
  type HandoffState,
  QUEUE_ORDER,
} from '../../core/data';
import type { MongoContext } from './context';
import type { HandoffDoc } from './documents';
import { claimSlot, releaseSlot, slotIsFree } from './handoff-slot';
import { type DocOrder, readFirst, readPage } from './paging';
import { deleteSome } from './retention';
import { compareAndSet, insertIfAbsent, listDecoder, readVersioned, versionedDecoder } from './versioned';

const QUEUE: DocOrder<HandoffRecord> = { order: QUEUE_ORDER, fields: ['priority', 'requestedAt', 'id'] };
const RECENT: DocOrder<HandoffRecord> = { order: HANDOFF_RECENT_ORDER, fields: ['updatedAt', 'id'] };
const REQUESTED: DocOrder<HandoffRecord> = { order: HANDOFF_REQUESTED_ORDER, fields: ['requestedAt', 'id'] };
/** Most recent request first (then the higher id), as `latest` and `byLink` pick. */
const NEWEST = { requestedAt: -1, id: -1 } as const;

const isActive = (state: HandoffState) => ACTIVE_HANDOFF_STATES.includes(state);
const linkTag = (name: string, value: string) => JSON.stringify([name, value]);

/** The document of a record (without its version). */
function toDoc(ctx: MongoContext, r: HandoffRecord): Omit<HandoffDoc, 'version'> {
  return {
    id: r.id,
    key: r.key,
    state: r.state,
    active: isActive(r.state),
    agentId: r.agentId ?? null,
    priority: r.priority,
    requestedAt: r.requestedAt,
    updatedAt: r.updatedAt,
    links: Object.entries(r.links).map(([name, value]) => linkTag(name, value)),
    body: ctx.rows.encode('handoffs', r.id, r),
  };
}

export function createMongoHandoffs(ctx: MongoContext): HandoffRepo {
  const handoffs = ctx.c.handoffs;
  const decode = listDecoder<HandoffRecord>(ctx, 'handoffs');
  const decodeVersioned = versionedDecoder<HandoffRecord>(ctx, 'handoffs');
  const first = async (filter: Record<string, unknown>) => (await readFirst(handoffs, filter, NEWEST, 1, decodeVersioned))[0];

  /** An active record takes the conversation's slot before it is written, and gives it back if the id is taken. */
  async function createActive(doc: Omit<HandoffDoc, 'version'>): Promise<'ok' | 'exists'> {
    if ((await claimSlot(ctx, doc.key, doc.id)) !== 'claimed') return 'exists';
    if (await insertIfAbsent(handoffs, { id: doc.id }, doc)) return 'ok';
    await releaseSlot(ctx, doc.key, doc.id);
    return 'exists';
  }

  /** A finished record is stored as the memory backend does: not while the conversation has an active one. */
  async function createInactive(doc: Omit<HandoffDoc, 'version'>): Promise<'ok' | 'exists'> {
    if (!(await slotIsFree(ctx, doc.key))) return 'exists';
    return (await insertIfAbsent(handoffs, { id: doc.id }, doc)) ? 'ok' : 'exists';
  }

  async function update(record: HandoffRecord, expectedVersion: number): Promise<'ok' | 'conflict'> {
    const doc = toDoc(ctx, record);
    const current = await handoffs.findOne({ id: record.id }, { projection: { key: 1, active: 1, version: 1 } });
    if (!current || current.version !== expectedVersion) return 'conflict';
    // Back to queued or assigned: the slot first. A claim whose write then loses stays with a record
    // that is not active, which the next escalation sees as stale and frees.
    if (doc.active && !current.active && (await claimSlot(ctx, doc.key, doc.id)) === 'taken') return 'conflict';
    if ((await compareAndSet(handoffs, { id: record.id }, doc, expectedVersion)) === 'conflict') return 'conflict';
    if (current.active && !doc.active) await releaseSlot(ctx, current.key, record.id);
    return 'ok';
  }

  async function countBy(field: 'state' | 'agentId', match: Record<string, unknown>): Promise<Array<{ _id: string; n: number }>> {
    return handoffs.aggregate<{ _id: string; n: number }>([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }]).toArray();
  }

  return {
    create: (record) =>
      ctx.run('create a handoff', async () => {
        const doc = toDoc(ctx, record);
        return doc.active ? createActive(doc) : createInactive(doc);
      }),
    update: (record, expectedVersion) => ctx.run('update a handoff', () => update(record, expectedVersion)),
    get: (id) => ctx.run('read a handoff', () => readVersioned<HandoffDoc, HandoffRecord>(ctx, handoffs, 'handoffs', id, { id })),
    active: (key) => ctx.run('read the active handoff', () => first({ key, active: true })),
    latest: (key) => ctx.run('read the latest handoff', () => first({ key })),
    queue: (req = {}) => ctx.run('read the queue', () => readPage(handoffs, { state: 'queued' }, QUEUE, req, decode)),
    list: (filter, req = {}) =>
      ctx.run('list handoffs', () => {
        const where = { ...(filter.state ? { state: filter.state } : {}), ...(filter.agentId ? { agentId: filter.agentId } : {}) };
        return readPage(handoffs, where, RECENT, req, decode);
      }),
    requestedBetween: (from, to, req = {}) => ctx.run('list handoffs by request time', () => readPage(handoffs, { requestedAt: { $gte: from, $lt: to } }, REQUESTED, req, decode)),
    byLink: (name, value) => ctx.run('find a handoff by link', () => first({ links: linkTag(name, value) })),
    agentLoads: () =>
      ctx.run('count agent loads', async () => {
        const rows = await countBy('agentId', { state: 'assigned', agentId: { $nin: [null, ''] } });
        return Object.fromEntries(rows.map((r) => [r._id, r.n]));
      }),
    countByState: () =>
      ctx.run('count handoffs', async () => {
        const counts = Object.fromEntries(HANDOFF_STATES.map((s) => [s, 0])) as Record<HandoffState, number>;
        for (const r of await countBy('state', {})) if (r._id in counts) counts[r._id as HandoffState] = r.n;
        return counts;
      }),
    // Links live in the record; the conversation's active slot is freed.
    eraseConversation: (key) =>
      ctx.run('erase handoffs', async () => {
        const { deletedCount } = await handoffs.deleteMany({ key });
        await ctx.c.conversations.updateOne({ key }, { $set: { activeHandoff: null, activeClaimedAt: null } });
        return deletedCount;
      }),
    // Finished records only: an active one holds its conversation's slot and is never deleted here.
    deleteOlderThan: (cutoff, limit) =>
      ctx.run('delete old handoffs', () => deleteSome(handoffs, { state: { $in: [...FINISHED_HANDOFF_STATES] }, updatedAt: { $lt: cutoff } }, limit)),
  };
}
