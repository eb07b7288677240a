/**
 * The in-memory backend: every repository, kept in Maps, with the same semantics as SQLite and
 * MongoDB (JSON copies in and out, compare-and-set, paging, corrupt rows reported). For tests and
 * `kefu chat`; nothing survives the process.
 * @example
 * const data = createMemoryData();
 * const engine = createEngine({ classifier, dialogs, data });
 */
import type { DataOptions, Repositories } from '../repositories';
import { closedError, createRowReader } from '../rows';
import { createMemoryHandoffs, createMemoryTickets, type Damage } from './handoffs';
import { createMemorySessionsAndMessages } from './sessions-messages';
import { createMemoryAudit, createMemoryCounters, createMemoryInbox, createMemoryMeta } from './small-repos';

export interface MemoryData extends Repositories {
  /** Test hook: overwrites a stored record's text, as a damaged disk would; false when there is no such record. */
  damage(table: 'sessions' | 'messages' | 'handoffs' | 'tickets' | 'inbox' | 'audit', id: string, text: string): boolean;
  /** Test hook: the stored audit rows (seq → stored text), to delete or reorder entries as a forger would. */
  readonly auditRows: Map<number, string>;
}

export function createMemoryData(opts: DataOptions = {}): MemoryData {
  const rows = createRowReader(opts);
  const now = opts.now ?? Date.now;
  let closed = false;
  const check = () => {
    if (closed) throw closedError('The in-memory store');
  };
  const sm = createMemorySessionsAndMessages(rows, { now, ttlSeconds: opts.sessionTtlSeconds ?? 0, check });
  const auditRows = new Map<number, string>();
  const damage: Damage = { sessions: (id, text) => sm.damage('sessions', id, text), messages: (id, text) => sm.damage('messages', id, text) };
  return {
    kind: 'memory',
    sessions: sm.sessions,
    messages: sm.messages,
    handoffs: createMemoryHandoffs(rows, check, damage),
    tickets: createMemoryTickets(rows, check, damage),
    counters: createMemoryCounters(check),
    audit: createMemoryAudit(rows, check, damage, auditRows),
    inbox: createMemoryInbox(rows, check, damage),
    meta: createMemoryMeta(rows, check),
    commit: (c) => sm.commit(c),
    damage: (table, id, text) => damage[table]?.(id, text) ?? false,
    auditRows,
    async close() {
      closed = true;
    },
  };
}
