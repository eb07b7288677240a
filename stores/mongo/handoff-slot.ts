/**
 * "At most one active handoff per conversation", without transactions and without relying on a
 * unique index: the conversation document holds one slot, `activeHandoff`, taken by a conditional
 * update (`activeHandoff: null`) before a handoff becomes active and freed after it stops being
 * active. A slot whose holder is not active (a process died between the two writes) is stale and
 * may be freed; one whose holder was never written is freed once its lease has run out.
 */
import type { MongoContext } from './context';
import { ensureConversation } from './conversations';

/** How long a claim may stay without its handoff record before another escalation may take the slot. */
const CLAIM_LEASE_MS = 30_000;

/** 'claimed': this call took the slot; 'held': `id` already holds it; 'taken': another active handoff holds it. */
export type ClaimResult = 'claimed' | 'held' | 'taken';

/** Takes the conversation's slot for handoff `id`. */
export async function claimSlot(ctx: MongoContext, key: string, id: string): Promise<ClaimResult> {
  await ensureConversation(ctx, key);
  for (let tries = 0; tries < 3; tries++) {
    const res = await ctx.c.conversations.updateOne({ key, activeHandoff: null }, { $set: { activeHandoff: id, activeClaimedAt: Date.now() } });
    if (res.matchedCount === 1) return 'claimed';
    const holder = await slotHolder(ctx, key);
    if (holder === id) return 'held';
    if (holder !== undefined && !(await freeIfStale(ctx, key))) return 'taken';
  }
  return 'taken';
}

/** Frees the slot if `id` holds it. */
export async function releaseSlot(ctx: MongoContext, key: string, id: string): Promise<void> {
  await ctx.c.conversations.updateOne({ key, activeHandoff: id }, { $set: { activeHandoff: null, activeClaimedAt: null } });
}

/** True when no active handoff holds the conversation's slot (a stale holder is freed). */
export async function slotIsFree(ctx: MongoContext, key: string): Promise<boolean> {
  return (await slotHolder(ctx, key)) === undefined || freeIfStale(ctx, key);
}

async function slotHolder(ctx: MongoContext, key: string): Promise<string | undefined> {
  const doc = await ctx.c.conversations.findOne({ key }, { projection: { activeHandoff: 1 } });
  return doc?.activeHandoff ?? undefined;
}

/** Frees the slot when its holder is not this conversation's active handoff (or its lease ran out); false when the holder is live. */
async function freeIfStale(ctx: MongoContext, key: string): Promise<boolean> {
  const doc = await ctx.c.conversations.findOne({ key }, { projection: { activeHandoff: 1, activeClaimedAt: 1 } });
  if (!doc?.activeHandoff) return true;
  const holder = await ctx.c.handoffs.findOne({ id: doc.activeHandoff }, { projection: { key: 1, active: 1 } });
  const stale = holder ? holder.key !== key || !holder.active : Date.now() - (doc.activeClaimedAt ?? 0) > CLAIM_LEASE_MS;
  if (!stale) return false;
  // Conditional on the holder read: a slot claimed again meanwhile stays as it is (the caller looks again).
  await ctx.c.conversations.updateOne({ key, activeHandoff: doc.activeHandoff, activeClaimedAt: doc.activeClaimedAt }, { $set: { activeHandoff: null, activeClaimedAt: null } });
  return true;
}
