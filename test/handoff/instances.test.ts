/**
 * Two handoff desks on one store, as two instances are: each has its own lock and its own routing
 * state, and they hear each other's events (here directly, as the Redis bus carries them between
 * processes, JSON and all). Claims race on the store's compare-and-set: exactly one winner, the
 * loser is told the conversation is taken; both desks agree on the queue and on every agent's load.
 */
import assert from 'node:assert/strict';
import { createMemoryData } from '../../core';
import { createRig, key, type Rig } from './support';

function bridge(from: Rig, to: Rig): void {
  from.service.onEvent((event, version) => to.service.applyRemote(JSON.parse(JSON.stringify(event)), version));
}

describe('handoff across instances (two desks, one store)', () => {
  let a: Rig;
  let b: Rig;
  beforeEach(async () => {
    const data = createMemoryData({ now: () => Date.UTC(2025, 0, 6, 3, 0, 0) });
    a = await createRig({ data });
    b = await createRig({ data });
    bridge(a, b);
    bridge(b, a);
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('claim races between instances have exactly one winner each; both agree on queue and loads', async () => {
    for (const agent of ['anna', 'wang', 'lilei']) assert.ok((await a.service.setAgentStatus(agent, 'away')).ok);
    const customers = Array.from({ length: 40 }, (_, i) => `race${i}`);
    for (const c of customers) await (customers.indexOf(c) % 2 ? a : b).say(c, 'human please');
    assert.equal(a.service.queueSize(), 40, 'instance A routes what B queued');
    assert.equal(b.service.queueSize(), 40);

    const outcomes = await Promise.all(
      customers.map(async (c) => {
        const [viaA, viaB] = await Promise.all([a.service.claim(key(c), 'anna'), b.service.claim(key(c), 'lilei')]);
        return { viaA, viaB };
      }),
    );
    for (const { viaA, viaB } of outcomes) {
      assert.equal([viaA.ok, viaB.ok].filter(Boolean).length, 1, 'exactly one winner');
      const loser = viaA.ok ? viaB : viaA;
      assert.equal(loser.ok ? '' : loser.code, 'KEFU_ERR_HANDOFF_TAKEN');
    }
    await a.service.idle();
    await b.service.idle();
    const annaWins = outcomes.filter((o) => o.viaA.ok).length;
    assert.equal(a.service.queueSize(), 0);
    assert.equal(b.service.queueSize(), 0);
    for (const rig of [a, b]) {
      const loads = Object.fromEntries((await rig.service.agents()).map((v) => [v.id, v.load]));
      assert.deepEqual(loads, { anna: annaWins, wang: 0, lilei: 40 - annaWins }, 'each instance knows every agent’s load');
    }
    const stored = await a.engine.data.handoffs.agentLoads();
    assert.deepEqual({ anna: stored.anna ?? 0, lilei: stored.lilei ?? 0 }, { anna: annaWins, lilei: 40 - annaWins });
  });

  it('an agent coming online on one instance takes what waits, and the other sees it', async () => {
    for (const agent of ['anna', 'wang', 'lilei']) await a.service.setAgentStatus(agent, 'away');
    await b.say('w1', 'human please');
    assert.equal(a.service.queueSize(), 1);
    await a.service.setAgentStatus('anna', 'online');
    await a.service.idle();
    assert.equal((await b.service.get(key('w1')))?.agentId, 'anna');
    assert.equal(b.service.queueSize(), 0, 'the assignment made on A reached B’s queue');
    assert.equal((await b.service.agents()).find((v) => v.id === 'anna')?.status, 'online');
  });

  it('a late event (an older version of the record) changes nothing', async () => {
    for (const agent of ['anna', 'wang', 'lilei']) await a.service.setAgentStatus(agent, 'away');
    const seen: Array<{ event: unknown; version: number | undefined }> = [];
    a.service.onEvent((event, version) => seen.push({ event: JSON.parse(JSON.stringify(event)), version }));
    await a.say('late', 'human please');
    assert.ok((await a.service.claim(key('late'), 'anna')).ok);
    const queuedEvent = seen.find((s) => (s.event as { record?: { state?: string } }).record?.state === 'queued');
    assert.ok(queuedEvent, 'the queued record went out with its version');
    assert.equal(b.service.queueSize(), 0);
    b.service.applyRemote(queuedEvent.event as never, queuedEvent.version); // arrives again, late
    assert.equal(b.service.queueSize(), 0, 'the older version is ignored');
  });
});
