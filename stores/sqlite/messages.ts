/**
 * Messages and the durable outbox on SQLite: one row per message keyed by (conversation, seq), with
 * partial indexes over the pending rows so finding due lanes costs the outbox's size, not the
 * transcript's.
 */
import type Database from 'better-sqlite3';
import {
  type Audience,
  type ConversationRef,
  decodeMessage,
  encodeMessages,
  type MessageInput,
  type MessageRepo,
  type MessageRow,
  pageLimit,
  type RowReader,
  type StoredMessage,
  withFields,
} from '../../core';
import { cachedStatement, pagedQuery, type SqliteContext } from './common';

/**
 * kefu_seqs names `<this><key>` for a conversation whose newest message retention deleted: that
 * seq, so the next message does not reuse a seq a client may hold as its cursor.
 */
const AFTER_RETENTION = 'messages-expired:';
/** Retention's batch: the oldest first, through the `at` index; what still waits in the outbox stays. */
const EXPIRED_BATCH = `SELECT rowid FROM kefu_messages WHERE at < @cutoff AND (state IS NULL OR state != 'pending') ORDER BY at, rowid LIMIT @limit`;

const COLUMNS = `key, seq, id, author AS "from", at, body, state, attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError, done_at AS doneAt`;
/** A lane's head: its first pending message. */
const IS_LANE_HEAD = `seq = (SELECT MIN(q.seq) FROM kefu_messages q WHERE q.key = p.key AND q.state = 'pending')`;

export function messageStatements(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO kefu_messages (key, seq, id, author, at, body, state, attempts, next_attempt_at)
       VALUES (@key, @seq, @id, @from, @at, @body, @state, @attempts, @nextAttemptAt)`,
    ),
    // A conversation whose newest message retention deleted goes on after that seq (AFTER_RETENTION).
    lastSeq: db.prepare<{ key: string }, { s: number }>(
      `SELECT MAX(IFNULL((SELECT MAX(seq) FROM kefu_messages WHERE key = @key), 0), IFNULL((SELECT value FROM kefu_seqs WHERE name = '${AFTER_RETENTION}' || @key), 0)) AS s`,
    ),
  };
}

export type MessageStatements = ReturnType<typeof messageStatements>;

/** Appends messages to a conversation (inside the caller's transaction); returns the stored rows. */
export function appendMessages(sql: MessageStatements, rows: RowReader, key: string, ref: ConversationRef, messages: readonly MessageInput[], now: number): MessageRow[] {
  const encoded = encodeMessages(rows, key, ref, messages, (sql.lastSeq.get({ key }) as { s: number }).s, now);
  for (const r of encoded) sql.insert.run(withFields(r, { state: r.state ?? null }));
  return encoded;
}

export function createSqliteMessages(ctx: SqliteContext, rows: RowReader): MessageRepo {
  const { db } = ctx;
  const visible = (audience: Audience) => (audience === 'staff' ? '' : `AND author != 'note'`);
  const decodeAll = (list: MessageRow[]) => list.flatMap((r) => decodeMessage(rows, r) ?? []);
  const { lastSeq } = messageStatements(db);
  const q = {
    pending: db.prepare<[string, number], MessageRow>(`SELECT ${COLUMNS} FROM kefu_messages WHERE key = ? AND state = 'pending' ORDER BY seq LIMIT ?`),
    dueLanes: db.prepare<[number, number], { key: string }>(
      `SELECT p.key FROM kefu_messages p WHERE p.state = 'pending' AND p.next_attempt_at <= ? AND ${IS_LANE_HEAD} ORDER BY p.next_attempt_at, p.key LIMIT ?`,
    ),
    nextDueAt: db.prepare<[], { t: number | null }>(`SELECT MIN(p.next_attempt_at) AS t FROM kefu_messages p WHERE p.state = 'pending' AND ${IS_LANE_HEAD}`),
    markSent: db.prepare(`UPDATE kefu_messages SET state = 'sent', done_at = ? WHERE key = ? AND seq = ? AND state = 'pending'`),
    retryHead: db.prepare(`UPDATE kefu_messages SET attempts = ?, last_error = ? WHERE key = ? AND seq = ? AND state = 'pending'`),
    retryLane: db.prepare(`UPDATE kefu_messages SET next_attempt_at = ? WHERE key = ? AND seq >= ? AND state = 'pending'`),
    markFailed: db.prepare(`UPDATE kefu_messages SET state = 'failed', attempts = ?, last_error = ?, done_at = ? WHERE key = ? AND seq = ? AND state = 'pending'`),
    release: db.prepare(`UPDATE kefu_messages SET next_attempt_at = ? WHERE key = ? AND seq = ? AND state = 'pending'`),
    countPending: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM kefu_messages WHERE state = 'pending'`),
    erase: db.prepare('DELETE FROM kefu_messages WHERE key = ?'),
    forgetSeq: db.prepare(`DELETE FROM kefu_seqs WHERE name = '${AFTER_RETENTION}' || ?`),
    // Before the batch goes: the last seq of each conversation whose newest message is in it.
    keepSeqs: db.prepare(
      `INSERT INTO kefu_seqs (name, value) SELECT '${AFTER_RETENTION}' || m.key, m.seq FROM kefu_messages m
       WHERE m.rowid IN (${EXPIRED_BATCH}) AND m.seq = (SELECT MAX(n.seq) FROM kefu_messages n WHERE n.key = m.key)
       ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)`,
    ),
    expire: db.prepare(`DELETE FROM kefu_messages WHERE rowid IN (${EXPIRED_BATCH})`),
  };
  const erase = db.transaction((key: string) => {
    q.forgetSeq.run(key); // erasure forgets the conversation: it starts again at 1, as on MongoDB
    return q.erase.run(key).changes;
  });
  const expire = db.transaction((cutoff: number, limit: number) => {
    q.keepSeqs.run({ cutoff, limit });
    return q.expire.run({ cutoff, limit }).changes;
  });
  const markRetry = db.transaction((key: string, seq: number, r: { attempts: number; nextAttemptAt: number; lastError: string }) => {
    if (q.retryHead.run(r.attempts, r.lastError, key, seq).changes === 1) q.retryLane.run(r.nextAttemptAt, key, seq);
  });
  const eachSeq = (stmt: Database.Statement, at: number) =>
    db.transaction((key: string, seqs: readonly number[]) => {
      for (const seq of seqs) stmt.run(at, key, seq);
    });

  return {
    after: (key, seq, limit, audience = 'staff') =>
      ctx.run('read messages', () => {
        const sql = `SELECT ${COLUMNS} FROM kefu_messages WHERE key = ? AND seq > ? ${visible(audience)} ORDER BY seq LIMIT ?`;
        return decodeAll(cachedStatement<[string, number, number], MessageRow>(db, sql).all(key, seq, pageLimit({ limit })));
      }),
    before: (key, seq, limit, audience = 'staff') =>
      ctx.run('read messages', () => {
        const sql = `SELECT ${COLUMNS} FROM kefu_messages WHERE key = ? AND seq < ? ${visible(audience)} ORDER BY seq DESC LIMIT ?`;
        return decodeAll(
          cachedStatement<[string, number, number], MessageRow>(db, sql)
            .all(key, seq ?? Number.MAX_SAFE_INTEGER, pageLimit({ limit }))
            .reverse(),
        );
      }),
    lastSeq: (key) => ctx.run('read messages', () => (lastSeq.get({ key }) as { s: number }).s),
    pending: (key, limit) => ctx.run('read the outbox', () => decodeAll(q.pending.all(key, limit))),
    dueLanes: (now, limit) => ctx.run('read the outbox', () => q.dueLanes.all(now, limit).map((r) => r.key)),
    nextDueAt: () => ctx.run('read the outbox', () => q.nextDueAt.get()?.t ?? undefined),
    markSent: (key, seqs, at) => ctx.write('update the outbox', () => eachSeq(q.markSent, at)(key, seqs)),
    markRetry: (key, seq, retry) => ctx.write('update the outbox', () => markRetry(key, seq, retry)),
    markFailed: (key, seq, f) =>
      ctx.write('update the outbox', () => {
        q.markFailed.run(f.attempts, f.lastError, f.at, key, seq);
      }),
    release: (key, seqs, at) => ctx.write('update the outbox', () => eachSeq(q.release, at)(key, seqs)),
    countPending: () => ctx.run('count the outbox', () => q.countPending.get()?.n ?? 0),
    eraseConversation: (key) => ctx.write('erase messages', () => erase(key)),
    deleteOlderThan: (cutoff, limit) => ctx.write('delete old messages', () => expire(cutoff, limit)),
    failed: (req = {}) =>
      ctx.run('list failed messages', () =>
        pagedQuery<MessageRow, StoredMessage>(
          db,
          {
            select: `SELECT ${COLUMNS} FROM kefu_messages`,
            where: [`state = 'failed'`],
            params: [],
            cols: [
              { sql: 'done_at', dir: -1 },
              { sql: 'key', dir: -1 },
              { sql: 'seq', dir: -1 },
            ],
            shape: ['n', 's', 'n'],
            rowKey: (r) => [r.doneAt ?? 0, r.key, r.seq],
          },
          req,
          (r) => decodeMessage(rows, r),
        ),
      ),
  };
}
