/**
 * Encryption at rest and the wrong key: a session sealed with one key is never read as corrupt (and
 * so never replaced) under another; the old key opens it again; a key given as `previous` keeps
 * old records readable after a rotation while new writes use the new key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKefuError } from '../../core';
import { newSession } from '../../core/session';
import { createAesCodec } from '../../stores/encrypted/codec';
import { createSqliteData } from '../../stores/sqlite';

const REF = { channel: 'web', conversationId: 'k1', userId: 'k1' };

describe('encrypted SQLite and the wrong key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to read (KEFU_ERR_STORE_DECRYPT_FAILED) instead of replacing, and the right key reads it again', async () => {
    const path = join(dir, 'kefu.db');
    const oldKey = randomBytes(32);
    const first = createSqliteData({ path }, { codec: createAesCodec(oldKey) });
    await first.commit({ key: 'web:k1', ref: REF, session: { value: { ...newSession(REF, 1), data: { order: '100234' } }, expectedVersion: 0 }, messages: [] });
    await first.close();

    const corrupt: unknown[] = [];
    const wrong = createSqliteData({ path }, { codec: createAesCodec(randomBytes(32)), onCorrupt: (r) => corrupt.push(r) });
    await assert.rejects(wrong.sessions.read('web:k1'), (err: unknown) => isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED'));
    assert.deepEqual(corrupt, [], 'not reported as corrupt: nothing may replace it');
    await wrong.close();

    const newKey = randomBytes(32);
    const rotated = createSqliteData({ path }, { codec: createAesCodec(newKey, [oldKey]) });
    const read = await rotated.sessions.read('web:k1');
    assert.deepEqual(read?.value?.data, { order: '100234' });
    await rotated.commit({
      key: 'web:k1',
      ref: REF,
      session: { value: { ...(read?.value ?? newSession(REF, 1)), data: { order: '100235' } }, expectedVersion: read?.version ?? 0 },
      messages: [],
    });
    await rotated.close();
    const onlyNew = createSqliteData({ path }, { codec: createAesCodec(newKey) });
    assert.deepEqual((await onlyNew.sessions.read('web:k1'))?.value?.data, { order: '100235' }, 'rewritten under the new key');
    await onlyNew.close();
  });
});
