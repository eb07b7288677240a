/**
 * Migration 2: kefu 0.1 kept everything in one key-value table (`kefu_sessions`); this moves each
 * record into its repository's table, inside the migration's transaction, and renames the old
 * table to `kefu_legacy_kv_0_1` (kept as a backup; drop it once the upgrade is checked).
 *
 * Sessions lose their `history`, which becomes the conversation's messages (ids for the replies in
 * `answered`, so a platform's retry of an old message is still answered, not run twice); the
 * handoff outbox becomes pending messages; handoff, analytics and audit records keep their content
 * and versions. Values sealed by 0.1 (AAD: the old record key) are opened with the same key and
 * sealed again under the new record names. A record that cannot be read stops the migration.
 */
import type Database from 'better-sqlite3';
import { type AuditEntry, AUDIT_HEAD_META } from '../../plugins/audit';
import { bucketCounters, SALT_META } from '../../plugins/analytics';
import type { DayBucket } from '../../plugins/analytics';
import type { HandoffRecord, InboxEntry, MessageInput, RowReader, SessionState, Ticket } from '../../core';
import { SEALED_PREFIX } from '../../core';
import { HANDLE_TIMES_META, agentStatusMeta } from '../../plugins/handoff/hot-state';
import { handoffWriter, ticketWriter } from './handoffs';
import { appendMessages, messageStatements } from './messages';
import { auditInserter, counterAdder, inboxWriter, metaWriter, seqRaiser } from './small-repos';

export const LEGACY_TABLE = 'kefu_sessions';
export const LEGACY_BACKUP_TABLE = 'kefu_legacy_kv_0_1';

interface LegacyRow {
  key: string;
  value: string;
  version: number;
  updated_at: number;
  expires_at: number | null;
}

type LegacySession = SessionState & {
  history?: Array<Omit<MessageInput, 'id' | 'locale'>>;
  answered?: Array<{ id: string }>;
};

interface LegacyOutboxEntry {
  key: string;
  ref: HandoffRecord['ref'];
  messages: Array<Omit<MessageInput, 'id' | 'at'>>;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  lastError?: string;
}

interface LegacyHandoffCounters {
  conversations?: number;
  turns?: number;
  botTurns?: number;
  escalatedConversations?: number;
  ticketSeq?: number;
  handleTimes?: number[];
}

const hasLegacyTable = (db: Database.Database) =>
  db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?`).get(LEGACY_TABLE)?.n === 1;

/** Moves every kefu 0.1 record into the new tables; does nothing on a database without the old table. */
export function importLegacyStore(db: Database.Database, rows: RowReader, now = Date.now()): void {
  if (!hasLegacyTable(db)) return;
  const legacy = db
    .prepare<[number], LegacyRow>(`SELECT key, value, version, updated_at, expires_at FROM ${LEGACY_TABLE} WHERE expires_at IS NULL OR expires_at >= ? ORDER BY key`)
    .all(now);
  const open = <T>(row: LegacyRow): T => {
    const parsed = JSON.parse(row.value) as unknown;
    // 0.1 stored a sealed value as a JSON string, sealed with the record's key as additional data.
    return (typeof parsed === 'string' && parsed.startsWith(SEALED_PREFIX) ? JSON.parse(rows.codec.open(row.key, parsed)) : parsed) as T;
  };
  const w = writers(db, rows);
  const records = legacy.map((row) => ({ row, kind: kindOf(row.key) }));
  // Sessions first: their history takes the first message seqs; pending outbox messages follow it.
  for (const { row, kind } of records) if (kind === 'session') w.session(row, open<LegacySession>(row), now);
  for (const { row, kind } of records) if (kind !== 'session') w.record(kind, row, open(row), now);
  db.exec(`ALTER TABLE ${LEGACY_TABLE} RENAME TO ${LEGACY_BACKUP_TABLE}`);
}

type LegacyKind = 'session' | 'handoff' | 'ticket' | 'agent' | 'handoff-counters' | 'outbox' | 'analytics' | 'inbox' | 'inbox-salt' | 'audit' | 'audit-head';

const PREFIXES: Array<[string, LegacyKind]> = [
  ['handoff-outbox:', 'outbox'],
  ['handoff-agent:', 'agent'],
  ['handoff-meta:counters', 'handoff-counters'],
  ['handoff-done:', 'handoff'],
  ['handoff:', 'handoff'],
  ['ticket:', 'ticket'],
  ['analytics-inbox-meta:salt', 'inbox-salt'],
  ['analytics-inbox:', 'inbox'],
  ['analytics:', 'analytics'],
  ['audit-meta:head', 'audit-head'],
  ['audit:', 'audit'],
];

function kindOf(key: string): LegacyKind {
  return PREFIXES.find(([prefix]) => key.startsWith(prefix))?.[1] ?? 'session';
}

function writers(db: Database.Database, rows: RowReader) {
  const sessionInsert = db.prepare('INSERT INTO kefu_conversations (key, body, version, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)');
  const outboxState = db.prepare('UPDATE kefu_messages SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE key = ? AND seq = ?');
  const messages = messageStatements(db);
  const handoff = handoffWriter(db, rows);
  const ticket = ticketWriter(db, rows);
  const meta = metaWriter(db, rows);
  const counters = counterAdder(db);
  const audit = auditInserter(db, rows);
  const inbox = inboxWriter(db, rows);
  const raiseSeq = seqRaiser(db);

  function session(row: LegacyRow, s: LegacySession, now: number): void {
    const { history = [], answered = [], ...rest } = s;
    sessionInsert.run(row.key, rows.encode('sessions', row.key, rest), row.version, row.updated_at, row.expires_at);
    const ids = messageIds(row.key, history, answered);
    appendMessages(
      messages,
      rows,
      row.key,
      s.ref,
      history.map((m, i) => ({ ...m, id: ids[i] as string, locale: s.locale })),
      now,
    );
  }

  function outbox(row: LegacyRow, o: LegacyOutboxEntry, now: number): void {
    const n = row.key.slice('handoff-outbox:'.length);
    const input = o.messages.map((m, i) => ({ ...m, id: `legacy-outbox-${n}-${i}`, at: o.createdAt, deliver: true }));
    for (const m of appendMessages(messages, rows, o.key, o.ref, input, now)) outboxState.run(o.attempts, o.nextAttemptAt, o.lastError ?? null, o.key, m.seq);
  }

  function handoffCounters(c: LegacyHandoffCounters): void {
    const values = { conversations: c.conversations ?? 0, turns: c.turns ?? 0, botTurns: c.botTurns ?? 0, escalatedConversations: c.escalatedConversations ?? 0 };
    counters([{ scope: 'handoff', values }]);
    if (c.ticketSeq) raiseSeq('ticket', c.ticketSeq);
    if (c.handleTimes?.length) meta(HANDLE_TIMES_META, c.handleTimes, 1);
  }

  function record(kind: LegacyKind, row: LegacyRow, value: unknown, now: number): void {
    const suffix = row.key.slice(row.key.indexOf(':') + 1);
    switch (kind) {
      case 'handoff':
        handoff(value as HandoffRecord, row.version);
        return;
      case 'ticket':
        ticket(value as Ticket, row.version);
        return;
      case 'agent':
        meta(agentStatusMeta(suffix), value, row.version);
        return;
      case 'handoff-counters':
        handoffCounters(value as LegacyHandoffCounters);
        return;
      case 'outbox':
        outbox(row, value as LegacyOutboxEntry, now);
        return;
      case 'analytics': {
        const b = value as DayBucket;
        counters([{ scope: `day:${b.day}:${b.channel}:${b.locale}`, values: bucketCounters(b) }]);
        return;
      }
      case 'inbox':
        inbox(value as InboxEntry, row.version);
        return;
      case 'inbox-salt':
        meta(SALT_META, value, row.version);
        return;
      case 'audit':
        audit((value as AuditEntry).seq, value as AuditEntry);
        return;
      case 'audit-head':
        meta(AUDIT_HEAD_META, value, row.version);
        return;
      case 'session':
        return;
    }
  }

  return { session, record };
}

/** Ids for a session's history: the platform message ids of `answered` go to the last customer messages, in order. */
function messageIds(key: string, history: ReadonlyArray<{ from: string }>, answered: ReadonlyArray<{ id: string }>): string[] {
  const ids = history.map((_, i) => `legacy-${key}-${i}`);
  const customer = history.flatMap((m, i) => (m.from === 'customer' ? [i] : []));
  const matched = customer.slice(Math.max(0, customer.length - answered.length));
  answered.slice(answered.length - matched.length).forEach((a, j) => {
    ids[matched[j] as number] = a.id;
  });
  return ids;
}
