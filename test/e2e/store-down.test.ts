/**
 * A store that is down: turns fail with a coded 503 after bounded retries, never a hang and never a
 * crash, and work again once the store is back. SQLite locked by another writer (a real second
 * connection holding the write lock), and MongoDB gone (the wire server stopped under the app).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectMongo, createMongoData } from '../../stores/mongo';
import { createSqliteData } from '../../stores/sqlite';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { startMongoWireServer } from '../support/mongo-server';
import { postMessage, startApp } from '../support/server';

/** Turns are retried 4 times (50, 200, 800 ms apart) before the 503; each attempt waits at most the driver's timeout. */
const BOUND_MS = 8000;

describe('a store that is down', function () {
  this.timeout(60_000);
  const classifier = createKeywordClassifier();

  it('SQLite locked by another writer: 503 KEFU_ERR_STORE_UNAVAILABLE within the bound, the server lives on, and the next turn works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-locked-'));
    const path = join(dir, 'kefu.db');
    const s = await startApp({}, { classifier, data: createSqliteData({ path }, { busyTimeoutMs: 300 }) }, dir);
    const other = new Database(path);
    try {
      assert.equal((await postMessage(s.url, { conversationId: 'locked', text: 'hi' })).status, 200);
      other.exec('BEGIN EXCLUSIVE'); // another process holds the write lock
      const started = Date.now();
      const res = await postMessage(s.url, { conversationId: 'locked', text: 'where is my order' });
      const took = Date.now() - started;
      assert.equal(res.status, 503);
      assert.equal(res.json.error?.code, 'KEFU_ERR_STORE_UNAVAILABLE');
      assert.ok(took < BOUND_MS, `answered in ${took} ms`);
      assert.equal((await fetch(`${s.url}/healthz`)).status, 200, 'the process is still serving');
      other.exec('ROLLBACK');
      const again = await postMessage(s.url, { conversationId: 'locked', text: 'where is my order' });
      assert.equal(again.status, 200, JSON.stringify(again.json));
    } finally {
      other.close();
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a defect, not an outage (SQLite refuses a statement’s parameters): 500 KEFU_ERR_INTERNAL at once, not retried as the store being down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-defect-'));
    const data = createSqliteData({ path: join(dir, 'kefu.db') });
    const commit = data.commit.bind(data);
    let broken = 0;
    // A repository bug: the key bound as an object, which better-sqlite3 refuses with a TypeError.
    data.commit = (c) => {
      if (!c.key.endsWith('defect')) return commit(c);
      broken += 1;
      return commit({ ...c, key: { not: 'a string' } as unknown as string });
    };
    const s = await startApp({}, { classifier, data }, dir);
    try {
      const res = await postMessage(s.url, { conversationId: 'defect', text: 'where is my order' });
      assert.equal(res.status, 500, JSON.stringify(res.json));
      assert.equal(res.json.error?.code, 'KEFU_ERR_INTERNAL');
      assert.equal(broken, 1, 'tried once: retrying a defect only delays the answer');
      assert.equal((await postMessage(s.url, { conversationId: 'fine', text: 'hi' })).status, 200, 'the process is still serving');
    } finally {
      await s.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('MongoDB unreachable: 503 KEFU_ERR_STORE_UNAVAILABLE within the bound, and the server lives on', async () => {
    const wire = await startMongoWireServer();
    const connection = await connectMongo(`${wire.uri}?serverMonitoringMode=poll`, { serverSelectionTimeoutMS: 500 });
    const data = await createMongoData(connection, { ownsConnection: true, collectionPrefix: `down_${Date.now()}_` });
    const s = await startApp({}, { classifier, data });
    try {
      assert.equal((await postMessage(s.url, { conversationId: 'gone', text: 'hi' })).status, 200);
      await wire.stop();
      const started = Date.now();
      const res = await postMessage(s.url, { conversationId: 'gone', text: 'where is my order' });
      const took = Date.now() - started;
      assert.equal(res.status, 503, JSON.stringify(res.json));
      assert.equal(res.json.error?.code, 'KEFU_ERR_STORE_UNAVAILABLE');
      assert.ok(took < BOUND_MS, `answered in ${took} ms`);
      assert.equal((await fetch(`${s.url}/healthz`)).status, 200, 'the process is still serving');
    } finally {
      await s.stop().catch(() => undefined);
    }
  });
});
