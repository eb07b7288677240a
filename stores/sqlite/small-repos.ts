/** Counters, the audit chain, the inbox and named values on SQLite. */
import type Database from 'better-sqlite3';
import {
  type AuditRepo,
  type AuditRow,
  type CounterDelta,
  type CounterRepo,
  INBOX_PRUNE_RANK,
  INBOX_STATUS_RANK,
  type InboxEntry,
  type InboxRepo,
  type MetaRepo,
  type RowReader,
  type Versioned,
} from '../../core';
import { type BodyRow, equalities, pagedQuery, type SqliteContext } from './common';

/** Adds counter deltas (inside the caller's transaction when there is one). */
export function counterAdder(db: Database.Database) {
  const add = db.prepare('INSERT INTO kefu_counters (scope, name, value) VALUES (?, ?, ?) ON CONFLICT(scope, name) DO UPDATE SET value = value + excluded.value');
  return db.transaction((deltas: readonly CounterDelta[]) => {
    for (const d of deltas) for (const [name, n] of Object.entries(d.values)) if (n !== 0) add.run(d.scope, name, n);
  });
}

export function createSqliteCounters(ctx: SqliteContext): CounterRepo {
  const { db } = ctx;
  const add = counterAdder(db);
  const get = db.prepare<[string], { name: string; value: number }>('SELECT name, value FROM kefu_counters WHERE scope = ?');
  const range = db.prepare<[string, string], { scope: string; name: string; value: number }>(
    'SELECT scope, name, value FROM kefu_counters WHERE scope >= ? AND scope <= ? ORDER BY scope, name',
  );
  return {
    add: (deltas) =>
      ctx.write('add to counters', () => {
        add(deltas);
      }),
    get: (scope) => ctx.run('read counters', () => Object.fromEntries(get.all(scope).map((r) => [r.name, r.value]))),
    range: (from, to) =>
      ctx.run('read counters', () => {
        const out: Array<{ scope: string; values: Record<string, number> }> = [];
        for (const r of range.all(from, to)) {
          const last = out.at(-1);
          if (last?.scope === r.scope) last.values[r.name] = r.value;
          else out.push({ scope: r.scope, values: { [r.name]: r.value } });
        }
        return out;
      }),
  };
}

/** Inserts an audit entry unless its seq is taken (inside the caller's transaction when there is one). */
export function auditInserter(db: Database.Database, rows: RowReader) {
  const insert = db.prepare('INSERT OR IGNORE INTO kefu_audit (seq, body) VALUES (?, ?)');
  return (seq: number, entry: object): 'ok' | 'conflict' => (insert.run(seq, rows.encode('audit', String(seq), entry)).changes === 1 ? 'ok' : 'conflict');
}

export function createSqliteAudit(ctx: SqliteContext, rows: RowReader): AuditRepo {
  const { db } = ctx;
  const insert = auditInserter(db, rows);
  type Row = { seq: number; body: string };
  const q = {
    get: db.prepare<[number], Row>('SELECT seq, body FROM kefu_audit WHERE seq = ?'),
    last: db.prepare<[], Row>('SELECT seq, body FROM kefu_audit ORDER BY seq DESC LIMIT 1'),
    scan: db.prepare<[number, number], Row>('SELECT seq, body FROM kefu_audit WHERE seq > ? ORDER BY seq LIMIT ?'),
    before: db.prepare<[number, number], Row>('SELECT seq, body FROM kefu_audit WHERE seq < ? ORDER BY seq DESC LIMIT ?'),
  };
  const toRow = (r: Row | undefined): AuditRow | undefined => {
    if (!r) return undefined;
    try {
      return { seq: r.seq, value: rows.decode('audit', String(r.seq), r.body) };
    } catch (err) {
      return { seq: r.seq, unreadable: err instanceof Error ? err.message : String(err) };
    }
  };
  const all = (list: Row[]) => list.flatMap((r) => toRow(r) ?? []);
  return {
    insert: (seq, entry) => ctx.write('append to the audit log', () => insert(seq, entry)),
    get: (seq) => ctx.run('read the audit log', () => toRow(q.get.get(seq))),
    last: () => ctx.run('read the audit log', () => toRow(q.last.get())),
    scan: (after, limit) => ctx.run('read the audit log', () => all(q.scan.all(after, limit))),
    before: (before, limit) => ctx.run('read the audit log', () => all(q.before.all(before, limit))),
  };
}

/** Writes an inbox entry with `version` (insert or replace), inside the caller's transaction. */
export function inboxWriter(db: Database.Database, rows: RowReader) {
  const upsert = db.prepare(
    `INSERT INTO kefu_inbox (id, status, status_rank, prune_rank, locale, count, last_at, body, version)
     VALUES (@id, @status, @status_rank, @prune_rank, @locale, @count, @last_at, @body, @version)
     ON CONFLICT(id) DO UPDATE SET status = excluded.status, status_rank = excluded.status_rank, prune_rank = excluded.prune_rank, locale = excluded.locale,
       count = excluded.count, last_at = excluded.last_at, body = excluded.body, version = excluded.version`,
  );
  return (e: InboxEntry, version: number) =>
    upsert.run({
      id: e.id,
      status: e.status,
      status_rank: INBOX_STATUS_RANK[e.status],
      prune_rank: e.status === 'labelled' ? null : INBOX_PRUNE_RANK[e.status],
      locale: e.locale,
      count: e.count,
      last_at: e.lastAt,
      body: rows.encode('inbox', e.id, e),
      version,
    });
}

export function createSqliteInbox(ctx: SqliteContext, rows: RowReader): InboxRepo {
  const { db } = ctx;
  const write = inboxWriter(db, rows);
  type Row = BodyRow & { id: string; status_rank: number; count: number; last_at: number };
  const SELECT = 'SELECT id, status_rank, count, last_at, body, version FROM kefu_inbox';
  const q = {
    get: db.prepare<[string], Row>(`${SELECT} WHERE id = ?`),
    version: db.prepare<[string], { version: number }>('SELECT version FROM kefu_inbox WHERE id = ?'),
    delete: db.prepare('DELETE FROM kefu_inbox WHERE id = ?'),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM kefu_inbox'),
    prune: db.prepare<[number], Row>(`${SELECT} WHERE prune_rank IS NOT NULL ORDER BY prune_rank, count, last_at, id LIMIT ?`),
    expire: db.prepare('DELETE FROM kefu_inbox WHERE id IN (SELECT id FROM kefu_inbox WHERE last_at < ? ORDER BY last_at LIMIT ?)'),
  };
  const item = (r: Row) => rows.tryDecode<InboxEntry>('inbox', r.id, r.body);
  const put = db.transaction((e: InboxEntry, expected: number): 'ok' | 'conflict' => {
    const current = q.version.get(e.id)?.version ?? 0;
    if (current !== expected) return 'conflict';
    write(e, current + 1);
    return 'ok';
  });
  const remove = db.transaction((ids: readonly string[]) => {
    for (const id of ids) q.delete.run(id);
  });
  return {
    get: (id) =>
      ctx.run('read the inbox', (): Versioned<InboxEntry> | undefined => {
        const r = q.get.get(id);
        return r && { value: rows.decode<InboxEntry>('inbox', id, r.body), version: r.version };
      }),
    put: (entry, expected) => ctx.write('save to the inbox', () => put(entry, expected)),
    delete: (ids) =>
      ctx.write('delete from the inbox', () => {
        remove(ids);
      }),
    list: (filter, req = {}) =>
      ctx.run('list the inbox', () => {
        const { where, params } = equalities([
          ['status', filter.status],
          ['locale', filter.locale],
        ]);
        const cols = [
          { sql: 'status_rank', dir: 1 },
          { sql: 'count', dir: -1 },
          { sql: 'last_at', dir: -1 },
          { sql: 'id', dir: 1 },
        ] as const;
        return pagedQuery<Row, InboxEntry>(
          db,
          { select: SELECT, where, params, cols, shape: ['n', 'n', 'n', 's'], rowKey: (r) => [r.status_rank, r.count, r.last_at, r.id] },
          req,
          item,
        );
      }),
    count: () => ctx.run('count the inbox', () => q.count.get()?.n ?? 0),
    pruneCandidates: (limit) => ctx.run('read the inbox', () => q.prune.all(limit).flatMap((r) => item(r) ?? [])),
    deleteOlderThan: (cutoff, limit) => ctx.write('delete old inbox entries', () => q.expire.run(cutoff, limit).changes),
  };
}

/** Saves a named value with `version` (insert or replace), inside the caller's transaction. */
export function metaWriter(db: Database.Database, rows: RowReader) {
  const upsert = db.prepare('INSERT INTO kefu_meta (name, body, version) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET body = excluded.body, version = excluded.version');
  return (name: string, value: unknown, version: number) => upsert.run(name, rows.encode('meta', name, value), version);
}

/** Sets a sequence to at least `value`, inside the caller's transaction. */
export function seqRaiser(db: Database.Database) {
  const raise = db.prepare('INSERT INTO kefu_seqs (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)');
  return (name: string, value: number) => raise.run(name, value);
}

export function createSqliteMeta(ctx: SqliteContext, rows: RowReader): MetaRepo {
  const { db } = ctx;
  const write = metaWriter(db, rows);
  const q = {
    get: db.prepare<[string], BodyRow>('SELECT body, version FROM kefu_meta WHERE name = ?'),
    bump: db.prepare<{ name: string; count: number }, { value: number }>(
      'INSERT INTO kefu_seqs (name, value) VALUES (@name, @count) ON CONFLICT(name) DO UPDATE SET value = value + @count RETURNING value',
    ),
  };
  const put = db.transaction((name: string, value: unknown, expected: number): 'ok' | 'conflict' => {
    const current = q.get.get(name)?.version ?? 0;
    if (current !== expected) return 'conflict';
    write(name, value, current + 1);
    return 'ok';
  });
  return {
    get: <T>(name: string) =>
      ctx.run('read a named value', (): Versioned<T> | undefined => {
        const r = q.get.get(name);
        return r && { value: rows.decode<T>('meta', name, r.body), version: r.version };
      }),
    put: (name, value, expected) => ctx.write('save a named value', () => put(name, value, expected)),
    // Taken under the handoff desk's lock (ticket numbers): a single statement, not a group's wait.
    nextSeq: (name, count = 1) => ctx.run('take a sequence number', () => (q.bump.get({ name, count }) as { value: number }).value),
  };
}
