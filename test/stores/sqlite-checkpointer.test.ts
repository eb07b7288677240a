/** WAL checkpoints in a worker thread (stores/sqlite/checkpointer.ts): the commits never checkpoint, the worker does, and a dead worker hands them back. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSession } from '../../core/session';
import { startCheckpointer } from '../../stores/sqlite/checkpointer';
import { openDatabaseFile } from '../../stores/sqlite/open-database';
import { createSqliteData } from '../../stores/sqlite';
import { message } from '../data/fixtures';
import { until } from '../support/until';

const ref = (id: string) => ({ channel: 'web', conversationId: id, userId: id });
const autocheckpoint = (db: { pragma(s: string, o: { simple: true }): unknown }) => db.pragma('wal_autocheckpoint', { simple: true });

describe('SQLite checkpoints in a worker', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-checkpoint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turns write to the WAL only; the worker copies it into the database file; a reopen reads everything', async () => {
    const path = join(dir, 'kefu.db');
    const data = createSqliteData({ path }, { checkpoints: 'worker' });
    const empty = statSync(path).size;
    assert.equal(autocheckpoint(data.db), 0, 'the connection of the turns does not checkpoint');
    const text = 'x'.repeat(2_000);
    for (let i = 0; i < 400; i++) {
      const r = ref(`c${i}`);
      await data.commit({ key: `web:c${i}`, ref: r, session: { value: newSession(r, 1), expectedVersion: 0 }, messages: [message({ from: 'customer', text })] });
    }
    await until('the worker to checkpoint', () => statSync(path).size > empty + 800_000, 10_000);
    await data.close();
    const again = createSqliteData({ path });
    try {
      assert.equal((await again.messages.after('web:c399', 0, 10))[0]?.text, text);
    } finally {
      await again.close();
    }
  });

  it('keeps the log bounded under steady writes: past restartPages the log starts over at the head of a file capped at that size', async () => {
    const path = join(dir, 'kefu.db');
    const db = openDatabaseFile(path, 1000);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const cp = startCheckpointer(db, { intervalMs: 20, restartPages: 200 });
    try {
      const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
      const body = 'x'.repeat(4000);
      let biggest = 0;
      for (let i = 0; i < 3000; i++) {
        insert.run(body); // one transaction, at least one new WAL page, each
        if (i % 100 === 0) {
          biggest = Math.max(biggest, statSync(`${path}-wal`).size);
          await new Promise((r) => setTimeout(r, 5)); // the worker's turn
        }
      }
      assert.ok(biggest > 200 * 4096, 'the log did grow past the limit between checkpoints');
      // After the worker's RESTART the next commit writes at the head of the file and cuts it to the limit.
      let more = 0;
      await until(
        'the log to start over within the limit',
        () => {
          insert.run(body);
          more += 1;
          return statSync(`${path}-wal`).size <= 200 * 4096;
        },
        10_000,
      );
      assert.deepEqual(db.prepare('SELECT COUNT(*) AS n FROM t').get(), { n: 3000 + more });
    } finally {
      await cp.stop();
      db.close();
    }
  });

  it('close() in a process with nothing else to do returns and the process goes on (the worker is held while it stops)', () => {
    const store = JSON.stringify(join(__dirname, '../../stores/sqlite'));
    const code = `const { createSqliteData } = require(${store});
      (async () => { const d = createSqliteData({ path: ${JSON.stringify(join(dir, 'kefu.db'))} }, { checkpoints: 'worker' }); await d.close(); console.log('after close'); process.exitCode = 3; })();`;
    let status = 0;
    let out = '';
    try {
      out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { encoding: 'utf8' });
    } catch (err) {
      ({ status, stdout: out } = err as { status: number; stdout: string });
    }
    assert.equal(out.trim(), 'after close');
    assert.equal(status, 3);
  });

  it('a worker that cannot start hands checkpoints back to the commits, and says why once', async () => {
    const db = openDatabaseFile(join(dir, 'kefu.db'), 1000);
    const told: string[] = [];
    const cp = startCheckpointer(db, { driver: join(dir, 'no-such-driver.js'), onFallback: (why) => told.push(why) });
    try {
      await until('the fallback', () => cp.mode === 'inline', 10_000);
      assert.equal(autocheckpoint(db), 1000);
      assert.equal(told.length, 1);
      assert.match(told[0] ?? '', /checkpoint worker (failed|exited)/);
    } finally {
      await cp.stop();
      db.close();
    }
  });

  it('stop() ends the worker without a fallback warning and gives checkpoints back to the connection', async () => {
    const db = openDatabaseFile(join(dir, 'kefu.db'), 1000);
    const told: string[] = [];
    const cp = startCheckpointer(db, { onFallback: (why) => told.push(why) });
    assert.equal(cp.mode, 'worker');
    await cp.stop();
    assert.equal(cp.mode, 'inline');
    assert.equal(autocheckpoint(db), 1000);
    assert.deepEqual(told, []);
    db.close();
  });
});
