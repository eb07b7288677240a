/** In-memory handoffs and tickets: the reference for the queries the other backends answer with indexes. */
import type { HandoffRepo, TicketRepo } from '../handoffs';
import { HANDOFF_RECENT_ORDER, HANDOFF_REQUESTED_ORDER, QUEUE_ORDER, TICKET_ORDER } from '../orders';
import {
  ACTIVE_HANDOFF_STATES,
  DONE_TICKET_STATUSES,
  FINISHED_HANDOFF_STATES,
  HANDOFF_STATES,
  type HandoffRecord,
  type HandoffState,
  TICKET_STATUSES,
  type Ticket,
  type TicketStatus,
} from '../records';
import type { RowReader } from '../rows';
import type { Versioned } from '../sessions';
import { pageOf } from './paging';

/** Test hooks, by table: overwrite a stored record's text as a damaged disk would. */
export type Damage = Record<string, (id: string, text: string) => boolean>;

interface Row {
  text: string;
  version: number;
}

/** A map of versioned, encoded records with the reads every memory repository shares. */
function createVersionedTable<T>(rows: RowReader, table: string, idOf: (t: T) => string) {
  const data = new Map<string, Row>();
  return {
    data,
    read(id: string): Versioned<T> | undefined {
      const row = data.get(id);
      if (!row) return undefined;
      return { value: rows.decode<T>(table, id, row.text), version: row.version };
    },
    /** Every readable record (corrupt ones reported and left out), with its version. */
    all(): Array<Versioned<T>> {
      return [...data].flatMap(([id, row]) => {
        const value = rows.tryDecode<T>(table, id, row.text);
        return value === undefined ? [] : [{ value, version: row.version }];
      });
    },
    insert(value: T): void {
      data.set(idOf(value), { text: rows.encode(table, idOf(value), value), version: 1 });
    },
    damage(id: string, text: string): boolean {
      const row = data.get(id);
      if (row) row.text = text;
      return row !== undefined;
    },
    cas(value: T, expected: number): 'ok' | 'conflict' {
      const id = idOf(value);
      const current = data.get(id)?.version ?? 0;
      if (current !== expected) return 'conflict';
      data.set(id, { text: rows.encode(table, id, value), version: current + 1 });
      return 'ok';
    },
  };
}

const isActive = (s: HandoffState) => ACTIVE_HANDOFF_STATES.includes(s);
const newest = <T>(list: Array<Versioned<T>>, at: (t: T) => number, id: (t: T) => string) =>
  [...list].sort((a, b) => at(b.value) - at(a.value) || (id(a.value) < id(b.value) ? 1 : -1))[0];

export function createMemoryHandoffs(rows: RowReader, check: () => void, damage: Damage): HandoffRepo {
  const t = createVersionedTable<HandoffRecord>(rows, 'handoffs', (r) => r.id);
  damage.handoffs = t.damage;
  const ofKey = (key: string) => t.all().filter((v) => v.value.key === key);
  const records = () => t.all().map((v) => v.value);
  return {
    async create(record) {
      check();
      if (t.data.has(record.id) || ofKey(record.key).some((v) => isActive(v.value.state))) return 'exists';
      t.insert(record);
      return 'ok';
    },
    async update(record, expectedVersion) {
      check();
      if (!t.data.has(record.id)) return 'conflict';
      return t.cas(record, expectedVersion);
    },
    get: async (id) => {
      check();
      return t.read(id);
    },
    active: async (key) => {
      check();
      return ofKey(key).find((v) => isActive(v.value.state));
    },
    latest: async (key) => {
      check();
      return newest(
        ofKey(key),
        (r) => r.requestedAt,
        (r) => r.id,
      );
    },
    queue: async (req = {}) => {
      check();
      return pageOf(
        records().filter((r) => r.state === 'queued'),
        req,
        QUEUE_ORDER,
      );
    },
    list: async (filter, req = {}) => {
      check();
      return pageOf(
        records().filter((r) => (!filter.state || r.state === filter.state) && (!filter.agentId || r.agentId === filter.agentId)),
        req,
        HANDOFF_RECENT_ORDER,
      );
    },
    requestedBetween: async (from, to, req = {}) => {
      check();
      return pageOf(
        records().filter((r) => r.requestedAt >= from && r.requestedAt < to),
        req,
        HANDOFF_REQUESTED_ORDER,
      );
    },
    byLink: async (name, value) => {
      check();
      return newest(
        t.all().filter((v) => v.value.links[name] === value),
        (r) => r.requestedAt,
        (r) => r.id,
      );
    },
    async agentLoads() {
      check();
      const loads: Record<string, number> = {};
      for (const r of records()) if (r.state === 'assigned' && r.agentId) loads[r.agentId] = (loads[r.agentId] ?? 0) + 1;
      return loads;
    },
    async countByState() {
      check();
      const counts = Object.fromEntries(HANDOFF_STATES.map((s) => [s, 0])) as Record<HandoffState, number>;
      for (const r of records()) counts[r.state] += 1;
      return counts;
    },
    async eraseConversation(key) {
      check();
      return eraseWhere(t.data, rows, 'handoffs', (r: HandoffRecord) => r.key === key);
    },
    async deleteOlderThan(cutoff, limit) {
      check();
      return eraseWhere(t.data, rows, 'handoffs', (r: HandoffRecord) => FINISHED_HANDOFF_STATES.includes(r.state) && r.updatedAt < cutoff, limit);
    },
  };
}

/** Deletes the rows whose record matches, at most `limit` (unreadable rows are left: they cannot be matched); resolves to how many. */
export function eraseWhere<T>(data: Map<string, Row>, rows: RowReader, table: string, matches: (value: T) => boolean, limit = Number.POSITIVE_INFINITY): number {
  let n = 0;
  for (const [id, row] of [...data]) {
    if (n >= limit) break;
    const value = rows.tryDecode<T>(table, id, row.text);
    if (value !== undefined && matches(value)) {
      data.delete(id);
      n += 1;
    }
  }
  return n;
}

export function createMemoryTickets(rows: RowReader, check: () => void, damage: Damage): TicketRepo {
  const t = createVersionedTable<Ticket>(rows, 'tickets', (x) => x.id);
  damage.tickets = t.damage;
  const tickets = () => t.all().map((v) => v.value);
  return {
    async create(ticket) {
      check();
      if (t.data.has(ticket.id)) return 'exists';
      t.insert(ticket);
      return 'ok';
    },
    async update(ticket, expectedVersion) {
      check();
      if (!t.data.has(ticket.id)) return 'conflict';
      return t.cas(ticket, expectedVersion);
    },
    get: async (id) => {
      check();
      return t.read(id);
    },
    list: async (filter, req = {}) => {
      check();
      return pageOf(
        tickets().filter((x) => (!filter.status || x.status === filter.status) && (!filter.assigneeId || x.assigneeId === filter.assigneeId)),
        req,
        TICKET_ORDER,
      );
    },
    openFor: async (key) => {
      check();
      return newest(
        t.all().filter((v) => v.value.key === key && (v.value.status === 'open' || v.value.status === 'pending')),
        (x) => x.createdAt,
        (x) => x.id,
      );
    },
    async countByStatus() {
      check();
      const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
      for (const x of tickets()) counts[x.status] += 1;
      return counts;
    },
    async eraseConversation(key) {
      check();
      return eraseWhere(t.data, rows, 'tickets', (x: Ticket) => x.key === key);
    },
    async deleteOlderThan(cutoff, limit) {
      check();
      return eraseWhere(t.data, rows, 'tickets', (x: Ticket) => DONE_TICKET_STATUSES.includes(x.status) && x.updatedAt < cutoff, limit);
    },
  };
}

export { createVersionedTable };
