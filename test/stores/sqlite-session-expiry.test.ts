/**
 * SQLite writes a session's expiry in steps (stores/sqlite/sessions.ts): never before the TTL, at
 * most a step (1 % of it) after; and a TTL set or removed later applies to rows written before.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSession } from '../../core/session';
import { createSqliteData } from '../../stores/sqlite';

const REF = { channel: 'web', conversationId: 'x', userId: 'x' };

describe('SQLite session expiry', () => {
  let dir: string;
  let t: number;
  const now = () => t;
  const open = (ttl: number) => createSqliteData({ path: join(dir, 'kefu.db') }, { sessionTtlSeconds: ttl, now });
  const commit = async (data: ReturnType<typeof open>, expectedVersion: number) =>
    (await data.commit({ key: 'web:x', ref: REF, session: { value: newSession(REF, t), expectedVersion }, messages: [] })).ok;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-expiry-'));
    t = 1_000_000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('each commit keeps the session at least the TTL and at most 1 % more, however the commits fall within the step', async () => {
    const data = open(1000); // a step of 10 s
    try {
      assert.equal(await commit(data, 0), true);
      for (let v = 1; v <= 5; v++) {
        t += 3_000; // inside the step: the stored expiry may stay
        assert.equal(await commit(data, v), true);
      }
      const last = t;
      t = last + 1_000_000 - 1;
      assert.equal((await data.sessions.read('web:x'))?.version, 6, 'alive until the TTL after the last commit');
      t = last + 1_000_000 + 10_001;
      assert.equal(await data.sessions.read('web:x'), undefined, 'gone one step after');
    } finally {
      await data.close();
    }
  });

  it('a TTL set later applies to a session stored without one, and removing it keeps the session', async () => {
    let data = open(0);
    assert.equal(await commit(data, 0), true);
    await data.close();
    data = open(60);
    assert.equal(await commit(data, 1), true);
    t += 61_000;
    assert.equal(await data.sessions.read('web:x'), undefined, 'expired under the new TTL');
    assert.equal(await commit(data, 0), true);
    await data.close();
    data = open(0);
    try {
      assert.equal(await commit(data, 1), true);
      t += 10 * 86_400_000;
      assert.equal((await data.sessions.read('web:x'))?.version, 2, 'no TTL: kept');
    } finally {
      await data.close();
    }
  });
});
