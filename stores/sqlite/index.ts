/**
 * The embedded default: every repository on one SQLite file (better-sqlite3, WAL), with a table and
 * indexes per repository and versioned migrations applied at start-up (including the import of a
 * kefu 0.1 database). Nothing to install or run.
 * @example
 * const data = createSqliteData({ path: './data/kefu.db' }, { sessionTtlSeconds: 30 * 86400 });
 */
import type Database from 'better-sqlite3';
import { createRowReader, type DataOptions, type Repositories } from '../../core';
import { createSqliteContext } from './common';
import { createSqliteHandoffs, createSqliteTickets } from './handoffs';
import { createSqliteMessages } from './messages';
import { type Checkpointer, startCheckpointer } from './checkpointer';
import { migrate } from './migrations';
import { openDatabaseFile } from './open-database';
import { createSqliteSessions } from './sessions';
import { createSqliteAudit, createSqliteCounters, createSqliteInbox, createSqliteMeta } from './small-repos';

export interface SqliteDataOptions extends DataOptions {
  /**
   * How long a statement waits for another connection's lock before failing (ms). Default 5000. The
   * wait is on timers (common.ts): SQLite's own busy handler, which sleeps on the event loop, is
   * used only at start-up (migrations) and for the last writes at close.
   */
  busyTimeoutMs?: number;
  /**
   * Where WAL checkpoints run for a file the store opens: 'inline' (SQLite's default: in the commit
   * that crosses 1,000 WAL pages) or 'worker' (a thread of their own, checkpointer.ts; the server's
   * choice). Default 'inline'.
   */
  checkpoints?: 'inline' | 'worker';
  /** Told when 'worker' checkpoints fall back to inline ones (the worker failed to start or died). */
  onCheckpointFallback?: (why: string) => void;
}

export interface SqliteData extends Repositories {
  readonly kind: 'sqlite';
  /** The connection (for tests and maintenance scripts). */
  readonly db: Database.Database;
}

/**
 * Opens `path` (creating its folder and the file, owner-only) or uses the given `db`, and migrates it.
 * A given `db` stays the caller's: `close()` does not close it.
 */
export function createSqliteData(target: { path: string } | { db: Database.Database }, opts: SqliteDataOptions = {}): SqliteData {
  const owned = 'path' in target;
  const busyWaitMs = opts.busyTimeoutMs ?? 5000;
  const db = owned ? openDatabaseFile(target.path, busyWaitMs) : target.db;
  const rows = createRowReader(opts);
  try {
    migrate(db, rows);
  } catch (err) {
    if (owned) db.close();
    throw err;
  }
  const checkpointer: Checkpointer | undefined =
    owned && opts.checkpoints === 'worker' ? startCheckpointer(db, { ...(opts.onCheckpointFallback ? { onFallback: opts.onCheckpointFallback } : {}) }) : undefined;
  if (owned) db.pragma('busy_timeout = 0');
  let closed = false;
  const ctx = createSqliteContext(db, owned ? `"${db.name}"` : 'the given database', opts.now ?? Date.now, () => closed, busyWaitMs);
  const sm = createSqliteSessions(ctx, rows, opts.sessionTtlSeconds ?? 0);
  return {
    kind: 'sqlite',
    db,
    sessions: sm.sessions,
    commit: sm.commit,
    messages: createSqliteMessages(ctx, rows),
    handoffs: createSqliteHandoffs(ctx, rows),
    tickets: createSqliteTickets(ctx, rows),
    counters: createSqliteCounters(ctx),
    audit: createSqliteAudit(ctx, rows),
    inbox: createSqliteInbox(ctx, rows),
    meta: createSqliteMeta(ctx, rows),
    async close() {
      if (closed) return;
      // The last writes wait for the lock in SQLite's busy handler: no timer runs after close.
      if (owned) db.pragma(`busy_timeout = ${busyWaitMs}`);
      ctx.drain();
      closed = true;
      await checkpointer?.stop();
      if (owned) db.close();
    },
  };
}

export { LEGACY_BACKUP_TABLE } from './legacy-import';
export { MIGRATIONS, schemaVersion } from './migrations';
