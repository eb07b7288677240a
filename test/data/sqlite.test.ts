/** The data conformance suites on SQLite: a real file, reopened for the durability checks, a second connection for the concurrency ones. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageRecordId } from '../../core/data';
import { createSqliteData } from '../../stores/sqlite';
import { runDataSuites } from './suite';

const BODY_COLUMNS: Record<string, { table: string; where: string; id: (id: string) => unknown[] }> = {
  sessions: { table: 'kefu_conversations', where: 'key = ?', id: (id) => [id] },
  handoffs: { table: 'kefu_handoffs', where: 'id = ?', id: (id) => [id] },
  tickets: { table: 'kefu_tickets', where: 'id = ?', id: (id) => [id] },
  inbox: { table: 'kefu_inbox', where: 'id = ?', id: (id) => [id] },
  audit: { table: 'kefu_audit', where: 'seq = ?', id: (id) => [Number(id)] },
  messages: { table: 'kefu_messages', where: 'key = ? AND seq = ?', id: (id) => [id.slice(0, id.lastIndexOf('#')), Number(id.slice(id.lastIndexOf('#') + 1))] },
};

runDataSuites('sqlite', async (opts) => {
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
      const changed = data.db.prepare(`UPDATE ${c.table} SET body = '{"half a record' WHERE ${c.where}`).run(...c.id(id)).changes;
      if (changed !== 1) throw new Error(`no ${table} record "${id}" to damage (${messageRecordId('k', 1)} is the message id form)`);
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
