/**
 * Sessions on SQLite, and `commit`: the session's compare-and-set and the turn's messages in one
 * write transaction (BEGIN IMMEDIATE; turns committing together share it, each in its own savepoint:
 * group-commit.ts), so two connections to the file cannot both pass the version check and a turn is
 * stored whole or not at all.
 */
import { type Commit, type CommitResult, committedMessage, type MessageInput, type RowReader, type SessionRepo, type SessionState } from '../../core';
import type { SqliteContext } from './common';
import { createSqliteCustomerLinks, linkWriter } from './customer-links';
import { appendMessages, messageStatements } from './messages';

/** Expired rows are swept at most this often, after a commit. */
const SWEEP_EVERY_MS = 60_000;

/**
 * A session's expiry moves forward in steps of 1 % of the TTL (at most an hour): a commit within
 * the step leaves `expires_at`, and so its index, alone (two of a lone turn's seven WAL pages). A
 * session may live up to one step past its TTL, never less than the TTL.
 */
const expiryStepMs = (ttlSeconds: number) => Math.min(ttlSeconds * 10, 3_600_000);

export interface SqliteSessions {
  sessions: SessionRepo;
  commit(c: Commit): Promise<CommitResult>;
}

export function createSqliteSessions(ctx: SqliteContext, rows: RowReader, ttlSeconds: number): SqliteSessions {
  const { db, now } = ctx;
  const live = '(expires_at IS NULL OR expires_at >= @now)';
  const q = {
    read: db.prepare<{ key: string; now: number }, { body: string; version: number }>(`SELECT body, version FROM kefu_conversations WHERE key = @key AND ${live}`),
    // A first write, or over an expired row (which reads as absent): version 1.
    insert: db.prepare(
      `INSERT INTO kefu_conversations (key, body, version, updated_at, expires_at) VALUES (@key, @body, 1, @now, @expires)
       ON CONFLICT(key) DO UPDATE SET body = excluded.body, version = 1, updated_at = excluded.updated_at, expires_at = excluded.expires_at
       WHERE expires_at IS NOT NULL AND expires_at < @now`,
    ),
    // The compare-and-set itself: one statement, no read before it.
    // Without a TTL the expiry is cleared (a row from when there was one); with one, `extend` moves it.
    update: db.prepare(
      `UPDATE kefu_conversations SET body = @body, version = version + 1, updated_at = @now${ttlSeconds > 0 ? '' : ', expires_at = NULL'} WHERE key = @key AND version = @expected AND ${live}`,
    ),
    // The expiry, only when the commit's own would pass it: most commits change no index entry.
    extend: db.prepare('UPDATE kefu_conversations SET expires_at = @expires + @step WHERE key = @key AND (expires_at IS NULL OR expires_at < @expires)'),
    delete: db.prepare('DELETE FROM kefu_conversations WHERE key = ?'),
    sweep: db.prepare('DELETE FROM kefu_conversations WHERE expires_at IS NOT NULL AND expires_at < ?'),
  };
  const messages = messageStatements(db);
  const link = linkWriter(db);
  const links = createSqliteCustomerLinks(ctx);
  const expiresAt = (at: number) => (ttlSeconds > 0 ? at + ttlSeconds * 1000 : null);
  const step = expiryStepMs(ttlSeconds);

  const commitOne = (c: Commit, at: number): CommitResult => {
    if (c.session) {
      const expected = c.session.expectedVersion;
      const expires = expiresAt(at);
      const body = rows.encode('sessions', c.key, c.session.value);
      // A new row gets its expiry a step ahead too, so the conversation's second turn moves no index entry either.
      const written =
        expected === 0 ? q.insert.run({ key: c.key, body, now: at, expires: expires === null ? null : expires + step }) : q.update.run({ key: c.key, body, now: at, expected });
      if (written.changes !== 1) return { ok: false, conflict: true };
      if (expected !== 0 && expires !== null) q.extend.run({ key: c.key, expires, step });
    }
    const stored = appendMessages(messages, rows, c.key, c.ref, c.messages, at);
    link(c.key, c.ref, at);
    return { ok: true, messages: stored.map((r, i) => committedMessage(r, c.messages[i] as MessageInput, c.ref)) };
  };

  let lastSweep = now();
  const sweepNow = () => {
    lastSweep = now();
    return q.sweep.run(lastSweep).changes;
  };
  const sweepNowAndThen = () => {
    if (now() - lastSweep < SWEEP_EVERY_MS) return;
    try {
      sweepNow();
    } catch {
      // Opportunistic: a busy database skips this sweep; the next commit tries again.
    }
  };

  return {
    sessions: {
      read: (key) =>
        ctx.run('read a session', () => {
          const row = q.read.get({ key, now: now() });
          if (!row) return undefined;
          return { value: rows.decodeOrNull<SessionState>('sessions', key, row.body), version: row.version };
        }),
      delete: (key) =>
        ctx.run('delete a session', () => {
          q.delete.run(key);
          links.forget(key);
        }),
      sweep: () => ctx.run('sweep expired sessions', sweepNow),
      conversationsOf: links.conversationsOf,
      deleteLinksOlderThan: links.deleteLinksOlderThan,
    },
    async commit(c) {
      const result = await ctx.write('save a turn', () => commitOne(c, now()));
      sweepNowAndThen();
      return result;
    },
  };
}
