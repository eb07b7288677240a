/**
 * Messages and the outbox on MongoDB: one document per message, found by (key, seq); the outbox
 * is the messages in state `pending`, one lane per conversation whose head (lowest pending seq)
 * says when the lane is due. Every read first finishes a commit's leftover copy (conversations.ts).
 */
import type { mongo } from 'mongoose';
import { type Audience, decodeMessage, FAILED_MESSAGE_ORDER, type MessageRepo, pageLimit, type StoredMessage } from '../../core/data';
import type { MongoContext } from './context';
import { settleAll, settleKey } from './conversations';
import type { MessageDoc } from './documents';
import { type DocOrder, readPage } from './paging';
import { deleteSome } from './retention';

const FAILED: DocOrder<StoredMessage> = { order: FAILED_MESSAGE_ORDER, fields: ['doneAt', 'key', 'seq'] };

/** Customers never read internal notes. */
const visibleTo = (audience: Audience): mongo.Filter<MessageDoc> => (audience === 'customer' ? { from: { $ne: 'note' } } : {});

/** The head of each lane with a pending message (its first pending message's due time), due by `at` if given, longest waiting first. */
function laneHeads(at: number | undefined, limit: number): mongo.Document[] {
  return [
    { $match: { state: 'pending' } },
    { $sort: { key: 1, seq: 1 } },
    { $group: { _id: '$key', when: { $first: '$nextAttemptAt' } } },
    ...(at === undefined ? [] : [{ $match: { when: { $lte: at } } }]),
    { $sort: { when: 1, _id: 1 } },
    { $limit: limit },
  ];
}

export function createMongoMessages(ctx: MongoContext): MessageRepo {
  const messages = ctx.c.messages;
  const decodeAll = (docs: readonly MessageDoc[]) => docs.flatMap((d) => decodeMessage(ctx.rows, d) ?? []);
  const isPending = (key: string, seqs: readonly number[]) => ({ key, seq: { $in: [...seqs] }, state: 'pending' as const });

  /** Runs `fn` after finishing the conversation's leftover copy. */
  const onLane = <T>(what: string, key: string, fn: () => Promise<T>) =>
    ctx.run(what, async () => {
      await settleKey(ctx, key);
      return fn();
    });
  /** Runs `fn` after finishing every leftover copy. */
  const onOutbox = <T>(what: string, fn: () => Promise<T>) =>
    ctx.run(what, async () => {
      await settleAll(ctx);
      return fn();
    });

  return {
    after: (key, seq, limit, audience = 'staff') =>
      onLane('read messages', key, async () => {
        const n = pageLimit({ limit });
        return decodeAll(await messages.find({ key, seq: { $gt: seq }, ...visibleTo(audience) }, { sort: { seq: 1 }, limit: n }).toArray());
      }),
    before: (key, seq, limit, audience = 'staff') =>
      onLane('read messages', key, async () => {
        const n = pageLimit({ limit });
        const bound = seq === undefined ? {} : { seq: { $lt: seq } };
        const newest = await messages.find({ key, ...bound, ...visibleTo(audience) }, { sort: { seq: -1 }, limit: n }).toArray();
        return decodeAll(newest.reverse());
      }),
    lastSeq: (key) =>
      ctx.run('read the last seq', async () => {
        const doc = await ctx.c.conversations.findOne({ key }, { projection: { lastSeq: 1 } });
        return doc?.lastSeq ?? 0;
      }),
    pending: (key, limit) =>
      onLane('read the outbox', key, async () => {
        if (limit < 1) return [];
        return decodeAll(await messages.find({ key, state: 'pending' }, { sort: { seq: 1 }, limit }).toArray());
      }),
    dueLanes: (at, limit) =>
      onOutbox('read the outbox', async () => {
        if (limit < 1) return [];
        const heads = await messages.aggregate<{ _id: string }>(laneHeads(at, limit)).toArray();
        return heads.map((h) => h._id);
      }),
    nextDueAt: () =>
      onOutbox('read the outbox', async () => {
        const [head] = await messages.aggregate<{ when: number }>(laneHeads(undefined, 1)).toArray();
        return head?.when;
      }),
    markSent: (key, seqs, at) =>
      onLane('update the outbox', key, async () => {
        await messages.updateMany(isPending(key, seqs), { $set: { state: 'sent', doneAt: at } });
      }),
    markRetry: (key, seq, retry) =>
      onLane('update the outbox', key, async () => {
        const head = await messages.updateOne(isPending(key, [seq]), { $set: { attempts: retry.attempts, lastError: retry.lastError } });
        if (head.matchedCount === 0) return;
        await messages.updateMany({ key, state: 'pending', seq: { $gte: seq } }, { $set: { nextAttemptAt: retry.nextAttemptAt } });
      }),
    markFailed: (key, seq, failure) =>
      onLane('update the outbox', key, async () => {
        await messages.updateOne(isPending(key, [seq]), { $set: { state: 'failed', attempts: failure.attempts, lastError: failure.lastError, doneAt: failure.at } });
      }),
    release: (key, seqs, at) =>
      onLane('update the outbox', key, async () => {
        await messages.updateMany(isPending(key, seqs), { $set: { nextAttemptAt: at } });
      }),
    countPending: () => onOutbox('count the outbox', () => messages.countDocuments({ state: 'pending' })),
    failed: (req = {}) => ctx.run('list failed messages', () => readPage(messages, { state: 'failed' }, FAILED, req, (d) => decodeMessage(ctx.rows, d))),
    // The copied messages, and the conversation's document with those still riding in it and its seq
    // counter: on MongoDB the session lives in that document too, so erasing a conversation ends it.
    eraseConversation: (key) =>
      onLane('erase messages', key, async () => {
        const { deletedCount } = await messages.deleteMany({ key });
        await ctx.c.conversations.deleteOne({ key });
        return deletedCount;
      }),
    // Retention: the conversation documents stay (their seq counters go on).
    deleteOlderThan: (cutoff, limit) => ctx.run('delete old messages', () => deleteSome(messages, { at: { $lt: cutoff }, state: { $ne: 'pending' } }, limit)),
  };
}
