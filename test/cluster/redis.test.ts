/**
 * Multi-instance coordination on the real Redis (127.0.0.1:6379, or REDIS_URL), each test under
 * its own key prefix: the bus reaches the other instances and not the sender, limits are shared,
 * a lane lease has one holder at a time and is taken over when it runs out, remembered values
 * come back until they expire.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../core';
import { connectRedisCluster } from '../../server/cluster/redis';
import type { Cluster } from '../../server/cluster';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function twoInstances(leaseTtlMs?: number): Promise<[Cluster, Cluster]> {
  const prefix = `kefu-test:${randomBytes(4).toString('hex')}:`;
  const opts = { url: REDIS_URL, prefix, log: silentLogger, ...(leaseTtlMs ? { leaseTtlMs } : {}) };
  return [await connectRedisCluster(opts), await connectRedisCluster(opts)];
}

const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

describe('multi-instance coordination on Redis', () => {
  let a: Cluster;
  let b: Cluster;
  afterEach(async () => {
    await a?.close();
    await b?.close();
  });

  it('a published message reaches the other instance, not the one that sent it', async () => {
    [a, b] = await twoInstances();
    const atA: unknown[] = [];
    const atB: unknown[] = [];
    a.subscribe('web-push', (p) => atA.push(p));
    b.subscribe('web-push', (p) => atB.push(p));
    await settle(); // subscriptions are confirmed asynchronously
    a.publish('web-push', { n: 1 });
    b.publish('web-push', { n: 2 });
    await settle();
    assert.deepEqual(atA, [{ n: 2 }]);
    assert.deepEqual(atB, [{ n: 1 }]);
    assert.notEqual(a.instanceId, b.instanceId);
  });

  it('a rate limit is one bucket for every instance', async () => {
    [a, b] = await twoInstances();
    const viaA = a.rateLimiter('web-ip', 4);
    const viaB = b.rateLimiter('web-ip', 4);
    const waits = [await viaA.take('10.0.0.1'), await viaB.take('10.0.0.1'), await viaA.take('10.0.0.1'), await viaB.take('10.0.0.1')];
    assert.deepEqual(waits, [0, 0, 0, 0], 'the bucket holds 4');
    const fifth = await viaB.take('10.0.0.1');
    assert.ok(fifth > 10_000 && fifth <= 15_000, `the 5th waits for a token (4 a minute: ~15 s), got ${fifth} ms`);
    assert.equal(await viaA.take('10.0.0.2'), 0, 'another key has its own bucket');
    assert.equal(await a.rateLimiter('off', 0).take('x'), 0);
  });

  it('an outbox lane has one lease holder; renewals fail once it ran out and another took it', async () => {
    [a, b] = await twoInstances(300);
    const held = await a.leases?.acquire('telegram:42');
    assert.ok(held, 'the first instance takes the lease');
    assert.equal(await b.leases?.acquire('telegram:42'), undefined, 'the other cannot while it is held');
    assert.equal(await held.renew(), true);
    await settle(450); // not renewed in time: it ran out
    const taken = await b.leases?.acquire('telegram:42');
    assert.ok(taken, 'the other instance takes over a lease that ran out');
    assert.equal(await held.renew(), false, 'the first learns it lost the lane');
    await held.release(); // releasing a lease one no longer holds leaves the new holder's alone
    assert.equal(await a.leases?.acquire('telegram:42'), undefined);
    await taken.release();
    assert.ok(await a.leases?.acquire('telegram:42'), 'free again once released');
  });

  it('remembered values come back to any instance until they run out', async () => {
    [a, b] = await twoInstances();
    const now = Date.now();
    await a.remember('revoked', 'sig-long', now + 60_000);
    await a.remember('revoked', 'sig-short', now + 150);
    assert.deepEqual((await b.recall('revoked')).map((m) => m.member).sort(), ['sig-long', 'sig-short']);
    await settle(250);
    assert.deepEqual(
      (await b.recall('revoked')).map((m) => m.member),
      ['sig-long'],
    );
  });

  it('start-up fails with a coded error when Redis does not answer', async () => {
    await assert.rejects(connectRedisCluster({ url: 'redis://127.0.0.1:1', prefix: 'x:', log: silentLogger }), { code: 'KEFU_ERR_CLUSTER_UNAVAILABLE' });
  });
});
