/**
 * Which customer each conversation belongs to, on SQLite: one row per conversation key in
 * `kefu_customer_links`, written by every commit (one upsert in the commit's savepoint) and kept
 * past the session's expiry, so erasure by customer finds conversations whose messages are still
 * kept. Also the migrations that add it and the indexes retention deletes through.
 *
 * A conversation whose customer id is its own key (a web visitor: `web:<conversation id>` both) is
 * stored with `customer` NULL and stays out of the customer index: most conversations are such, and
 * the column and index entry cost about 130 bytes each (issue 8's 1.5 KB per conversation).
 * `conversationsOf(c)` reads the index for `c`, then adds the conversation keyed `c` itself.
 */
import type Database from 'better-sqlite3';
import { type ConversationRef, customerIdOf, decodeCursor, encodeCursor, type Page, type PageRequest, pageLimit, type RowReader, type SessionState } from '../../core';
import { pagedQuery, type SqliteContext } from './common';

/** Migration 4: the customer links (filled from the sessions kept now) and the retention indexes. */
export function addCustomerLinksAndRetentionIndexes(db: Database.Database, rows: RowReader): void {
  db.exec(`
CREATE TABLE kefu_customer_links (
  key TEXT PRIMARY KEY NOT NULL,
  customer TEXT NOT NULL,
  active_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX kefu_customer_links_customer ON kefu_customer_links (customer, key);
CREATE INDEX kefu_customer_links_active ON kefu_customer_links (active_at);
CREATE INDEX kefu_messages_at ON kefu_messages (at);
CREATE INDEX kefu_handoffs_finished ON kefu_handoffs (updated_at) WHERE state IN ('resolved', 'ticket', 'cancelled');
CREATE INDEX kefu_tickets_done ON kefu_tickets (updated_at) WHERE status IN ('resolved', 'closed');
CREATE INDEX kefu_inbox_last_at ON kefu_inbox (last_at);
`);
  // The version 4 table: every row names its customer (migration 5 then drops the self ones).
  const insert = db.prepare('INSERT OR REPLACE INTO kefu_customer_links (key, customer, active_at) VALUES (?, ?, ?)');
  const link = (key: string, ref: ConversationRef, at: number) => insert.run(key, customerIdOf(ref), at);
  // A page at a time: better-sqlite3 cannot write while a read is open.
  const page = db.prepare<[string], { key: string; body: string; updated_at: number }>('SELECT key, body, updated_at FROM kefu_conversations WHERE key > ? ORDER BY key LIMIT 500');
  for (let after = ''; ; ) {
    const sessions = page.all(after);
    for (const row of sessions) {
      const ref = sessionRefOf(rows, row.key, row.body);
      if (ref) link(row.key, ref, row.updated_at);
    }
    const last = sessions.at(-1);
    if (!last || sessions.length < 500) return;
    after = last.key;
  }
}

/** Migration 5: `customer` NULL where it equals the key, and the customer index only over the others. */
export function linkSelfCustomersByKey(db: Database.Database): void {
  db.exec(`
CREATE TABLE kefu_customer_links_v5 (
  key TEXT PRIMARY KEY NOT NULL,
  customer TEXT,
  active_at INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO kefu_customer_links_v5 (key, customer, active_at)
  SELECT key, CASE WHEN customer = key THEN NULL ELSE customer END, active_at FROM kefu_customer_links;
DROP TABLE kefu_customer_links;
ALTER TABLE kefu_customer_links_v5 RENAME TO kefu_customer_links;
CREATE INDEX kefu_customer_links_customer ON kefu_customer_links (customer, key) WHERE customer IS NOT NULL;
CREATE INDEX kefu_customer_links_active ON kefu_customer_links (active_at);
`);
}

/** The ref a stored session names, or undefined when it cannot be read (that conversation is then found by its key only). */
function sessionRefOf(rows: RowReader, key: string, body: string): ConversationRef | undefined {
  try {
    return rows.tryDecode<SessionState>('sessions', key, body)?.ref;
  } catch {
    return undefined;
  }
}

/**
 * `active_at` moves in steps of this much: a turn writes its link only when the customer changed or
 * the stored time is older than one step, so most turns read the row and write nothing (retention
 * counts in days).
 */
const ACTIVE_AT_STEP_MS = 3_600_000;

/** Links a conversation to its ref's customer, as of `at` (inside the caller's transaction). */
export function linkWriter(db: Database.Database) {
  const upsert = db.prepare(
    `INSERT INTO kefu_customer_links (key, customer, active_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET customer = excluded.customer, active_at = excluded.active_at
     WHERE customer IS NOT excluded.customer OR active_at < excluded.active_at - ${ACTIVE_AT_STEP_MS}`,
  );
  return (key: string, ref: Pick<ConversationRef, 'channel' | 'userId'>, at: number) => {
    const customer = customerIdOf(ref);
    upsert.run(key, customer === key ? null : customer, at);
  };
}

/**
 * The page with the conversation keyed `own` (the customer's own, stored without a customer) in its
 * place by key: after the cursor, before the end of the page or on the last page; the page keeps
 * its size, so a key it pushes out starts the next one.
 */
function withOwnKey(page: Page<string>, own: string, req: PageRequest): Page<string> {
  const after = req.after === undefined ? undefined : (decodeCursor(req.after, ['s'])[0] as string);
  const last = page.items.at(-1);
  if ((after !== undefined && own <= after) || (page.next !== undefined && last !== undefined && own > last)) return page;
  const items = [...page.items, own].sort();
  const limit = pageLimit(req);
  if (items.length <= limit && page.next === undefined) return { items };
  const kept = items.slice(0, limit);
  return { items: kept, next: encodeCursor([kept.at(-1) as string]) };
}

export function createSqliteCustomerLinks(ctx: SqliteContext) {
  const { db } = ctx;
  const q = {
    forget: db.prepare('DELETE FROM kefu_customer_links WHERE key = ?'),
    ownKey: db.prepare<[string], { key: string }>('SELECT key FROM kefu_customer_links WHERE key = ? AND customer IS NULL'),
    expire: db.prepare('DELETE FROM kefu_customer_links WHERE key IN (SELECT key FROM kefu_customer_links WHERE active_at < ? ORDER BY active_at LIMIT ?)'),
  };
  return {
    /** Inside the caller's statement run (a session's delete). */
    forget: (key: string) => q.forget.run(key),
    conversationsOf: (customer: string, req: PageRequest = {}) =>
      ctx.run('list the conversations of a customer', () => {
        const page = pagedQuery<{ key: string }, string>(
          db,
          {
            select: 'SELECT key FROM kefu_customer_links',
            where: ['customer = ?'],
            params: [customer],
            cols: [{ sql: 'key', dir: 1 }],
            shape: ['s'],
            rowKey: (r) => [r.key],
          },
          req,
          (r) => r.key,
        );
        return q.ownKey.get(customer) ? withOwnKey(page, customer, req) : page;
      }),
    deleteLinksOlderThan: (cutoff: number, limit: number) => ctx.write('delete customer links', () => q.expire.run(cutoff, limit).changes),
  };
}
