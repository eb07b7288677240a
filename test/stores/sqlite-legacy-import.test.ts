/**
 * Start-up migrates a kefu 0.1 database (test/fixtures/legacy, written by 0.1's own `npm start`):
 * every session, handoff, ticket, outbox entry, counter, inbox entry and audit row lands in its
 * repository, also when 0.1 encrypted it; a failed migration leaves the file as it was.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyAuditLog } from '../../plugins/audit';
import { createRowReader, isKefuError } from '../../core';
import { createAesCodec } from '../../stores/encrypted/codec';
import { createSqliteData, LEGACY_BACKUP_TABLE, MIGRATIONS, type SqliteData, schemaVersion } from '../../stores/sqlite';
import { migrate } from '../../stores/sqlite/migrations';

const FIXTURES = join(__dirname, '..', 'fixtures', 'legacy');
const KEY = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');

describe('SQLite: start-up migration of a kefu 0.1 database', () => {
  let dir: string;
  const open: SqliteData[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-legacy-'));
  });
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const copy = (name: string) => {
    const path = join(dir, 'kefu.db');
    copyFileSync(join(FIXTURES, name), path);
    return path;
  };
  const start = (path: string, key?: Buffer) => {
    const data = createSqliteData({ path }, key ? { codec: createAesCodec(key) } : {});
    open.push(data);
    return data;
  };

  async function assertMigrated(data: SqliteData): Promise<void> {
    assert.equal(schemaVersion(data.db), MIGRATIONS.length);
    const a = await data.sessions.read('web:legacy-a');
    assert.equal(a?.version, 3);
    assert.equal((a?.value as Record<string, unknown> | null)?.history, undefined, 'history moved out of the session');
    const said = await data.messages.after('web:legacy-a', 0, 50);
    assert.deepEqual(
      said.filter((m) => m.from === 'customer').map((m) => m.text),
      ['hi', 'where is my order', '100234'],
    );
    assert.ok(said.some((m) => m.from === 'bot'));

    const queue = await data.handoffs.queue();
    assert.deepEqual(
      queue.items.map((r) => r.key),
      ['web:legacy-g', 'web:legacy-h', 'web:legacy-i'],
    );
    assert.deepEqual(await data.handoffs.agentLoads(), { anna: 3 });
    const d = (await data.handoffs.latest('web:legacy-d'))?.value;
    assert.deepEqual([d?.state, d?.csat], ['resolved', 5]);
    assert.equal((await data.handoffs.countByState()).ticket, 2);

    const tickets = await data.tickets.list({ status: 'open' });
    assert.deepEqual(tickets.items.map((t) => t.id).sort(), ['T-000001', 'T-000002']);
    assert.equal(await data.meta.nextSeq('ticket'), 3, 'ticket numbers go on after the last one');

    const pending = await data.messages.pending('downchat:x1', 10);
    assert.deepEqual(
      pending.map((m) => [m.from, m.text, m.delivery?.attempts, m.ref?.conversationId]),
      [['agent', 'reply that cannot be delivered yet', 1, 'x1']],
    );
    const x1 = await data.messages.after('downchat:x1', 0, 50);
    assert.equal(x1.find((m) => m.from === 'customer')?.id, 'dm-1', 'a platform retry of dm-1 is still recognised');
    assert.ok((x1.at(-1)?.seq ?? 0) > (x1.find((m) => m.from === 'customer')?.seq ?? 0));

    assert.deepEqual((await data.meta.get('agent-status:anna'))?.value, { status: 'online' });
    assert.equal((await data.counters.get('handoff')).turns, 17);
    const day = await data.counters.get('day:2026-12-07:web:en');
    assert.deepEqual([day.turns, day['intent:agent.request']], [13, 6]);
    assert.equal(await data.inbox.count(), 2);
    const audit = await verifyAuditLog(data);
    assert.deepEqual({ ok: audit.ok, entries: audit.entries }, { ok: true, entries: 8 });
    const backup = data.db.prepare(`SELECT COUNT(*) AS n FROM ${LEGACY_BACKUP_TABLE}`).get() as { n: number };
    assert.ok(backup.n > 30, 'the 0.1 table is kept as a backup');
  }

  it('moves every record of a plain database into its repository, once', async () => {
    const path = copy('kefu-0.1.db');
    await assertMigrated(start(path));
    await open.pop()?.close();
    const again = start(path);
    assert.equal(schemaVersion(again.db), MIGRATIONS.length);
    assert.equal((await again.handoffs.queue()).items.length, 3, 'a second start imports nothing twice');
  });

  it('opens what 0.1 encrypted with the same key and seals it again under the new record names', async () => {
    const path = copy('kefu-0.1-encrypted.db');
    const data = start(path, KEY);
    await assertMigrated(data);
    const raw = data.db.prepare(`SELECT body FROM kefu_conversations WHERE key = 'web:legacy-b'`).get() as { body: string };
    assert.match(raw.body, /^kefu:v1:/);
    assert.doesNotMatch(raw.body, /你好/);
  });

  it('without the key (or with another) start-up fails with KEFU_ERR_STORE_MIGRATION_FAILED and the file is left as it was', () => {
    const path = copy('kefu-0.1-encrypted.db');
    for (const key of [undefined, Buffer.alloc(32, 7)]) {
      assert.throws(
        () => start(path, key),
        (err: unknown) => isKefuError(err, 'KEFU_ERR_STORE_MIGRATION_FAILED') && /Migration 2/.test((err as Error).message),
      );
      const db = new Database(path, { readonly: true });
      try {
        assert.equal(schemaVersion(db), 1);
        assert.equal((db.prepare('SELECT COUNT(*) AS n FROM kefu_sessions').get() as { n: number }).n > 30, true);
        assert.equal((db.prepare('SELECT COUNT(*) AS n FROM kefu_handoffs').get() as { n: number }).n, 0);
      } finally {
        db.close();
      }
    }
    assert.equal(start(path, KEY).kind, 'sqlite', 'with the right key the same file then migrates');
  });

  it('a migration that throws is rolled back whole and stops start-up', () => {
    const db = new Database(join(dir, 'x.db'));
    try {
      const rows = createRowReader({});
      migrate(db, rows, [{ version: 1, name: 'one table', up: (d) => d.exec('CREATE TABLE a (x)') }]);
      const broken = { version: 2, name: 'half done', up: (d: Database.Database) => d.exec('CREATE TABLE b (x); INSERT INTO nowhere VALUES (1)') };
      assert.throws(
        () => migrate(db, rows, [broken]),
        (err: unknown) => isKefuError(err, 'KEFU_ERR_STORE_MIGRATION_FAILED'),
      );
      assert.equal(schemaVersion(db), 1);
      assert.equal((db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'b'`).get() as { n: number }).n, 0);
    } finally {
      db.close();
    }
  });
});
