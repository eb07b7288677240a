/**
 * Two instances' outbox workers on one store and one Redis: every lane is sent by the instance
 * holding its lease, so each message reaches the platform once, though both workers sweep the same
 * due lanes at the same time. Without the leases the same run sends messages twice (checked below,
 * so this test can tell the difference).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type Channel, type ConversationRef, createEngine, createMemoryData, type Engine, type LaneLeases, type OutboundMessage, silentLogger } from '../../core';
import { connectRedisCluster } from '../../server/cluster/redis';
import type { Cluster } from '../../server/cluster';
import { demoDialogs } from '../../dialogs';
import { createKeywordClassifier, DEMO_KEYWORDS } from '../support/keyword-classifier';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A slow platform both instances send to; it records what it took. */
function slowPlatform(took: string[]): Channel {
  return {
    name: 'fake',
    delivery: 'outbox',
    async send(ref: ConversationRef, messages: readonly OutboundMessage[]) {
      await new Promise((r) => setTimeout(r, 2));
      for (const m of messages) took.push(`${ref.conversationId}:${m.text}`);
    },
  };
}

async function sendThroughTwoInstances(leases: [LaneLeases, LaneLeases] | undefined): Promise<string[]> {
  const data = createMemoryData();
  const took: string[] = [];
  const engines: Engine[] = [0, 1].map((i) =>
    createEngine({ classifier: createKeywordClassifier(DEMO_KEYWORDS), dialogs: demoDialogs, data, logger: silentLogger, ...(leases ? { leases: leases[i] as LaneLeases } : {}) }),
  );
  for (const e of engines) e.addChannel(slowPlatform(took));
  const [a, b] = engines as [Engine, Engine];
  const pushes: Promise<unknown>[] = [];
  for (let c = 0; c < 6; c++) {
    const ref = { channel: 'fake', conversationId: `c${c}`, userId: `c${c}` };
    pushes.push(
      a.push(
        ref,
        Array.from({ length: 8 }, (_, i) => ({ text: `m${i}`, locale: 'en' as const, from: 'agent' as const })),
        { wait: false },
      ),
    );
  }
  await Promise.all(pushes);
  b.delivery.start(); // the other instance sweeps the same due lanes meanwhile
  await Promise.all([a.delivery.idle(), b.delivery.idle()]);
  for (let waited = 0; took.length < 48 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  await Promise.all([a.delivery.idle(), b.delivery.idle()]);
  await Promise.all(engines.map((e) => e.close()));
  return took;
}

describe('outbox lanes across instances (Redis leases)', () => {
  const clusters: Cluster[] = [];
  after(async () => Promise.all(clusters.map((c) => c.close())));

  it('with leases every message is sent once; without them the same run sends some twice', async () => {
    const prefix = `kefu-test:${randomBytes(4).toString('hex')}:`;
    for (let i = 0; i < 2; i++) clusters.push(await connectRedisCluster({ url: REDIS_URL, prefix, log: silentLogger }));
    const leased = await sendThroughTwoInstances([clusters[0]?.leases as LaneLeases, clusters[1]?.leases as LaneLeases]);
    assert.equal(leased.length, 48, `48 sent, once each (got ${leased.length})`);
    assert.equal(new Set(leased).size, 48);
    for (let c = 0; c < 6; c++) {
      const lane = leased.filter((t) => t.startsWith(`c${c}:`));
      assert.deepEqual(
        lane,
        Array.from({ length: 8 }, (_, i) => `c${c}:m${i}`),
        'in order within the conversation',
      );
    }
    const unleased = await sendThroughTwoInstances(undefined);
    assert.ok(unleased.length > 48, `without leases both instances send some lanes (${unleased.length} sends for 48 messages)`);
  });
});
