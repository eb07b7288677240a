import assert from 'node:assert/strict';
import { type AgentProfile, DEMO_AGENTS } from '../../plugins/handoff';
import { createRig, key, type Rig } from './support';

const TIMES = { awayAfterMs: 120_000, offlineAfterMs: 600_000, disconnectGraceMs: 30_000, offerTimeoutMs: 30_000 };
/** The demo team as `npm start` has it: offline, offering (no auto-accept). */
const DEMO: AgentProfile[] = DEMO_AGENTS.map((a) => ({ ...a, autoAccept: false }));

const statusOf = async (rig: Rig, id: string) => (await rig.service.agents()).find((a) => a.id === id)?.status;

describe('handoff presence', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await createRig({ agents: DEMO, presence: TIMES });
  });
  afterEach(() => rig.close());

  it('the demo team starts offline: "talk to a human" makes a ticket and nobody "is now with you"', async () => {
    assert.deepEqual(
      (await rig.service.agents()).map((a) => a.status),
      ['offline', 'offline', 'offline'],
    );
    const said = await rig.say('nobody', 'human please');
    assert.match(said, /No agent is available right now\. I created ticket T-000001/);
    assert.doesNotMatch(said, /is now with you|connecting/i);
  });

  it('a login makes an agent online; silence makes them away, then offline; a sign of life brings them back', async () => {
    assert.ok((await rig.service.heartbeat('anna', 'login')).ok);
    assert.equal(await statusOf(rig, 'anna'), 'online');
    rig.clock.t += 119_000;
    await rig.service.tick();
    assert.equal(await statusOf(rig, 'anna'), 'online', 'not yet silent long enough');
    rig.clock.t += 2_000;
    await rig.service.tick();
    assert.equal(await statusOf(rig, 'anna'), 'away');
    await rig.service.heartbeat('anna', 'console');
    assert.equal(await statusOf(rig, 'anna'), 'online', 'presence set away, so a heartbeat undoes it');
    rig.clock.t += 600_000;
    await rig.service.tick();
    assert.equal(await statusOf(rig, 'anna'), 'offline');
    await rig.service.idle();
    assert.deepEqual(
      rig.events.flatMap((e) => (e.type === 'agent.status' ? [[e.status, e.auto]] : [])),
      [
        ['online', true],
        ['away', true],
        ['online', true],
        ['offline', true],
      ],
      'every change is an agent.status event other instances apply',
    );
  });

  it('a chosen status sticks: heartbeats do not undo "away" or "offline"; a new login does', async () => {
    await rig.service.heartbeat('wang', 'login');
    await rig.service.setAgentStatus('wang', 'away');
    await rig.service.heartbeat('wang', 'console');
    assert.equal(await statusOf(rig, 'wang'), 'away');
    await rig.service.setAgentStatus('wang', 'offline');
    await rig.service.heartbeat('wang', 'console');
    assert.equal(await statusOf(rig, 'wang'), 'offline');
    await rig.service.heartbeat('wang', 'login');
    assert.equal(await statusOf(rig, 'wang'), 'online');
  });

  it('the last console connection closing takes the agent offline after the grace period, unless they come back', async () => {
    await rig.service.heartbeat('anna', 'login');
    await rig.service.presenceLost('anna');
    rig.clock.t += 29_000;
    await rig.service.tick();
    assert.equal(await statusOf(rig, 'anna'), 'online', 'a reload within the grace period does not count');
    await rig.service.heartbeat('anna', 'console'); // the page reconnected
    rig.clock.t += 60_000;
    await rig.service.tick();
    assert.equal(await statusOf(rig, 'anna'), 'online');
    await rig.service.presenceLost('anna');
    rig.clock.t += 31_000;
    await rig.service.tick();
    assert.equal(await statusOf(rig, 'anna'), 'offline');
  });

  it('a sign of life stored by another instance keeps the agent present here', async () => {
    await rig.service.heartbeat('anna', 'login');
    rig.clock.t += 100_000;
    // Another instance saw Anna (its heartbeat reached the shared store, not this instance's memory).
    const stored = await rig.engine.data.meta.get<{ status: string; lastSeenAt?: number }>('agent-status:anna');
    assert.ok(stored);
    await rig.engine.data.meta.put('agent-status:anna', { ...stored.value, lastSeenAt: rig.clock.t }, stored.version);
    rig.clock.t += 60_000;
    await rig.service.tick();
    assert.equal(await statusOf(rig, 'anna'), 'online', 'silent here for 160 s, but seen elsewhere 60 s ago');
  });

  it('an agent going offline by silence hands their conversations back to the queue', async () => {
    await rig.service.heartbeat('anna', 'login');
    await rig.service.heartbeat('lilei', 'login');
    await rig.say('c', 'human please');
    const offered = rig.events.find((e) => e.type === 'handoff.offered');
    assert.ok(offered?.type === 'handoff.offered');
    assert.ok((await rig.service.accept(key('c'), offered.agentId)).ok);
    const other = offered.agentId === 'anna' ? 'lilei' : 'anna';
    rig.clock.t += 60_000;
    await rig.service.heartbeat(other, 'console');
    rig.clock.t += 600_000 - 60_000 + 1;
    await rig.service.heartbeat(other, 'console');
    await rig.service.tick();
    assert.equal(await statusOf(rig, offered.agentId), 'offline');
    const r = await rig.service.get(key('c'));
    assert.equal(r?.state, 'queued');
    assert.equal(r?.offer?.agentId, other, 'offered to the agent still here');
  });
});
