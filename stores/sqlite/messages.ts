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
import { pagedQuery, type SqliteContext } from './common';

const COLUMNS = `key, seq, id, author AS "from", at, body, state, attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError, done_at AS doneAt`;
/** A lane's head: its first pending message. */
const IS_LANE_HEAD = `seq = (SELECT MIN(q.seq) FROM kefu_messages q WHERE q.key = p.key AND q.state = 'pending')`;

export function messageStatements(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO kefu_messages (key, seq, id, author, at, body, state, attempts, next_attempt_at)
       VALUES (@key, @seq, @id, @from, @at, @body, @state, @attempts, @nextAttemptAt)`,
    ),
    lastSeq: db.prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM kefu_messages WHERE key = ?'),
  };
}

export type MessageStatements = ReturnType<typeof messageStatements>;

/** Appends messages to a conversation (inside the caller's transaction); returns the stored rows. */
export function appendMessages(sql: MessageStatements, rows: RowReader, key: string, ref: ConversationRef, messages: readonly MessageInput[], now: number): MessageRow[] {
  const encoded = encodeMessages(rows, key, ref, messages, sql.lastSeq.get(key)?.s ?? 0, now);
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
    // Retention: the oldest first, through the `at` index; what still waits in the outbox stays.
    expire: db.prepare(`DELETE FROM kefu_messages WHERE rowid IN (SELECT rowid FROM kefu_messages WHERE at < ? AND (state IS NULL OR state != 'pending') ORDER BY at LIMIT ?)`),
  };
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
        return decodeAll(db.prepare<[string, number, number], MessageRow>(sql).all(key, seq, pageLimit({ limit })));
      }),
    before: (key, seq, limit, audience = 'staff') =>
      ctx.run('read messages', () => {
        const sql = `SELECT ${COLUMNS} FROM kefu_messages WHERE key = ? AND seq < ? ${visible(audience)} ORDER BY seq DESC LIMIT ?`;
        return decodeAll(
          db
            .prepare<[string, number, number], MessageRow>(sql)
            .all(key, seq ?? Number.MAX_SAFE_INTEGER, pageLimit({ limit }))
            .reverse(),
        );
      }),
    lastSeq: (key) => ctx.run('read messages', () => lastSeq.get(key)?.s ?? 0),
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
    eraseConversation: (key) => ctx.write('erase messages', () => q.erase.run(key).changes),
    deleteOlderThan: (cutoff, limit) => ctx.write('delete old messages', () => q.expire.run(cutoff, limit).changes),
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
