/**
 * Sessions on MongoDB: the session fields of each conversation document. Deleting or sweeping a
 * session clears those fields and keeps the document, whose seq counter and active-handoff slot
 * outlive the session. Expired sessions read as absent at once and are cleared by `sweep()`, which
 * commits also run at most once a minute.
 */
import type { SessionState } from '../../core';
import type { Commit, CommitResult, SessionRepo } from '../../core/data';
import { createCommit } from './commit';
import type { MongoContext } from './context';
import { liveVersion } from './conversations';
import type { ConversationDoc } from './documents';

/** Expired sessions are swept at most this often, after a commit. */
const SWEEP_EVERY_MS = 60_000;

/** The session fields of a conversation without a session. */
const NO_SESSION: Partial<ConversationDoc> = { body: null, version: 0, updatedAt: null, expiresAt: null };

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
        await conversations.updateOne({ key, version: { $gt: 0 } }, { $set: NO_SESSION });
      }),
    sweep: () => ctx.run('sweep expired sessions', sweepNow),
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
