/**
 * What every SQLite repository shares: turning driver errors into coded ones (a closed store, a
 * busy or broken file), and keyset paging in SQL with the same orders and cursors as every backend.
 */
import type Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CursorPart, closedError, decodeCursor, encodeCursor, isKefuError, KefuError, type Page, type PageRequest, pageLimit, storeDefect } from '../../core';
import { busyBackoff, isBusy } from './busy';
import { createWriteGroup } from './group-commit';
import { describe } from './open-database';

export interface SqliteContext {
  readonly db: Database.Database;
  /**
   * Runs `fn` unless the store is closed; driver errors become KEFU_ERR_STORE_UNAVAILABLE. While
   * another connection holds the lock `fn` needs (SQLITE_BUSY) it is tried again after a timer, up
   * to the busy wait: the event loop serves every other conversation meanwhile.
   */
  run<T>(what: string, fn: () => T): Promise<T>;
  /** Runs `fn` (a write) in the next group commit (group-commit.ts), in its own savepoint. */
  write<T>(what: string, fn: () => T): Promise<T>;
  /** Commits the writes waiting for their group now (before close). */
  drain(): void;
  now(): number;
}

export function createSqliteContext(db: Database.Database, where: string, now: () => number, isClosed: () => boolean, busyWaitMs: number): SqliteContext {
  const group = createWriteGroup(db, busyWaitMs);
  const closed = () => closedError(`The SQLite store (${where})`);
  return {
    db,
    now,
    write<T>(what: string, fn: () => T): Promise<T> {
      if (isClosed()) return Promise.reject(closedError(`The SQLite store (${where})`));
      return group.write(fn, (err) => storeError(err, what, where));
    },
    drain: () => group.drain(),
    run<T>(what: string, fn: () => T): Promise<T> {
      if (isClosed()) return Promise.reject(closed());
      try {
        return Promise.resolve(fn());
      } catch (err) {
        if (!isBusy(err)) return Promise.reject(storeError(err, what, where));
        return retryWhileBusy(fn, performance.now() + busyWaitMs, () => (isClosed() ? closed() : undefined)).catch((e) => {
          throw storeError(e, what, where);
        });
      }
    },
  };
}

/** Tries `fn` again after timers while it finds the file busy, until `deadline` (performance.now()); `stop` ends it early with an error. */
async function retryWhileBusy<T>(fn: () => T, deadline: number, stop: () => Error | undefined): Promise<T> {
  for (let tries = 0; ; tries++) {
    await sleep(busyBackoff(tries));
    const stopped = stop();
    if (stopped) throw stopped;
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || performance.now() >= deadline) throw err;
    }
  }
}

/** A coded error for a driver failure (coded errors pass through). */
export function storeError(err: unknown, what: string, where: string): KefuError {
  if (isKefuError(err)) return err;
  const defect = storeDefect(err, what, where);
  if (defect) return defect;
  const busy = describe(err).includes('SQLITE_BUSY');
  const hint = busy ? 'another connection held the write lock too long; retry, or check what else writes to this file' : 'check the file and the disk';
  return new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `The SQLite store could not ${what} in ${where} (${describe(err)}): ${hint}.`, { cause: err });
}

/** A sort column: its SQL name and its part of the order. */
export interface KeysetColumn {
  sql: string;
  dir: 1 | -1;
}

/** `ORDER BY` for the columns of a list order. */
export function orderBy(cols: readonly KeysetColumn[]): string {
  return cols.map((c) => `${c.sql} ${c.dir === 1 ? 'ASC' : 'DESC'}`).join(', ');
}

/**
 * The condition "after this cursor" for a keyset in mixed directions, as nested ORs
 * (`a > ? OR (a = ? AND (b < ? OR …))`), with its parameters in order.
 */
export function afterCursor(cols: readonly KeysetColumn[], cursor: readonly CursorPart[]): { sql: string; params: CursorPart[] } {
  const build = (i: number): { sql: string; params: CursorPart[] } => {
    const col = cols[i] as KeysetColumn;
    const value = cursor[i] as CursorPart;
    const op = col.dir === 1 ? '>' : '<';
    if (i === cols.length - 1) return { sql: `${col.sql} ${op} ?`, params: [value] };
    const rest = build(i + 1);
    return { sql: `(${col.sql} ${op} ? OR (${col.sql} = ? AND ${rest.sql}))`, params: [value, value, ...rest.params] };
  };
  return build(0);
}

export interface PagedQuery<Row> {
  /** `SELECT … FROM …` without WHERE, ORDER BY or LIMIT. */
  select: string;
  /** Conditions joined with AND, and their parameters. */
  where: string[];
  params: unknown[];
  cols: readonly KeysetColumn[];
  /** The cursor shape of the list's order ('n'/'s' per column). */
  shape: readonly ('s' | 'n')[];
  /** A row's sort key, read from its columns (so a corrupt row still moves the cursor on). */
  rowKey(row: Row): CursorPart[];
}

/** Statements built from a few SQL variants (paged lists, a transcript for staff or customers), prepared once per connection. */
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const PREPARED_MAX = 256;

/** `db.prepare(sql)`, but a statement already prepared for this connection and SQL text is reused (preparing costs more than most reads). */
export function cachedStatement<P extends unknown[], R>(db: Database.Database, sql: string): Database.Statement<P, R> {
  let byText = prepared.get(db);
  if (!byText) {
    byText = new Map();
    prepared.set(db, byText);
  }
  let stmt = byText.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (byText.size >= PREPARED_MAX) byText.delete(byText.keys().next().value as string);
    byText.set(sql, stmt);
  }
  return stmt as Database.Statement<P, R>;
}

/** One page of a keyset-paged query: `limit + 1` rows are read to know whether more follow; `toItem` undefined skips a row. */
export function pagedQuery<Row, T>(db: Database.Database, q: PagedQuery<Row>, req: PageRequest, toItem: (row: Row) => T | undefined): Page<T> {
  const limit = pageLimit(req);
  const where = [...q.where];
  const params = [...q.params];
  if (req.after !== undefined) {
    const after = afterCursor(q.cols, decodeCursor(req.after, q.shape));
    where.push(after.sql);
    params.push(...after.params);
  }
  const sql = `${q.select} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderBy(q.cols)} LIMIT ?`;
  const rows = cachedStatement<unknown[], Row>(db, sql).all(...params, limit + 1);
  const kept = rows.slice(0, limit);
  const items = kept.flatMap((r) => toItem(r) ?? []);
  const last = kept.at(-1);
  return rows.length > limit && last !== undefined ? { items, next: encodeCursor(q.rowKey(last)) } : { items };
}

/** A value read back with its version. */
export interface BodyRow {
  body: string;
  version: number;
}

/** `column = ?` conditions for the filters that are set. */
export function equalities(pairs: ReadonlyArray<readonly [string, unknown]>): { where: string[]; params: unknown[] } {
  const set = pairs.filter(([, v]) => v !== undefined);
  return { where: set.map(([c]) => `${c} = ?`), params: set.map(([, v]) => v) };
}
