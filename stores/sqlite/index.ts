/**
 * SQLite session store on better-sqlite3: one row per key with a version for compare-and-set,
 * WAL mode, idle expiry (TTL) and an opportunistic sweep of expired rows.
 * @example
 * const store = createSqliteStore<SessionState>({ path: './data/kefu.db' }, { ttlSeconds: 30 * 86400 });
 */
import type Database from 'better-sqlite3';
import { checkListLimit, decodeStoredValue, encodeStoredValue, expiryOf, isKefuError, KefuError, type SessionStore, type StoreOptions, type Versioned } from '../../core';
import { checkTableName, createSchema, describe, openDatabaseFile } from './open-database';

export interface SqliteStoreOptions extends StoreOptions {
  /** Table name (letters, digits, _). Default `kefu_sessions`. */
  table?: string;
  /** How long a write waits for another connection's lock before failing (ms). Default 5000. */
  busyTimeoutMs?: number;
  /** Expired rows are deleted at most this often, during writes. Default 60. */
  sweepIntervalSeconds?: number;
}

export interface SqliteStore<S> extends SessionStore<S> {
  /** Deletes expired rows now; resolves to how many were deleted. */
  sweep(): Promise<number>;
}

/**
 * Opens `path` (creating its folder) or uses the given `db`. A given `db` stays the caller's:
 * its pragmas are left as they are and `close()` does not close it.
 */
export function createSqliteStore<S>(opts: { path: string } | { db: Database.Database }, storeOpts: SqliteStoreOptions = {}): SqliteStore<S> {
  const table = checkTableName(storeOpts.table ?? 'kefu_sessions');
  const now = storeOpts.now ?? Date.now;
  const sweepEveryMs = (storeOpts.sweepIntervalSeconds ?? 60) * 1000;
  const owned = 'path' in opts;
  const db = owned ? openDatabaseFile(opts.path, storeOpts.busyTimeoutMs ?? 5000) : opts.db;
  try {
    createSchema(db, table);
  } catch (err) {
    if (owned) db.close();
    throw err;
  }
  const live = '(expires_at IS NULL OR expires_at >= @now)';
  const sql = {
    read: db.prepare<{ key: string; now: number }, { value: string; version: number }>(`SELECT value, version FROM "${table}" WHERE key = @key AND ${live}`),
    version: db.prepare<{ key: string; now: number }, { version: number }>(`SELECT version FROM "${table}" WHERE key = @key AND ${live}`),
    insert: db.prepare(
      `INSERT INTO "${table}" (key, value, version, updated_at, expires_at) VALUES (@key, @value, 1, @now, @expires)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, version = 1, updated_at = excluded.updated_at, expires_at = excluded.expires_at`,
    ),
    update: db.prepare(`UPDATE "${table}" SET value = @value, version = version + 1, updated_at = @now, expires_at = @expires WHERE key = @key AND version = @expected`),
    delete: db.prepare(`DELETE FROM "${table}" WHERE key = ?`),
    list: db.prepare<{ prefix: string; now: number; limit: number }, { key: string; value: string; version: number }>(
      `SELECT key, value, version FROM "${table}" WHERE key >= @prefix AND substr(key, 1, length(@prefix)) = @prefix AND ${live}
       ORDER BY updated_at, key LIMIT @limit`,
    ),
    sweep: db.prepare(`DELETE FROM "${table}" WHERE expires_at IS NOT NULL AND expires_at < ?`),
  };
  // The version check and the write happen under one write lock (BEGIN IMMEDIATE), so two
  // connections to the same file cannot both pass the check.
  const casWrite = db.transaction((key: string, value: string, expected: number, at: number): 'ok' | 'conflict' => {
    const current = sql.version.get({ key, now: at })?.version ?? 0;
    if (current !== expected) return 'conflict';
    const row = { key, value, now: at, expires: expiryOf(key, at, storeOpts) };
    if (expected === 0) sql.insert.run(row);
    else if (sql.update.run({ ...row, expected }).changes !== 1) return 'conflict';
    return 'ok';
  });

  let closed = false;
  let lastSweep = Number.NEGATIVE_INFINITY;
  const where = owned ? `"${db.name}"` : 'the given database';

  function guard<T>(what: string, fn: () => T): Promise<T> {
    if (closed) return Promise.reject(new KefuError('KEFU_ERR_STORE_CLOSED', `SQLite store (${where}) was used after close(); create a new store.`));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      if (isKefuError(err)) return Promise.reject(err);
      const busy = describe(err).includes('SQLITE_BUSY');
      const hint = busy ? 'another connection held the write lock too long; retry, or check what else writes to this file' : 'check the file and the disk';
      return Promise.reject(new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `SQLite store could not ${what} in ${where} (${describe(err)}): ${hint}.`, { cause: err }));
    }
  }

  function sweepNow(): number {
    lastSweep = now();
    return sql.sweep.run(lastSweep).changes;
  }

  return {
    read: (key) =>
      guard('read', (): Versioned<S> | undefined => {
        const row = sql.read.get({ key, now: now() });
        return row ? { value: decodeStoredValue<S>(key, row.value), version: row.version } : undefined;
      }),
    write: (key, value, expectedVersion) =>
      guard('write', () => {
        const result = casWrite.immediate(key, encodeStoredValue(key, value), expectedVersion, now());
        if (now() - lastSweep >= sweepEveryMs) {
          try {
            sweepNow();
          } catch {
            // Opportunistic: a busy database skips this sweep; the next write tries again.
          }
        }
        return result;
      }),
    delete: (key) =>
      guard('delete', () => {
        sql.delete.run(key);
      }),
    list: (prefix, limit = 1000) =>
      guard('list', () => {
        checkListLimit(limit);
        return sql.list.all({ prefix, now: now(), limit }).map((r) => ({ key: r.key, value: decodeStoredValue<S>(r.key, r.value), version: r.version }));
      }),
    sweep: () => guard('sweep', sweepNow),
    close: async () => {
      if (closed) return;
      closed = true;
      if (owned) db.close();
    },
  };
}
