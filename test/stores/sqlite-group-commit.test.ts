/** Group commit (stores/sqlite/group-commit.ts): turns committed together share a transaction but not a fate. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKefuError } from '../../core';
import { newSession } from '../../core/session';
import { createSqliteData } from '../../stores/sqlite';
import { message } from '../data/fixtures';

const ref = (id: string) => ({ channel: 'web', conversationId: id, userId: id });

describe('SQLite group commit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-group-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits submitted in one tick: a bad one fails alone, with nothing of it stored; a stale one conflicts alone', async () => {
    const data = createSqliteData({ path: join(dir, 'kefu.db') });
    try {
      await data.commit({ key: 'web:stale', ref: ref('stale'), session: { value: newSession(ref('stale'), 1), expectedVersion: 0 }, messages: [] });
      // The session is fine; the second message cannot be stored: the session write before it must be undone too.
      const unstorable = message({ from: 'bot', quickReplies: [{ label: 'x', payload: 10n as unknown as string }] });
      const [good, bad, stale, other] = await Promise.allSettled([
        data.commit({ key: 'web:good', ref: ref('good'), session: { value: newSession(ref('good'), 1), expectedVersion: 0 }, messages: [message({ from: 'customer' })] }),
        data.commit({ key: 'web:bad', ref: ref('bad'), session: { value: newSession(ref('bad'), 1), expectedVersion: 0 }, messages: [message({ from: 'customer' }), unstorable] }),
        data.commit({ key: 'web:stale', ref: ref('stale'), session: { value: newSession(ref('stale'), 1), expectedVersion: 7 }, messages: [message()] }),
        data.commit({ key: 'web:good', ref: ref('good'), messages: [message({ from: 'agent' })] }),
      ]);
      assert.equal(good.status === 'fulfilled' && good.value.ok, true);
      assert.ok(bad.status === 'rejected' && isKefuError(bad.reason, 'KEFU_ERR_STORE_VALUE_INVALID'));
      assert.deepEqual(stale.status === 'fulfilled' && stale.value, { ok: false, conflict: true });
      assert.equal(other.status === 'fulfilled' && other.value.ok, true);
      assert.equal(await data.sessions.read('web:bad'), undefined);
      assert.deepEqual(await data.messages.after('web:bad', 0, 10), []);
      assert.deepEqual(await data.messages.after('web:stale', 0, 10), [], 'a conflicting turn leaves no messages');
      assert.deepEqual(
        (await data.messages.after('web:good', 0, 10)).map((m) => [m.seq, m.from]),
        [
          [1, 'customer'],
          [2, 'agent'],
        ],
      );
    } finally {
      await data.close();
    }
  });
});
