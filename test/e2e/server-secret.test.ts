/**
 * The server's signing secret (issue 9: "each process has its own signing secret, so agents are
 * logged out by a restart"): one process keeps it in DATA_DIR/secret (mode 600), so a console
 * session survives a restart; KEFU_SECRET sets it, and is required with REDIS_URL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServerSecret } from '../../server/secret';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { startApp } from '../support/server';

describe('the server secret', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a console session survives a restart on the same data dir', async () => {
    const first = await startApp({}, { classifier: createKeywordClassifier() }, dir);
    const login = await fetch(`${first.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentId: 'anna', password: 'anna-pass-12345' }),
    });
    const { token } = (await login.json()) as { token: string };
    await first.stop(true);
    assert.equal(statSync(join(dir, 'secret')).mode & 0o777, 0o600, 'kept readable by the owner only');
    const again = await startApp({}, { classifier: createKeywordClassifier() }, dir);
    try {
      const state = await fetch(`${again.url}/console/api/state`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(state.status, 200, 'the session signed before the restart is still good');
    } finally {
      await again.stop(true);
    }
  });

  it('KEFU_SECRET gives every instance the same keys; REDIS_URL without it is a coded error', async () => {
    const a = await loadServerSecret({ KEFU_SECRET: 'x'.repeat(40), DATA_DIR: join(dir, 'a') });
    const b = await loadServerSecret({ KEFU_SECRET: 'x'.repeat(40), DATA_DIR: join(dir, 'b') });
    assert.deepEqual(a.keyFor('console-session'), b.keyFor('console-session'));
    assert.notDeepEqual(a.keyFor('console-session'), a.keyFor('event-ticket'), 'one key per use');
    await assert.rejects(loadServerSecret({ REDIS_URL: 'redis://127.0.0.1:6379', DATA_DIR: dir }), { code: 'KEFU_ERR_CONFIG_INVALID' });
  });
});
