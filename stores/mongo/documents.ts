/**
 * The MongoDB documents of each collection, and the collections of one store. Every record's JSON
 * is sealed by the codec into `body`; what a repository filters and sorts on (keys, states,
 * agents, times, ranks) is kept beside it in plain fields, so the indexes work on encrypted data.
 * `_id` is always the server's ObjectId: keys and ids live in their own fields.
 */
import type { mongo } from 'mongoose';
import type { HandoffState, InboxStatus, MessageRow, TicketStatus } from '../../core/data';

/** A message as stored: a MessageRow with explicit nulls instead of absent optional fields. */
export interface MessageDoc extends MessageRow {
  state: 'pending' | 'sent' | 'failed' | null;
  lastError: string | null;
  doneAt: number | null;
}

/**
 * One conversation: its session (sealed JSON, version, expiry), the counter its message seqs come
 * from, the messages of a commit still being copied into the messages collection, and which
 * handoff holds its one active slot.
 */
export interface ConversationDoc {
  key: string;
  /** The session's sealed JSON; null when there is none. */
  body: string | null;
  /** The session's version; 0 when there is none (never written, deleted or swept). */
  version: number;
  updatedAt: number | null;
  /** When the session expires (ms); null without a TTL. Not a TTL index: the document also holds `lastSeq`. */
  expiresAt: number | null;
  /** The highest seq handed out in this conversation. */
  lastSeq: number;
  /** The last commit's messages until they are copied into the messages collection (see commit.ts). */
  pending: MessageDoc[] | null;
  /** When `pending` was written; null when nothing is left to copy. */
  pendingAt: number | null;
  /** The id of the conversation's queued or assigned handoff (see handoff-slot.ts). */
  activeHandoff: string | null;
  /** When `activeHandoff` was claimed (wall clock, ms). */
  activeClaimedAt: number | null;
  /** The customer the conversation belongs to (`customerIdOf` its ref), set by every commit; kept past the session's expiry. */
  customer?: string | null;
  /** When the last commit was (ms): customer links not active since the retention cutoff go. */
  activeAt?: number | null;
}

export interface HandoffDoc {
  id: string;
  key: string;
  state: HandoffState;
  /** state is queued or assigned. */
  active: boolean;
  agentId: string | null;
  priority: number;
  requestedAt: number;
  updatedAt: number;
  /** One tag per link, `JSON.stringify([name, value])`, so `byLink` is an indexed equality match. */
  links: string[];
  body: string;
  version: number;
}

export interface TicketDoc {
  id: string;
  key: string;
  status: TicketStatus;
  priority: number;
  assigneeId: string | null;
  createdAt: number;
  updatedAt: number;
  body: string;
  version: number;
}

export interface InboxDoc {
  id: string;
  status: InboxStatus;
  /** INBOX_STATUS_RANK of the status: the first key of the list order. */
  statusRank: number;
  /** INBOX_PRUNE_RANK of the status; null for labelled entries, which are never pruned. */
  pruneRank: number | null;
  locale: string;
  count: number;
  lastAt: number;
  body: string;
  version: number;
}

export interface AuditDoc {
  seq: number;
  body: string;
}

export interface CounterDoc {
  scope: string;
  /** Counter name (escaped, see counters.ts) → value. */
  values: Record<string, number>;
}

export interface MetaDoc {
  name: string;
  body: string;
  version: number;
}

export interface SequenceDoc {
  name: string;
  seq: number;
}

export interface Collections {
  conversations: mongo.Collection<ConversationDoc>;
  messages: mongo.Collection<MessageDoc>;
  handoffs: mongo.Collection<HandoffDoc>;
  tickets: mongo.Collection<TicketDoc>;
  inbox: mongo.Collection<InboxDoc>;
  audit: mongo.Collection<AuditDoc>;
  counters: mongo.Collection<CounterDoc>;
  meta: mongo.Collection<MetaDoc>;
  sequences: mongo.Collection<SequenceDoc>;
}

/** Put before every collection name unless the store is given another prefix. */
export const DEFAULT_COLLECTION_PREFIX = 'kefu_';

/** The collection names without the store's prefix. */
export const COLLECTION_NAMES: readonly (keyof Collections)[] = ['conversations', 'messages', 'handoffs', 'tickets', 'inbox', 'audit', 'counters', 'meta', 'sequences'];

/** The store's collections in `db`, each named `<prefix><name>`. */
export function openCollections(db: mongo.Db, prefix: string): Collections {
  return {
    conversations: db.collection<ConversationDoc>(`${prefix}conversations`),
    messages: db.collection<MessageDoc>(`${prefix}messages`),
    handoffs: db.collection<HandoffDoc>(`${prefix}handoffs`),
    tickets: db.collection<TicketDoc>(`${prefix}tickets`),
    inbox: db.collection<InboxDoc>(`${prefix}inbox`),
    audit: db.collection<AuditDoc>(`${prefix}audit`),
    counters: db.collection<CounterDoc>(`${prefix}counters`),
    meta: db.collection<MetaDoc>(`${prefix}meta`),
    sequences: db.collection<SequenceDoc>(`${prefix}sequences`),
  };
}
