/**
 * A busy file (another connection holds the write lock: another process, or the checkpoint worker
 * emptying the WAL): writes wait on timers, not in SQLite's busy handler, so the event loop keeps
 * serving while they wait; they succeed when the lock is let go, and fail with a coded error when
 * it is held past the busy wait.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isKefuError } from '../../core';
import { newSession } from '../../core/session';
import { createSqliteData } from '../../stores/sqlite';
import { handoff, message } from '../data/fixtures';

const ref = (id: string) => ({ channel: 'web', conversationId: id, userId: id });
const turn = (id: string) => ({ key: `web:${id}`, ref: ref(id), session: { value: newSession(ref(id), 1), expectedVersion: 0 }, messages: [message({ from: 'customer' })] });

/** The longest gap between ticks of a 2 ms interval while `p` runs: how long the event loop was blocked. */
async function longestStall<T>(p: Promise<T>): Promise<{ stallMs: number; result: PromiseSettledResult<T> }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 2);
  const [result] = await Promise.allSettled([p]);
  clearInterval(tick);
  // A stall that ended with the promise (a blocking wait that then failed) has had no tick to see it.
  stallMs = Math.max(stallMs, performance.now() - last);
  return { stallMs, result: result as PromiseSettledResult<T> };
}

describe('SQLite busy file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-busy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a turn, a named value and a handoff wait on timers while another connection writes, and land when it lets go', async () => {
    const path = join(dir, 'kefu.db');
    const data = createSqliteData({ path }, { busyTimeoutMs: 5000 });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      setTimeout(() => other.exec('COMMIT'), 600);
      const writes = Promise.all([data.commit(turn('a')), data.meta.put('busy-test', { n: 1 }, 0), data.handoffs.create(handoff({ id: 'h1', key: 'web:a' }))]);
      const started = performance.now();
      const { stallMs, result } = await longestStall(writes);
      assert.equal(result.status, 'fulfilled', result.status === 'rejected' ? String(result.reason) : '');
      assert.ok(performance.now() - started >= 550, 'the writes waited for the lock');
      assert.ok(stallMs < 250, `the event loop stalled ${stallMs.toFixed(0)} ms while the writes waited`);
      assert.equal((await data.sessions.read('web:a'))?.version, 1);
      assert.deepEqual((await data.meta.get('busy-test'))?.value, { n: 1 });
    } finally {
      other.close();
      await data.close();
    }
  });

  it('held past the busy wait: KEFU_ERR_STORE_UNAVAILABLE naming the lock, after about the wait, and the next write works', async () => {
    const path = join(dir, 'kefu.db');
    const data = createSqliteData({ path }, { busyTimeoutMs: 500 });
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      const { stallMs, result } = await longestStall(data.commit(turn('b')));
      const took = performance.now() - started;
      assert.equal(result.status, 'rejected');
      const err = (result as PromiseRejectedResult).reason;
      assert.ok(isKefuError(err, 'KEFU_ERR_STORE_UNAVAILABLE'), String(err));
      assert.match(err.message, /SQLITE_BUSY/);
      assert.ok(took >= 490 && took < 3000, `failed after ${took.toFixed(0)} ms`);
      assert.ok(stallMs < 250, `the event loop stalled ${stallMs.toFixed(0)} ms`);
      other.exec('ROLLBACK');
      assert.equal((await data.commit(turn('b'))).ok, true);
    } finally {
      other.close();
      await data.close();
    }
  });
});
