/** The data conformance suites on SQLite: a real file, reopened for the durability checks, a second connection for the concurrency ones. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { messageRecordId, recordAad, type ValueCodec } from '../../core/data';
import { createAesCodec } from '../../stores/encrypted/codec';
import { createSqliteData } from '../../stores/sqlite';
import type { DataFactory } from './harness';
import { runDataSuites } from './suite';

const BODY_COLUMNS: Record<string, { table: string; where: string; id: (id: string) => unknown[] }> = {
  sessions: { table: 'kefu_conversations', where: 'key = ?', id: (id) => [id] },
  handoffs: { table: 'kefu_handoffs', where: 'id = ?', id: (id) => [id] },
  tickets: { table: 'kefu_tickets', where: 'id = ?', id: (id) => [id] },
  inbox: { table: 'kefu_inbox', where: 'id = ?', id: (id) => [id] },
  audit: { table: 'kefu_audit', where: 'seq = ?', id: (id) => [Number(id)] },
  messages: { table: 'kefu_messages', where: 'key = ? AND seq = ?', id: (id) => [id.slice(0, id.lastIndexOf('#')), Number(id.slice(id.lastIndexOf('#') + 1))] },
};

/** SQLite on a fresh file; with `codec`, every body sealed (a damaged row is then valid ciphertext of text that is not JSON). */
const sqliteFactory =
  (codec?: ValueCodec): DataFactory =>
  async (given) => {
    const opts = codec ? { ...given, codec } : given;
    const seal = (table: string, id: string, text: string) => (codec ? codec.seal(recordAad(table, id), text) : text);
    const dir = mkdtempSync(join(tmpdir(), 'kefu-data-'));
    const path = join(dir, 'kefu.db');
    const data = createSqliteData({ path }, opts);
    return {
      data,
      reopen: async () => createSqliteData({ path }, opts),
      another: async () => createSqliteData({ path }, opts),
      corrupt: async (table, id) => {
        const c = BODY_COLUMNS[table];
        if (!c) throw new Error(`no table for ${table}`);
        const changed = data.db.prepare(`UPDATE ${c.table} SET body = ? WHERE ${c.where}`).run(seal(table, id, '{"half a record'), ...c.id(id)).changes;
        if (changed !== 1) throw new Error(`no ${table} record "${id}" to damage (${messageRecordId('k', 1)} is the message id form)`);
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  };

runDataSuites('sqlite', sqliteFactory());
runDataSuites('sqlite (encrypted, AES-256-GCM)', sqliteFactory(createAesCodec(randomBytes(32))));
