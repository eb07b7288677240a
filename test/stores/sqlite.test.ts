import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../stores/sqlite';
import { runStoreSuite } from './store-suite';
import { createClock, expectCode, expectCodeSync } from './suite-helpers';

describe('sqlite store', () => {
  let dir: string;
  let n = 0;
  const fresh = () => join(dir, `run-${++n}`, 'sessions.db');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-sqlite-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  runStoreSuite('sqlite', async (storeOpts) => {
    // A new file in a folder that does not exist yet, each time: the store must create the folder.
    const path = fresh();
    return {
      store: createSqliteStore({ path }, storeOpts),
      reopen: async () => createSqliteStore({ path }, storeOpts),
      another: async () => createSqliteStore({ path }, storeOpts),
      cleanup: async () => {},
    };
  });

  it('creates its folder and an owner-only file in WAL mode', async () => {
    const path = fresh();
    const store = createSqliteStore({ path });
    await store.write('k', 1, 0);
    await store.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.deepEqual(db.prepare('SELECT key, value, version FROM kefu_sessions').all(), [{ key: 'k', value: '1', version: 1 }]);
    db.close();
  });

  it('says KEFU_ERR_STORE_UNAVAILABLE with the path when the file cannot be opened', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const err = expectCodeSync(() => createSqliteStore({ path: join(blocker, 'kefu.db') }), 'KEFU_ERR_STORE_UNAVAILABLE');
    assert.match(err.message, /a-file[/\\]kefu\.db/);
    assert.match(err.message, /DATA_DIR/);
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a sqlite database, just some text that is long enough to have a header');
    expectCodeSync(() => createSqliteStore({ path: garbage }), 'KEFU_ERR_STORE_UNAVAILABLE');
  });

  it('refuses a table name that is not a plain identifier', () => {
    const db = new Database(':memory:');
    const err = expectCodeSync(() => createSqliteStore({ db }, { table: 'x"; DROP TABLE y; --' }), 'KEFU_ERR_STORE_OPTIONS_INVALID');
    assert.match(err.message, /DROP TABLE/);
    db.close();
  });

  it('uses a given database without closing it, and keeps tables apart', async () => {
    const db = new Database(':memory:');
    const a = createSqliteStore<string>({ db }, { table: 'a' });
    const b = createSqliteStore<string>({ db }, { table: 'b' });
    await a.write('k', 'in a', 0);
    assert.equal(await b.read('k'), undefined);
    await a.close();
    assert.equal(db.open, true);
    assert.deepEqual(await b.list(''), []);
    await b.close();
    db.close();
  });

  it('sweeps expired rows out of the file: on demand and during writes at most once per interval', async () => {
    const path = fresh();
    const clock = createClock();
    const store = createSqliteStore({ path }, { ttlSeconds: 60, now: clock.now, sweepIntervalSeconds: 300 });
    const rows = () => {
      const db = new Database(path, { readonly: true });
      const keys = db.prepare('SELECT key FROM kefu_sessions ORDER BY key').pluck().all();
      db.close();
      return keys;
    };
    await store.write('old', 1, 0); // first write sweeps (nothing yet) and starts the interval
    clock.tick(61_000);
    await store.write('new', 1, 0); // within the sweep interval: 'old' stays in the file
    assert.deepEqual(rows(), ['new', 'old']);
    assert.equal(await store.read('old'), undefined, 'reads ignore an expired row that is still in the file');
    clock.tick(300_000);
    await store.write('newer', 1, 0); // interval passed: this write sweeps 'old' and 'new'
    assert.deepEqual(rows(), ['newer']);
    clock.tick(61_000);
    assert.equal(await store.sweep(), 1);
    assert.deepEqual(rows(), []);
    await store.close();
    await expectCode(store.sweep(), 'KEFU_ERR_STORE_CLOSED');
  });

  it('reports a stored row that is not JSON as KEFU_ERR_STORE_VALUE_INVALID, naming the key', async () => {
    const db = new Database(':memory:');
    const store = createSqliteStore({ db });
    await store.write('good', 1, 0);
    db.prepare("INSERT INTO kefu_sessions (key, value, version, updated_at) VALUES ('broken', '{not json', 1, 0)").run();
    const err = await expectCode(store.read('broken'), 'KEFU_ERR_STORE_VALUE_INVALID');
    assert.match(err.message, /"broken"/);
    await expectCode(store.list(''), 'KEFU_ERR_STORE_VALUE_INVALID');
    assert.deepEqual(await store.read('good'), { value: 1, version: 1 });
    await store.close();
    db.close();
  });

  it('turns a database closed under it into KEFU_ERR_STORE_UNAVAILABLE', async () => {
    const db = new Database(':memory:');
    const store = createSqliteStore({ db });
    db.close();
    await expectCode(store.read('k'), 'KEFU_ERR_STORE_UNAVAILABLE');
    await expectCode(store.write('k', 1, 0), 'KEFU_ERR_STORE_UNAVAILABLE');
  });
});
