/**
 * Sessions on MongoDB: the session fields of each conversation document. Deleting or sweeping a
 * session clears those fields and keeps the document, whose seq counter and active-handoff slot
 * outlive the session. Expired sessions read as absent at once and are cleared by `sweep()`, which
 * commits also run at most once a minute.
 */
import type { SessionState } from '../../core';
import type { Commit, CommitResult, ListOrder, SessionRepo } from '../../core/data';
import { createCommit } from './commit';
import type { MongoContext } from './context';
import { liveVersion } from './conversations';
import type { ConversationDoc } from './documents';
import { type DocOrder, readPage } from './paging';
import { idsOf } from './retention';

/** Expired sessions are swept at most this often, after a commit. */
const SWEEP_EVERY_MS = 60_000;

/** The session fields of a conversation without a session. */
const NO_SESSION: Partial<ConversationDoc> = { body: null, version: 0, updatedAt: null, expiresAt: null };
/** A customer's conversations, by key. */
const BY_KEY: DocOrder<string> = { order: { key: (k) => [k], dirs: [1], shape: ['s'] } satisfies ListOrder<string>, fields: ['key'] };

export interface MongoSessions {
  sessions: SessionRepo;
  commit(c: Commit): Promise<CommitResult>;
}

export function createMongoSessions(ctx: MongoContext, ttlSeconds: number): MongoSessions {
  const conversations = ctx.c.conversations;
  const commitOnce = createCommit(ctx, ttlSeconds);
  let lastSweep = ctx.now();

  async function sweepNow(): Promise<number> {
    const at = ctx.now();
    lastSweep = at;
    const res = await conversations.updateMany({ version: { $gt: 0 }, expiresAt: { $ne: null, $lt: at } }, { $set: NO_SESSION });
    return res.modifiedCount;
  }

  /** Opportunistic: a failed sweep waits for the next commit. */
  async function sweepNowAndThen(): Promise<void> {
    if (ttlSeconds <= 0 || ctx.now() - lastSweep < SWEEP_EVERY_MS) return;
    await sweepNow().catch(() => undefined);
  }

  const sessions: SessionRepo = {
    read: (key) =>
      ctx.run('read a session', async () => {
        const doc = await conversations.findOne({ key }, { projection: { body: 1, version: 1, expiresAt: 1 } });
        const version = liveVersion(doc, ctx.now());
        if (!doc || version === 0 || doc.body === null) return undefined;
        return { value: ctx.rows.decodeOrNull<SessionState>('sessions', key, doc.body), version };
      }),
    delete: (key) =>
      ctx.run('delete a session', async () => {
        await conversations.updateOne({ key }, { $set: { ...NO_SESSION, customer: null, activeAt: null } });
      }),
    sweep: () => ctx.run('sweep expired sessions', sweepNow),
    conversationsOf: (customer, req = {}) => ctx.run('list the conversations of a customer', () => readPage(conversations, { customer }, BY_KEY, req, (d) => d.key)),
    // The documents stay (their seq counters and active slots go on); only the link goes.
    deleteLinksOlderThan: (cutoff, limit) =>
      ctx.run('delete customer links', async () => {
        const ids = await idsOf(conversations, { activeAt: { $lt: cutoff } }, limit);
        if (ids.length === 0) return 0;
        return (await conversations.updateMany({ _id: { $in: ids } } as Parameters<typeof conversations.updateMany>[0], { $set: { customer: null, activeAt: null } }))
          .modifiedCount;
      }),
  };

  return {
    sessions,
    commit: (c) =>
      ctx.run('save a turn', async () => {
        const result = await commitOnce(c);
        await sweepNowAndThen();
        return result;
      }),
  };
}
