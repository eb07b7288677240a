/**
 * "The database is briefly down": another connection (in a worker thread, since better-sqlite3
 * blocks its own thread while it waits) holds the write lock. A write waits for a short lock and
 * then succeeds; a lock held longer than busyTimeoutMs gives KEFU_ERR_STORE_UNAVAILABLE, which
 * core's withStoreRetry retries until the write goes through.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { withStoreRetry } from '../../core/session-io';
import { createSqliteStore } from '../../stores/sqlite';
import { expectCode } from './suite-helpers';

// Takes the write lock, bumps key 'k' to version 2 inside it, then waits until flag[0] != 0 or holdMs pass.
const LOCK_HOLDER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.exec('BEGIN EXCLUSIVE');
db.prepare("UPDATE kefu_sessions SET value = '\\"theirs\\"', version = 2 WHERE key = 'k'").run();
parentPort.postMessage('locked');
Atomics.wait(new Int32Array(workerData.flag), 0, 0, workerData.holdMs);
db.exec('COMMIT');
db.close();
parentPort.postMessage('released');
`;

function holdLock(path: string, holdMs: number) {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(LOCK_HOLDER, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), path, flag, holdMs } });
  const messages: string[] = [];
  worker.on('message', (m: string) => messages.push(m));
  const next = async (want: string) => {
    while (!messages.includes(want)) await once(worker, 'message');
  };
  return {
    locked: () => next('locked'),
    release: async () => {
      Atomics.store(new Int32Array(flag), 0, 1);
      Atomics.notify(new Int32Array(flag), 0);
      await next('released');
    },
    stop: () => worker.terminate(),
  };
}

describe('sqlite store while another connection holds the lock', () => {
  let dir: string;
  const stops: Array<() => Promise<number>> = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-sqlite-busy-'));
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for a short lock, then checks the version against what the other connection committed', async () => {
    const path = join(dir, 'short.db');
    const store = createSqliteStore<string>({ path }, { busyTimeoutMs: 20_000 });
    await store.write('k', 'mine', 0);
    const holder = holdLock(path, 300);
    stops.push(holder.stop);
    await holder.locked();
    // Blocks this thread until the worker commits; expectedVersion 2 only matches after that commit.
    assert.equal(await store.write('k', 'mine again', 2), 'ok');
    assert.deepEqual(await store.read('k'), { value: 'mine again', version: 3 });
    await store.close();
  });

  it('gives KEFU_ERR_STORE_UNAVAILABLE for a long lock, keeps reads working, and a retried write succeeds', async () => {
    const path = join(dir, 'long.db');
    const store = createSqliteStore<string>({ path }, { busyTimeoutMs: 50 });
    await store.write('k', 'mine', 0);
    const holder = holdLock(path, 60_000);
    stops.push(holder.stop);
    await holder.locked();
    const err = await expectCode(store.write('k', 'blocked', 1), 'KEFU_ERR_STORE_UNAVAILABLE');
    assert.match(err.message, /SQLITE_BUSY/);
    assert.deepEqual(await store.read('k'), { value: 'mine', version: 1 }, 'WAL readers are not blocked by the writer');
    let attempts = 0;
    const result = await withStoreRetry(
      'save a session',
      () => {
        attempts += 1;
        return store.write('k', 'after the outage', 2);
      },
      () => holder.release(),
    );
    assert.equal(result, 'ok');
    assert.equal(attempts, 2);
    assert.deepEqual(await store.read('k'), { value: 'after the outage', version: 3 });
    await store.close();
  });
});
