/** In-memory counters, audit rows, inbox entries and named values. */
import type { AuditRepo, AuditRow } from '../audit';
import type { CounterRepo } from '../counters';
import type { InboxRepo } from '../inbox';
import type { MetaRepo } from '../meta';
import { INBOX_ORDER } from '../orders';
import { INBOX_PRUNE_RANK, type InboxEntry } from '../records';
import type { RowReader } from '../rows';
import { createVersionedTable, type Damage, eraseWhere } from './handoffs';
import { pageOf } from './paging';

export function createMemoryCounters(check: () => void): CounterRepo {
  const scopes = new Map<string, Map<string, number>>();
  const valuesOf = (scope: string) => Object.fromEntries(scopes.get(scope) ?? []);
  return {
    async add(deltas) {
      check();
      for (const d of deltas) {
        const m = scopes.get(d.scope) ?? new Map<string, number>();
        scopes.set(d.scope, m);
        for (const [name, n] of Object.entries(d.values)) if (n !== 0) m.set(name, (m.get(name) ?? 0) + n);
      }
    },
    get: async (scope) => {
      check();
      return valuesOf(scope);
    },
    async range(from, to) {
      check();
      return [...scopes.keys()]
        .filter((s) => s >= from && s <= to)
        .sort()
        .map((scope) => ({ scope, values: valuesOf(scope) }));
    },
  };
}

export function createMemoryAudit(rows: RowReader, check: () => void, damage: Damage, entries = new Map<number, string>()): AuditRepo {
  damage.audit = (id, text) => entries.has(Number(id)) && entries.set(Number(id), text) !== undefined;
  const toRow = (seq: number, text: string): AuditRow => {
    try {
      return { seq, value: rows.decode('audit', String(seq), text) };
    } catch (err) {
      return { seq, unreadable: err instanceof Error ? err.message : String(err) };
    }
  };
  const sorted = () => [...entries.keys()].sort((a, b) => a - b);
  return {
    async insert(seq, entry) {
      check();
      if (entries.has(seq)) return 'conflict';
      entries.set(seq, rows.encode('audit', String(seq), entry));
      return 'ok';
    },
    get: async (seq) => {
      check();
      return entries.has(seq) ? toRow(seq, entries.get(seq) as string) : undefined;
    },
    async last() {
      check();
      const seq = sorted().at(-1);
      return seq === undefined ? undefined : toRow(seq, entries.get(seq) as string);
    },
    async scan(after, limit) {
      check();
      return sorted()
        .filter((s) => s > after)
        .slice(0, limit)
        .map((s) => toRow(s, entries.get(s) as string));
    },
    async before(before, limit) {
      check();
      return sorted()
        .filter((s) => s < before)
        .reverse()
        .slice(0, limit)
        .map((s) => toRow(s, entries.get(s) as string));
    },
  };
}

export function createMemoryInbox(rows: RowReader, check: () => void, damage: Damage): InboxRepo {
  const t = createVersionedTable<InboxEntry>(rows, 'inbox', (e) => e.id);
  damage.inbox = t.damage;
  const entries = () => t.all().map((v) => v.value);
  return {
    get: async (id) => {
      check();
      return t.read(id);
    },
    put: async (entry, expectedVersion) => {
      check();
      return t.cas(entry, expectedVersion);
    },
    async delete(ids) {
      check();
      for (const id of ids) t.data.delete(id);
    },
    async deleteOlderThan(cutoff, limit) {
      check();
      return eraseWhere(t.data, rows, 'inbox', (e: InboxEntry) => e.lastAt < cutoff, limit);
    },
    list: async (filter, req = {}) => {
      check();
      return pageOf(
        entries().filter((e) => (!filter.status || e.status === filter.status) && (!filter.locale || e.locale === filter.locale)),
        req,
        INBOX_ORDER,
      );
    },
    count: async () => {
      check();
      return t.data.size;
    },
    async pruneCandidates(limit) {
      check();
      return entries()
        .filter((e): e is InboxEntry & { status: keyof typeof INBOX_PRUNE_RANK } => e.status !== 'labelled')
        .sort((a, b) => INBOX_PRUNE_RANK[a.status] - INBOX_PRUNE_RANK[b.status] || a.count - b.count || a.lastAt - b.lastAt || (a.id < b.id ? -1 : 1))
        .slice(0, limit);
    },
  };
}

export function createMemoryMeta(rows: RowReader, check: () => void): MetaRepo {
  const values = new Map<string, { text: string; version: number }>();
  const seqs = new Map<string, number>();
  return {
    async get<T>(name: string) {
      check();
      const row = values.get(name);
      return row ? { value: rows.decode<T>('meta', name, row.text), version: row.version } : undefined;
    },
    async put(name, value, expectedVersion) {
      check();
      const current = values.get(name)?.version ?? 0;
      if (current !== expectedVersion) return 'conflict';
      values.set(name, { text: rows.encode('meta', name, value), version: current + 1 });
      return 'ok';
    },
    async nextSeq(name, count = 1) {
      check();
      const next = (seqs.get(name) ?? 0) + count;
      seqs.set(name, next);
      return next;
    },
  };
}
