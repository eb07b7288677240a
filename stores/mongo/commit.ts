/**
 * `commit`: a turn's session and messages, all or nothing, with MongoDB's single-document
 * atomicity instead of a transaction (see conversations.ts). The one update that decides is
 * filtered on the document as it was read (session version, lastSeq, nothing left to copy): a
 * stale session version is a conflict; a concurrent push only moved lastSeq, so the commit
 * encodes its messages again with the new seqs and retries.
 */
import { type Commit, type CommitResult, customerIdOf, decodeMessage, encodeMessages, type MessageRow } from '../../core/data';
import { KefuError } from '../../core/errors';
import { withFields } from '../../core/objects';
import type { MongoContext } from './context';
import { type ConversationRow, ensureConversation, liveVersion, settle } from './conversations';
import type { ConversationDoc, MessageDoc } from './documents';

/** Tries before giving up with KEFU_ERR_STORE_CONFLICT (each failed try means another commit of the conversation won). */
const MAX_TRIES = 50;
const CONFLICT: CommitResult = { ok: false, conflict: true };

type Attempt = { done: CommitResult } | { retry: true };

export function createCommit(ctx: MongoContext, ttlSeconds: number) {
  /** One try against the document as read now. */
  async function attempt(c: Commit, sessionBody: string | undefined): Promise<Attempt> {
    const doc = await settle(ctx, await ensureConversation(ctx, c.key));
    const at = ctx.now();
    if (c.session && liveVersion(doc, at) !== c.session.expectedVersion) return { done: CONFLICT };
    const rows = encodeMessages(ctx.rows, c.key, c.ref, c.messages, doc.lastSeq, at).map(toMessageDoc);
    if (rows.length === 0 && !c.session) return { done: { ok: true, messages: [] } };
    const set: Partial<ConversationDoc> = {
      lastSeq: doc.lastSeq + rows.length,
      pending: rows.length ? rows : null,
      pendingAt: rows.length ? at : null,
      customer: customerIdOf(c.ref),
      activeAt: at,
    };
    if (c.session && sessionBody !== undefined) Object.assign(set, sessionFields(sessionBody, c.session.expectedVersion + 1, at, ttlSeconds));
    const won = await ctx.c.conversations.updateOne(stateAsRead(doc), { $set: set });
    if (won.matchedCount !== 1) return { retry: true };
    // The turn is stored now. A copy that fails here is finished by the next reader (and must not
    // report a stored turn as failed, which would make the caller retry it).
    await settle(ctx, withFields(doc, set) as ConversationRow).catch(() => undefined);
    return { done: { ok: true, messages: rows.flatMap((r) => decodeMessage(ctx.rows, r) ?? []) } };
  }

  return async function commit(c: Commit): Promise<CommitResult> {
    // Encoded before anything is written: a session JSON cannot hold fails the commit whole.
    const sessionBody = c.session ? ctx.rows.encode('sessions', c.key, c.session.value) : undefined;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const result = await attempt(c, sessionBody);
      if ('done' in result) return result.done;
      await pause(tries);
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Saving conversation "${c.key}" kept losing to concurrent writes (${MAX_TRIES} tries); retry the turn.`);
  };
}

/** The filter that matches the document only while it is as it was read. */
function stateAsRead(doc: ConversationRow) {
  return { _id: doc._id, version: doc.version, lastSeq: doc.lastSeq, pendingAt: null };
}

function sessionFields(body: string, version: number, at: number, ttlSeconds: number): Partial<ConversationDoc> {
  return { body, version, updatedAt: at, expiresAt: ttlSeconds > 0 ? at + ttlSeconds * 1000 : null };
}

/** A row with explicit nulls, as the messages collection keeps it. */
export function toMessageDoc(r: MessageRow): MessageDoc {
  return withFields(r, { state: r.state ?? null, lastError: r.lastError ?? null, doneAt: r.doneAt ?? null });
}

/** A short, growing, jittered wait after a lost race, so a crowd of writers spreads out. */
function pause(tries: number): Promise<void> {
  if (tries < 2) return Promise.resolve();
  const ms = Math.random() * Math.min(50, 2 ** tries);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
