/**
 * Start-up with the wrong KEFU_ENCRYPTION_KEY (another key, none, or one over plain data) stops with
 * one clear KEFU_ERR_STORE_DECRYPT_FAILED instead of serving and failing every login and turn
 * with a 500 (issue 9); the right key starts, and the data is intact.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKefuError } from '../../core';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, startApp } from '../support/server';

const KEY_A = 'aa'.repeat(32);
const KEY_B = 'bb'.repeat(32);

describe('start-up with the wrong encryption key', function () {
  this.timeout(30_000);
  const classifier = createKeywordClassifier();
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-key-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses another key, no key, or a key over plain data, and starts with the right one', async () => {
    const first = await startApp({ KEFU_ENCRYPTION_KEY: KEY_A }, { classifier }, dir);
    assert.equal((await postMessage(first.url, { conversationId: 'kk', text: 'hi' })).status, 200);
    await first.stop(true);
    for (const env of [{ KEFU_ENCRYPTION_KEY: KEY_B }, {}] as Array<Record<string, string>>) {
      await assert.rejects(
        startApp(env, { classifier }, dir),
        (err: unknown) => isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED') && /KEFU_ENCRYPTION_KEY it was written with/.test((err as Error).message),
      );
    }
    const again = await startApp({ KEFU_ENCRYPTION_KEY: KEY_A }, { classifier }, dir);
    const said = await again.app.engine.data.messages.after('web:kk', 0, 10);
    assert.equal(said[0]?.text, 'hi');
    await again.stop(true);

    const plainDir = mkdtempSync(join(tmpdir(), 'kefu-plain-'));
    try {
      await (await startApp({}, { classifier }, plainDir)).stop(true);
      await assert.rejects(startApp({ KEFU_ENCRYPTION_KEY: KEY_A }, { classifier }, plainDir), (err: unknown) => isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED'));
    } finally {
      rmSync(plainDir, { recursive: true, force: true });
    }
  });
});
