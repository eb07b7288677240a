/**
 * The SQLite tables whose `body` the codec seals, as `SealedTable`s for key rotation
 * (stores/encrypted/rotate.ts): a keyset scan in primary-key order, and a replace that only
 * happens while the body is still the one read.
 */
import type Database from 'better-sqlite3';
import { messageRecordId, recordAad } from '../../core/data';

interface SealedRow {
  cursor: string;
  aad: string;
  body: string;
}

interface TableSpec {
  /** The repository name records are sealed under (`recordAad(name, id)`). */
  name: string;
  table: string;
  /** Primary-key columns, in scan order. */
  pk: readonly string[];
  /** The name the body is sealed under (its AAD), from the primary-key values. */
  aad(pk: readonly unknown[]): string;
  /** The sealed column (default `body`). */
  column?: string;
  /** The column holds the sealed text as a JSON string (kefu 0.1). */
  jsonString?: boolean;
}

const named =
  (name: string, id: (pk: readonly unknown[]) => string) =>
  (pk: readonly unknown[]): string =>
    recordAad(name, id(pk));

const SPECS: readonly TableSpec[] = [
  { name: 'sessions', table: 'kefu_conversations', pk: ['key'], aad: named('sessions', ([key]) => String(key)) },
  { name: 'messages', table: 'kefu_messages', pk: ['key', 'seq'], aad: named('messages', ([key, seq]) => messageRecordId(String(key), Number(seq))) },
  { name: 'handoffs', table: 'kefu_handoffs', pk: ['id'], aad: named('handoffs', ([id]) => String(id)) },
  { name: 'tickets', table: 'kefu_tickets', pk: ['id'], aad: named('tickets', ([id]) => String(id)) },
  { name: 'inbox', table: 'kefu_inbox', pk: ['id'], aad: named('inbox', ([id]) => String(id)) },
  { name: 'audit', table: 'kefu_audit', pk: ['seq'], aad: named('audit', ([seq]) => String(seq)) },
  { name: 'meta', table: 'kefu_meta', pk: ['name'], aad: named('meta', ([name]) => String(name)) },
  // kefu 0.1's key-value table, kept as a backup by migration 2; its values were sealed under their key.
  { name: 'legacy backup', table: 'kefu_legacy_kv_0_1', pk: ['key'], aad: ([key]) => String(key), column: 'value', jsonString: true },
];

export interface SqliteSealedTable {
  readonly name: string;
  scan(after: string | undefined, limit: number): Promise<SealedRow[]>;
  replace(row: SealedRow, body: string): Promise<boolean>;
}

function sealedTable(db: Database.Database, spec: TableSpec): SqliteSealedTable {
  const body = spec.column ?? 'body';
  const cols = spec.pk.join(', ');
  const marks = spec.pk.map(() => '?').join(', ');
  const after = spec.pk.length > 1 ? `(${cols}) > (${marks})` : `${cols} > ?`;
  const first = db.prepare(`SELECT ${cols}, ${body} AS body FROM ${spec.table} ORDER BY ${cols} LIMIT ?`);
  const next = db.prepare(`SELECT ${cols}, ${body} AS body FROM ${spec.table} WHERE ${after} ORDER BY ${cols} LIMIT ?`);
  const update = db.prepare(`UPDATE ${spec.table} SET ${body} = ? WHERE ${spec.pk.map((c) => `${c} = ?`).join(' AND ')} AND ${body} = ?`);
  return {
    name: spec.name,
    async scan(cursor, limit) {
      const rows = (cursor === undefined ? first.all(limit) : next.all(...(JSON.parse(cursor) as unknown[]), limit)) as Array<Record<string, unknown>>;
      return rows.map((r) => {
        const pk = spec.pk.map((c) => r[c]);
        return { cursor: JSON.stringify(pk), aad: spec.aad(pk), body: spec.jsonString ? fromJsonString(String(r.body)) : String(r.body) };
      });
    },
    async replace(row, sealed) {
      const stored = (text: string) => (spec.jsonString ? JSON.stringify(text) : text);
      return update.run(stored(sealed), ...(JSON.parse(row.cursor) as unknown[]), stored(row.body)).changes === 1;
    },
  };
}

/** The string a JSON column holds, or the text as it is when it is not a JSON string. */
function fromJsonString(text: string): string {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : text;
  } catch {
    return text;
  }
}

const exists = (db: Database.Database, table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;

/** Every table with sealed bodies (sessions, messages, handoffs, tickets, inbox, audit, meta, and 0.1's backup if kept). */
export function sqliteSealedTables(db: Database.Database): SqliteSealedTable[] {
  return SPECS.filter((spec) => exists(db, spec.table)).map((spec) => sealedTable(db, spec));
}
