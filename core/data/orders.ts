/**
 * The sort order of every paged list, as key tuples with directions: backends sort by the same
 * tuple and the cursor is that tuple for the last item, so a cursor means the same everywhere.
 */
import type { StoredMessage } from './messages';
import type { CursorPart } from './page';
import { type HandoffRecord, INBOX_STATUS_RANK, type InboxEntry, type Ticket } from './records';

export interface ListOrder<T> {
  /** The sort key of an item. */
  key(item: T): CursorPart[];
  /** 1 ascending, -1 descending, per key part. */
  dirs: readonly (1 | -1)[];
  /** 'n' number, 's' string, per key part (cursor checking). */
  shape: readonly ('s' | 'n')[];
}

/** The queue: higher priority first, then the earlier request, then id. */
export const QUEUE_ORDER: ListOrder<HandoffRecord> = { key: (r) => [r.priority, r.requestedAt, r.id], dirs: [-1, 1, 1], shape: ['n', 'n', 's'] };
/** Handoff lists by state or agent: most recently updated first. */
export const HANDOFF_RECENT_ORDER: ListOrder<HandoffRecord> = { key: (r) => [r.updatedAt, r.id], dirs: [-1, -1], shape: ['n', 's'] };
/** Handoffs by request time, oldest first. */
export const HANDOFF_REQUESTED_ORDER: ListOrder<HandoffRecord> = { key: (r) => [r.requestedAt, r.id], dirs: [1, 1], shape: ['n', 's'] };
/** Tickets: higher priority first, then the oldest, then id. */
export const TICKET_ORDER: ListOrder<Ticket> = { key: (t) => [t.priority, t.createdAt, t.id], dirs: [-1, 1, 1], shape: ['n', 'n', 's'] };
/** The inbox: open first, most frequent, most recent, then id. */
export const INBOX_ORDER: ListOrder<InboxEntry> = { key: (e) => [INBOX_STATUS_RANK[e.status], e.count, e.lastAt, e.id], dirs: [1, -1, -1, 1], shape: ['n', 'n', 'n', 's'] };
/** Messages given up on: the most recent first. */
export const FAILED_MESSAGE_ORDER: ListOrder<StoredMessage> = { key: (m) => [m.delivery?.doneAt ?? 0, m.key, m.seq], dirs: [-1, -1, -1], shape: ['n', 's', 'n'] };
