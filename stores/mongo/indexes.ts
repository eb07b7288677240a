/**
 * The indexes of every collection, created when a store opens: one per query a repository asks
 * (the list orders of core/data/orders.ts, the outbox lanes, the lookups by key, id or link).
 * Creating an index that exists is a no-op, so every start runs them all.
 */
import type { mongo } from 'mongoose';
import type { Collections } from './documents';

interface IndexSpec {
  key: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
}

const INDEXES: { [C in keyof Collections]: readonly IndexSpec[] } = {
  conversations: [
    { key: { key: 1 }, name: 'kefu_key', unique: true },
    { key: { expiresAt: 1 }, name: 'kefu_expires_at' },
    { key: { pendingAt: 1 }, name: 'kefu_pending_at' },
    { key: { customer: 1, key: 1 }, name: 'kefu_customer' },
    { key: { activeAt: 1 }, name: 'kefu_active_at' },
  ],
  messages: [
    { key: { key: 1, seq: 1 }, name: 'kefu_key_seq', unique: true },
    { key: { state: 1, nextAttemptAt: 1 }, name: 'kefu_outbox_due' },
    { key: { state: 1, key: 1, seq: 1 }, name: 'kefu_outbox_lanes' },
    { key: { state: 1, doneAt: -1, key: -1, seq: -1 }, name: 'kefu_failed' },
    { key: { at: 1 }, name: 'kefu_at' },
  ],
  handoffs: [
    { key: { id: 1 }, name: 'kefu_id', unique: true },
    { key: { key: 1, active: 1 }, name: 'kefu_key_active' },
    { key: { key: 1, requestedAt: -1, id: -1 }, name: 'kefu_key_latest' },
    { key: { state: 1, priority: -1, requestedAt: 1, id: 1 }, name: 'kefu_queue' },
    { key: { state: 1, updatedAt: -1, id: -1 }, name: 'kefu_state_updated' },
    { key: { agentId: 1, updatedAt: -1, id: -1 }, name: 'kefu_agent_updated' },
    { key: { requestedAt: 1, id: 1 }, name: 'kefu_requested' },
    { key: { links: 1 }, name: 'kefu_links' },
  ],
  tickets: [
    { key: { id: 1 }, name: 'kefu_id', unique: true },
    { key: { status: 1, priority: -1, createdAt: 1, id: 1 }, name: 'kefu_status_order' },
    { key: { assigneeId: 1, priority: -1, createdAt: 1, id: 1 }, name: 'kefu_assignee_order' },
    { key: { key: 1, createdAt: -1 }, name: 'kefu_key_created' },
    { key: { status: 1, updatedAt: 1 }, name: 'kefu_status_updated' },
  ],
  inbox: [
    { key: { id: 1 }, name: 'kefu_id', unique: true },
    { key: { statusRank: 1, count: -1, lastAt: -1, id: 1 }, name: 'kefu_inbox_order' },
    { key: { pruneRank: 1, count: 1, lastAt: 1, id: 1 }, name: 'kefu_prune_order' },
    { key: { lastAt: 1 }, name: 'kefu_last_at' },
  ],
  audit: [{ key: { seq: 1 }, name: 'kefu_seq', unique: true }],
  counters: [{ key: { scope: 1 }, name: 'kefu_scope', unique: true }],
  meta: [{ key: { name: 1 }, name: 'kefu_name', unique: true }],
  sequences: [{ key: { name: 1 }, name: 'kefu_name', unique: true }],
};

/** Creates every collection's indexes (one createIndexes command per collection). */
export async function createIndexes(collections: Collections): Promise<void> {
  const names = Object.keys(INDEXES) as (keyof Collections)[];
  await Promise.all(names.map((name) => createCollectionIndexes(collections[name], INDEXES[name])));
}

async function createCollectionIndexes(collection: Pick<mongo.Collection, 'createIndexes'>, specs: readonly IndexSpec[]): Promise<void> {
  await collection.createIndexes(specs.map((s) => ({ key: s.key, name: s.name, ...(s.unique ? { unique: true } : {}) })));
}
