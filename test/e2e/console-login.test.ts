/**
 * Console logins as an attacker would try them (issue 9): wrong passwords back off (429 with
 * Retry-After, even for the right password meanwhile), failures are aggregated in the audit log
 * instead of one row each, a token stops working at logout, and short passwords are refused at
 * start-up.
 */
import assert from 'node:assert/strict';
import { isKefuError, loadConfig, silentLogger } from '../../core';
import { randomBytes } from 'node:crypto';
import { connectRedisCluster } from '../../server/cluster/redis';
import { createLoginThrottle } from '../../server/login-throttle';
import { wireHandoff } from '../../server/wire-handoff';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type RunningApp, startApp } from '../support/server';

/** Two instances' view of the machine's Redis, under a prefix of their own. */
async function redisPair() {
  const opts = { url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: `kefu-test:${randomBytes(4).toString('hex')}:`, log: silentLogger };
  return [await connectRedisCluster(opts), await connectRedisCluster(opts)] as const;
}

const login = (url: string, password: string) =>
  fetch(`${url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'anna', password }) });

describe('console logins', function () {
  this.timeout(20_000);

  // The same rules whether the counts live in this process or in Redis (multi-instance mode, where
  // two instances share them: the second throttle below counts what the first one saw).
  for (const where of ['this process', 'Redis'] as const) {
    it(`the throttle lets 5 wrong passwords through, then waits 1 s, 2 s, 4 s… per account; 20 per address (counts in ${where})`, async () => {
      let t = 0;
      const clusters = where === 'Redis' ? await redisPair() : undefined;
      const [viaA, viaB] = clusters ? clusters.map((c) => createLoginThrottle(c.failureCounts, () => t)) : [createLoginThrottle(undefined, () => t), undefined];
      const other = viaB ?? viaA;
      try {
        for (let i = 0; i < 5; i++) {
          assert.equal(await viaA.wait('anna', 'ip1'), 0);
          await viaA.failed('anna', 'ip1');
        }
        assert.equal(await other.wait('anna', 'ip1'), 1000);
        t = 1000;
        assert.equal(await other.wait('anna', 'ip1'), 0);
        await other.failed('anna', 'ip1');
        assert.equal(await viaA.wait('anna', 'ip2'), 2000, 'the account waits whatever the address');
        await viaA.succeeded('anna');
        assert.equal(await other.wait('anna', 'ip2'), 0);
        for (let i = 0; i < 20; i++) await viaA.failed(`guess-${i}`, 'ip9');
        assert.ok((await other.wait('someone-else', 'ip9')) > 0, 'one address guessing many accounts waits too');
      } finally {
        await Promise.all((clusters ?? []).map((c) => c.close()));
      }
    });
  }

  describe('against the server', () => {
    let s: RunningApp;
    before(async () => {
      s = await startApp({}, { classifier: createKeywordClassifier() });
    });
    after(async () => s?.stop());

    it('wrong passwords get 401 then 429 with Retry-After (the right one too, until the wait is over); the audit log has one row for them', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await login(s.url, `wrong-${i}-password`)).status);
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
      const locked = await login(s.url, 'anna-pass-12345');
      assert.equal(locked.status, 429);
      assert.ok(Number(locked.headers.get('retry-after')) >= 1);
      assert.equal(((await locked.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_RATE_LIMITED');
      const rows = [];
      for (let seq = 1; ; seq++) {
        const row = await s.app.engine.data.audit.get(seq);
        if (!row) break;
        rows.push(row);
      }
      const failed = rows.filter((r) => 'value' in r && (r.value as { action: string }).action === 'login.failed');
      assert.equal(failed.length, 1, `8 failures, one aggregated row (${rows.length} rows in all)`);
    });

    it('a token stops working at logout', async () => {
      const wang = await fetch(`${s.url}/console/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agentId: 'wang', password: 'wang-pass-12345' }),
      });
      const { token } = (await wang.json()) as { token: string };
      const auth = { authorization: `Bearer ${token}` };
      assert.equal((await fetch(`${s.url}/console/api/state`, { headers: auth })).status, 200);
      assert.equal((await fetch(`${s.url}/console/api/logout`, { method: 'POST', headers: auth })).status, 200);
      assert.equal((await fetch(`${s.url}/console/api/state`, { headers: auth })).status, 401);
      assert.equal((await fetch(`${s.url}/console/api/audit`, { headers: auth })).status, 401, 'on the other staff routes too');
    });
  });

  it('refuses CONSOLE_AGENTS passwords under 12 characters at start-up', async () => {
    await assert.rejects(
      wireHandoff(loadConfig({ CONSOLE_AGENTS: 'anna:short-pass' }), silentLogger),
      (err: unknown) => isKefuError(err, 'KEFU_ERR_CONFIG_INVALID') && /at least 12/.test((err as Error).message),
    );
  });
});
