/**
 * Handoffs and tickets on SQLite. Their writes are transactions of their own, not part of the group
 * commit: the handoff desk holds its lock across them, and waiting for a group there would queue
 * every escalation behind it (measured: p95 276 ms at 64 concurrent customers). The queue, the per-agent and per-state lists, the time range and
 * the link lookup each read an index; "one active handoff per conversation" is the UNIQUE
 * `active_key` column (the conversation key while queued or assigned, NULL after).
 */
import type Database from 'better-sqlite3';
import {
  ACTIVE_HANDOFF_STATES,
  HANDOFF_STATES,
  type HandoffRecord,
  type HandoffRepo,
  type HandoffState,
  type RowReader,
  TICKET_STATUSES,
  type Ticket,
  type TicketRepo,
  type TicketStatus,
  type Versioned,
  withFields,
} from '../../core';
import { type BodyRow, equalities, type KeysetColumn, pagedQuery, type SqliteContext } from './common';

interface HandoffRow extends BodyRow {
  id: string;
  priority: number;
  requested_at: number;
  updated_at: number;
}

interface TicketRow extends BodyRow {
  id: string;
  priority: number;
  created_at: number;
}

const QUEUE_COLS: KeysetColumn[] = [
  { sql: 'priority', dir: -1 },
  { sql: 'requested_at', dir: 1 },
  { sql: 'id', dir: 1 },
];
const RECENT_COLS: KeysetColumn[] = [
  { sql: 'updated_at', dir: -1 },
  { sql: 'id', dir: -1 },
];
const REQUESTED_COLS: KeysetColumn[] = [
  { sql: 'requested_at', dir: 1 },
  { sql: 'id', dir: 1 },
];
const TICKET_COLS: KeysetColumn[] = [
  { sql: 'priority', dir: -1 },
  { sql: 'created_at', dir: 1 },
  { sql: 'id', dir: 1 },
];

const isActive = (s: HandoffState) => ACTIVE_HANDOFF_STATES.includes(s);
/** The condition of the partial index retention reads (migration 4): finished handoffs only. */
const FINISHED = `state IN ('resolved', 'ticket', 'cancelled')`;

/** The columns of a handoff row. */
export function handoffColumns(rows: RowReader, r: HandoffRecord) {
  return {
    id: r.id,
    key: r.key,
    state: r.state,
    active_key: isActive(r.state) ? r.key : null,
    agent_id: r.agentId ?? null,
    priority: r.priority,
    requested_at: r.requestedAt,
    updated_at: r.updatedAt,
    body: rows.encode('handoffs', r.id, r),
  };
}

/** Writes a handoff row (insert or replace, with `version`) and its links, inside the caller's transaction. */
export function handoffWriter(db: Database.Database, rows: RowReader) {
  const upsert = db.prepare(
    `INSERT INTO kefu_handoffs (id, key, state, active_key, agent_id, priority, requested_at, updated_at, body, version)
     VALUES (@id, @key, @state, @active_key, @agent_id, @priority, @requested_at, @updated_at, @body, @version)
     ON CONFLICT(id) DO UPDATE SET key = excluded.key, state = excluded.state, active_key = excluded.active_key, agent_id = excluded.agent_id,
       priority = excluded.priority, requested_at = excluded.requested_at, updated_at = excluded.updated_at, body = excluded.body, version = excluded.version`,
  );
  const dropLinks = db.prepare('DELETE FROM kefu_handoff_links WHERE handoff_id = ?');
  const addLink = db.prepare('INSERT OR IGNORE INTO kefu_handoff_links (name, value, requested_at, handoff_id) VALUES (?, ?, ?, ?)');
  return (r: HandoffRecord, version: number) => {
    upsert.run(withFields(handoffColumns(rows, r), { version }));
    dropLinks.run(r.id);
    for (const [name, value] of Object.entries(r.links)) addLink.run(name, value, r.requestedAt, r.id);
  };
}

/** Writes a ticket row (insert or replace, with `version`), inside the caller's transaction. */
export function ticketWriter(db: Database.Database, rows: RowReader) {
  const upsert = db.prepare(
    `INSERT INTO kefu_tickets (id, key, status, assignee_id, priority, created_at, updated_at, body, version)
     VALUES (@id, @key, @status, @assignee_id, @priority, @created_at, @updated_at, @body, @version)
     ON CONFLICT(id) DO UPDATE SET key = excluded.key, status = excluded.status, assignee_id = excluded.assignee_id, priority = excluded.priority,
       created_at = excluded.created_at, updated_at = excluded.updated_at, body = excluded.body, version = excluded.version`,
  );
  return (t: Ticket, version: number) =>
    upsert.run({
      id: t.id,
      key: t.key,
      status: t.status,
      assignee_id: t.assigneeId ?? null,
      priority: t.priority,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
      body: rows.encode('tickets', t.id, t),
      version,
    });
}

export function createSqliteHandoffs(ctx: SqliteContext, rows: RowReader): HandoffRepo {
  const { db } = ctx;
  const write = handoffWriter(db, rows);
  const SELECT = 'SELECT id, priority, requested_at, updated_at, body, version FROM kefu_handoffs';
  const q = {
    version: db.prepare<[string], { version: number }>('SELECT version FROM kefu_handoffs WHERE id = ?'),
    get: db.prepare<[string], HandoffRow>(`${SELECT} WHERE id = ?`),
    active: db.prepare<[string], HandoffRow>(`${SELECT} WHERE active_key = ?`),
    latest: db.prepare<[string], HandoffRow>(`${SELECT} WHERE key = ? ORDER BY requested_at DESC, id DESC LIMIT 1`),
    byLink: db.prepare<[string, string], HandoffRow>(
      `SELECT h.id, h.priority, h.requested_at, h.updated_at, h.body, h.version FROM kefu_handoff_links l JOIN kefu_handoffs h ON h.id = l.handoff_id
       WHERE l.name = ? AND l.value = ? ORDER BY l.requested_at DESC, l.handoff_id DESC LIMIT 1`,
    ),
    loads: db.prepare<[], { agent_id: string; n: number }>(`SELECT agent_id, COUNT(*) AS n FROM kefu_handoffs WHERE state = 'assigned' AND agent_id IS NOT NULL GROUP BY agent_id`),
    counts: db.prepare<[], { state: HandoffState; n: number }>('SELECT state, COUNT(*) AS n FROM kefu_handoffs GROUP BY state'),
  };
  const one = (row: HandoffRow | undefined): Versioned<HandoffRecord> | undefined =>
    row && { value: rows.decode<HandoffRecord>('handoffs', row.id, row.body), version: row.version };
  const item = (row: HandoffRow) => rows.tryDecode<HandoffRecord>('handoffs', row.id, row.body);
  const create = db.transaction((r: HandoffRecord): 'ok' | 'exists' => {
    if (q.version.get(r.id) || (isActive(r.state) && q.active.get(r.key))) return 'exists';
    write(r, 1);
    return 'ok';
  });
  const update = db.transaction((r: HandoffRecord, expected: number): 'ok' | 'conflict' => {
    const current = q.version.get(r.id)?.version;
    if (current === undefined || current !== expected) return 'conflict';
    const holder = isActive(r.state) ? q.active.get(r.key) : undefined;
    if (holder && holder.id !== r.id) return 'conflict';
    write(r, current + 1);
    return 'ok';
  });
  const page = (where: string[], params: unknown[], cols: KeysetColumn[], shape: ('n' | 's')[], rowKey: (r: HandoffRow) => (string | number)[], index?: string) => ({
    select: index ? SELECT.replace('FROM kefu_handoffs', `FROM kefu_handoffs INDEXED BY ${index}`) : SELECT,
    where,
    params,
    cols,
    shape,
    rowKey,
  });
  const recentKey = (r: HandoffRow) => [r.updated_at, r.id];
  const eraseQ = {
    ids: db.prepare<[string], { id: string }>('SELECT id FROM kefu_handoffs WHERE key = ?'),
    links: db.prepare('DELETE FROM kefu_handoff_links WHERE handoff_id = ?'),
    rows: db.prepare('DELETE FROM kefu_handoffs WHERE key = ?'),
  };
  const erase = db.transaction((key: string): number => {
    for (const { id } of eraseQ.ids.all(key)) eraseQ.links.run(id);
    return eraseQ.rows.run(key).changes;
  });
  const expireQ = {
    ids: db.prepare<[number, number], { id: string }>(`SELECT id FROM kefu_handoffs WHERE ${FINISHED} AND updated_at < ? ORDER BY updated_at LIMIT ?`),
    row: db.prepare('DELETE FROM kefu_handoffs WHERE id = ?'),
  };
  const expire = db.transaction((cutoff: number, limit: number): number => {
    let n = 0;
    for (const { id } of expireQ.ids.all(cutoff, limit)) {
      eraseQ.links.run(id);
      n += expireQ.row.run(id).changes;
    }
    return n;
  });

  return {
    create: (record) => ctx.run('create a handoff', () => create.immediate(record)),
    update: (record, expected) => ctx.run('update a handoff', () => update.immediate(record, expected)),
    get: (id) => ctx.run('read a handoff', () => one(q.get.get(id))),
    active: (key) => ctx.run('read a handoff', () => one(q.active.get(key))),
    latest: (key) => ctx.run('read a handoff', () => one(q.latest.get(key))),
    byLink: (name, value) => ctx.run('read a handoff', () => one(q.byLink.get(name, value))),
    queue: (req = {}) =>
      ctx.run('read the queue', () =>
        // The planner would rather read the state index and sort; the partial queue index is already in order.
        pagedQuery(
          db,
          page([`state = 'queued'`], [], QUEUE_COLS, ['n', 'n', 's'], (r) => [r.priority, r.requested_at, r.id], 'kefu_handoffs_queue'),
          req,
          item,
        ),
      ),
    list: (filter, req = {}) =>
      ctx.run('list handoffs', () => {
        const { where, params } = equalities([
          ['state', filter.state],
          ['agent_id', filter.agentId],
        ]);
        return pagedQuery(db, page(where, params, RECENT_COLS, ['n', 's'], recentKey), req, item);
      }),
    requestedBetween: (from, to, req = {}) =>
      ctx.run('list handoffs', () =>
        pagedQuery(
          db,
          page(['requested_at >= ?', 'requested_at < ?'], [from, to], REQUESTED_COLS, ['n', 's'], (r) => [r.requested_at, r.id]),
          req,
          item,
        ),
      ),
    agentLoads: () => ctx.run('count agent loads', () => Object.fromEntries(q.loads.all().map((r) => [r.agent_id, r.n]))),
    countByState: () =>
      ctx.run('count handoffs', () => {
        const counts = Object.fromEntries(HANDOFF_STATES.map((s) => [s, 0])) as Record<HandoffState, number>;
        for (const r of q.counts.all()) counts[r.state] = r.n;
        return counts;
      }),
    eraseConversation: (key) => ctx.run('erase handoffs', () => erase.immediate(key)),
    deleteOlderThan: (cutoff, limit) => ctx.run('delete old handoffs', () => expire.immediate(cutoff, limit)),
  };
}

export function createSqliteTickets(ctx: SqliteContext, rows: RowReader): TicketRepo {
  const { db } = ctx;
  const write = ticketWriter(db, rows);
  const SELECT = 'SELECT id, priority, created_at, body, version FROM kefu_tickets';
  const q = {
    version: db.prepare<[string], { version: number }>('SELECT version FROM kefu_tickets WHERE id = ?'),
    get: db.prepare<[string], TicketRow>(`${SELECT} WHERE id = ?`),
    openFor: db.prepare<[string], TicketRow>(`${SELECT} WHERE key = ? AND status IN ('open', 'pending') ORDER BY created_at DESC, id DESC LIMIT 1`),
    counts: db.prepare<[], { status: TicketStatus; n: number }>('SELECT status, COUNT(*) AS n FROM kefu_tickets GROUP BY status'),
  };
  const one = (row: TicketRow | undefined): Versioned<Ticket> | undefined => row && { value: rows.decode<Ticket>('tickets', row.id, row.body), version: row.version };
  const eraseTickets = db.prepare('DELETE FROM kefu_tickets WHERE key = ?');
  const expireTickets = db.prepare(
    `DELETE FROM kefu_tickets WHERE id IN (SELECT id FROM kefu_tickets WHERE status IN ('resolved', 'closed') AND updated_at < ? ORDER BY updated_at LIMIT ?)`,
  );
  const create = db.transaction((t: Ticket): 'ok' | 'exists' => {
    if (q.version.get(t.id)) return 'exists';
    write(t, 1);
    return 'ok';
  });
  const update = db.transaction((t: Ticket, expected: number): 'ok' | 'conflict' => {
    const current = q.version.get(t.id)?.version;
    if (current === undefined || current !== expected) return 'conflict';
    write(t, current + 1);
    return 'ok';
  });
  return {
    create: (t) => ctx.run('create a ticket', () => create.immediate(t)),
    update: (t, expected) => ctx.run('update a ticket', () => update.immediate(t, expected)),
    get: (id) => ctx.run('read a ticket', () => one(q.get.get(id))),
    openFor: (key) => ctx.run('read a ticket', () => one(q.openFor.get(key))),
    eraseConversation: (key) => ctx.run('erase tickets', () => eraseTickets.run(key).changes),
    deleteOlderThan: (cutoff, limit) => ctx.run('delete old tickets', () => expireTickets.run(cutoff, limit).changes),
    list: (filter, req = {}) =>
      ctx.run('list tickets', () => {
        const { where, params } = equalities([
          ['status', filter.status],
          ['assignee_id', filter.assigneeId],
        ]);
        return pagedQuery<TicketRow, Ticket>(
          db,
          { select: SELECT, where, params, cols: TICKET_COLS, shape: ['n', 'n', 's'], rowKey: (r) => [r.priority, r.created_at, r.id] },
          req,
          (r) => rows.tryDecode<Ticket>('tickets', r.id, r.body),
        );
      }),
    countByStatus: () =>
      ctx.run('count tickets', () => {
        const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
        for (const r of q.counts.all()) counts[r.status] = r.n;
        return counts;
      }),
  };
}
