/**
 * The conversation document, which makes a turn atomic without transactions: a commit writes the
 * session (compare-and-set on its version), the seq counter and the turn's messages (`pending`)
 * in ONE document update, then copies the messages into the messages collection (idempotent
 * upserts by key and seq) and clears `pending`. Until the copy is done no other commit can pass
 * (it requires `pendingAt: null`), and every reader of that conversation's messages first finishes
 * a leftover copy (`settle`), so a process killed in between loses nothing and shows nothing twice.
 */
import type { mongo } from 'mongoose';
import { withFields } from '../../core/objects';
import type { MongoContext } from './context';
import { isDuplicateKey } from './context';
import type { ConversationDoc, MessageDoc } from './documents';

export type ConversationRow = mongo.WithId<ConversationDoc>;

/** A new conversation: no session, no messages, no active handoff. */
const EMPTY: Omit<ConversationDoc, 'key'> = {
  body: null,
  version: 0,
  updatedAt: null,
  expiresAt: null,
  lastSeq: 0,
  pending: null,
  pendingAt: null,
  activeHandoff: null,
  activeClaimedAt: null,
};

/** The conversation's document, created (empty) when there is none. */
export async function ensureConversation(ctx: MongoContext, key: string): Promise<ConversationRow> {
  const options = { upsert: true, returnDocument: 'after' } as const;
  try {
    const doc = await ctx.c.conversations.findOneAndUpdate({ key }, { $setOnInsert: EMPTY }, options);
    if (doc) return doc;
  } catch (err) {
    // Two first writers raced and the unique index refused one: the other's document is there now.
    if (!isDuplicateKey(err)) throw err;
  }
  const doc = await ctx.c.conversations.findOne({ key });
  if (!doc) throw new Error(`the conversation document "${key}" was not created`);
  return doc;
}

/** The session's version as callers see it: 0 when there is none or it expired at `now`. */
export function liveVersion(doc: ConversationDoc | null, now: number): number {
  if (!doc || doc.version === 0) return 0;
  return doc.expiresAt !== null && doc.expiresAt < now ? 0 : doc.version;
}

/** Copies `rows` into the messages collection; rows already there keep their (later) delivery state. */
export async function copyMessages(ctx: MongoContext, rows: readonly MessageDoc[]): Promise<void> {
  if (rows.length === 0) return;
  const writes = rows.map(({ key, seq, ...rest }) => ({ updateOne: { filter: { key, seq }, update: { $setOnInsert: rest }, upsert: true } }));
  try {
    await ctx.c.messages.bulkWrite(writes, { ordered: false });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Finishes a commit's copy of its messages (if one is left) and returns the document as it is afterwards. */
export async function settle(ctx: MongoContext, doc: ConversationRow): Promise<ConversationRow> {
  if (doc.pendingAt === null) return doc;
  await copyMessages(ctx, doc.pending ?? []);
  // No commit passes while pendingAt is set, so lastSeq still names this batch.
  await ctx.c.conversations.updateOne({ _id: doc._id, lastSeq: doc.lastSeq, pendingAt: doc.pendingAt }, { $set: { pending: null, pendingAt: null } });
  return withFields(doc, { pending: null, pendingAt: null });
}

/** Finishes the conversation's leftover copy, if any, before its messages are read or changed. */
export async function settleKey(ctx: MongoContext, key: string): Promise<void> {
  const doc = await ctx.c.conversations.findOne({ key, pendingAt: { $ne: null } });
  if (doc) await settle(ctx, doc);
}

/** Finishes every leftover copy, before the outbox is read across conversations. */
export async function settleAll(ctx: MongoContext): Promise<void> {
  for await (const doc of ctx.c.conversations.find({ pendingAt: { $ne: null } })) await settle(ctx, doc);
}
