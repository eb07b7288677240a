import assert from 'node:assert/strict';
import type { AgentProfile, HandoffEvent } from '../../plugins/handoff';
import { createRig, key, type Rig } from './support';

const TEAM: AgentProfile[] = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 2, status: 'online' },
  { id: 'bob', name: 'Bob', skills: ['orders', 'refunds'], languages: ['en'], capacity: 2, status: 'online' },
  { id: 'lilei', name: 'Li Lei', skills: ['orders', 'refunds'], languages: ['en', 'zh'], capacity: 2, status: 'offline', level: 'expert' },
];

const breaches = (events: HandoffEvent[]) => events.filter((e) => e.type === 'handoff.sla_breached');

describe('handoff expert tier', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await createRig({ agents: TEAM, levels: { agent: { firstResponseMs: 60_000 }, expert: { firstResponseMs: 300_000 } } });
  });
  afterEach(() => rig.close());

  it('an agent escalates to the expert queue with a note; only experts take it, ahead of the agent queue', async () => {
    await rig.say('a', 'where is my order?');
    await rig.say('a', 'human please');
    const before = await rig.service.get(key('a'));
    assert.equal(before?.agentId, 'anna', 'agent-tier conversations go to agents first');
    const up = await rig.service.escalateToExpert(key('a'), 'anna', { skill: 'refunds', note: 'Customs hold; needs a refund decision' });
    assert.ok(up.ok, JSON.stringify(up));
    const r = await rig.service.get(key('a'));
    assert.equal(r?.state, 'queued', 'no expert online: it waits, though Anna and Bob are free');
    assert.equal(r?.level, 'expert');
    assert.equal(r?.escalatedBy, 'anna');
    assert.equal(r?.skill, 'refunds');
    assert.equal(r?.escalationNote, 'Customs hold; needs a refund decision');
    assert.equal((r?.priority ?? 0) >= 4, true, 'expert conversations wait ahead of the agent queue');
    assert.match(rig.channel.to('a').at(-1)?.text ?? '', /specialists/);
    const said = await rig.service.transcript(key('a'));
    assert.deepEqual([said.at(-1)?.from, said.at(-1)?.text], ['note', 'Customs hold; needs a refund decision']);
    const esc = rig.events.find((e) => e.type === 'handoff.escalated');
    assert.deepEqual(esc && esc.type === 'handoff.escalated' ? [esc.agentId, esc.skill, esc.level] : [], ['anna', 'refunds', 'expert']);

    const claim = await rig.service.claim(key('a'), 'bob');
    assert.equal(claim.ok ? 'ok' : claim.code, 'KEFU_ERR_HANDOFF_EXPERT_ONLY');
    await rig.say('b', 'where is my order?');
    await rig.say('b', 'human please');
    const b = await rig.service.get(key('b'));
    assert.deepEqual([b?.state, b?.agentId], ['assigned', 'anna'], 'agents keep taking agent-tier conversations (Anna is free again)');

    assert.ok((await rig.service.setAgentStatus('lilei', 'online')).ok);
    const after = await rig.service.get(key('a'));
    assert.deepEqual([after?.state, after?.agentId], ['assigned', 'lilei']);
    const again = await rig.service.escalateToExpert(key('a'), 'lilei', { note: 'again' });
    assert.equal(again.ok ? 'ok' : again.code, 'KEFU_ERR_HANDOFF_INPUT_INVALID');
  });

  it('refuses an escalation without a note, from an agent who does not have the conversation, or with no expert', async () => {
    await rig.say('a', 'human please');
    const noNote = await rig.service.escalateToExpert(key('a'), 'anna', { note: ' ' });
    assert.equal(noNote.ok ? 'ok' : noNote.code, 'KEFU_ERR_HANDOFF_INPUT_INVALID');
    const notHers = await rig.service.escalateToExpert(key('a'), 'bob', { note: 'x' });
    assert.equal(notHers.ok ? 'ok' : notHers.code, 'KEFU_ERR_HANDOFF_NOT_ASSIGNED');
    const plain = await createRig({ agents: TEAM.slice(0, 2) });
    try {
      await plain.say('z', 'human please');
      const none = await plain.service.escalateToExpert(key('z'), (await plain.service.get(key('z')))?.agentId ?? '', { note: 'x' });
      assert.equal(none.ok ? 'ok' : none.code, 'KEFU_ERR_HANDOFF_NO_EXPERT');
    } finally {
      await plain.close();
    }
  });

  it('a breached first-response target alerts once per tier; a reply in time does not', async () => {
    await rig.say('a', 'human please');
    await rig.say('c', 'human please');
    rig.clock.t += 30_000;
    assert.ok((await rig.service.reply(key('c'), (await rig.service.get(key('c')))?.agentId ?? '', { text: 'Hi!' })).ok);
    rig.clock.t += 31_000;
    await rig.service.tick();
    await rig.service.tick();
    await rig.service.idle();
    assert.deepEqual(
      breaches(rig.events).map((e) => (e.type === 'handoff.sla_breached' ? [e.key, e.level, e.targetMs, e.waitedMs, e.agentId] : [])),
      [[key('a'), 'agent', 60_000, 61_000, 'anna']],
    );
    assert.equal((await rig.service.get(key('a')))?.slaBreachedAt?.agent, rig.clock.t);

    assert.ok((await rig.service.setAgentStatus('lilei', 'online')).ok);
    assert.ok((await rig.service.escalateToExpert(key('a'), 'anna', { note: 'over to you' })).ok);
    rig.clock.t += 299_000;
    await rig.service.tick();
    assert.equal(breaches(rig.events).length, 1, 'the expert clock starts at the escalation');
    rig.clock.t += 2_000;
    await rig.service.tick();
    await rig.service.tick();
    await rig.service.idle();
    const expert = breaches(rig.events).slice(1);
    assert.deepEqual(
      expert.map((e) => (e.type === 'handoff.sla_breached' ? [e.level, e.agentId] : [])),
      [['expert', 'lilei']],
    );
  });

  it('an expert reply stops the expert clock', async () => {
    assert.ok((await rig.service.setAgentStatus('lilei', 'online')).ok);
    await rig.say('a', 'human please');
    assert.ok((await rig.service.reply(key('a'), 'anna', { text: 'Hello' })).ok);
    assert.ok((await rig.service.escalateToExpert(key('a'), 'anna', { note: 'tricky' })).ok);
    rig.clock.t += 10_000;
    assert.ok((await rig.service.reply(key('a'), 'lilei', { text: 'Li Lei here' })).ok);
    rig.clock.t += 1_000_000;
    await rig.service.tick();
    await rig.service.idle();
    assert.equal(breaches(rig.events).length, 0);
    assert.equal((await rig.service.get(key('a')))?.expertFirstResponseAt, rig.clock.t - 1_000_000);
  });

  it('two instances on one store alert a breach once', async () => {
    await rig.say('a', 'human please');
    const other = await createRig({ agents: TEAM, data: rig.engine.data, levels: { agent: { firstResponseMs: 60_000 } } });
    try {
      other.clock.t = rig.clock.t += 61_000;
      await Promise.all([rig.service.tick(), other.service.tick()]);
      await rig.service.idle();
      await other.service.idle();
      assert.equal(breaches(rig.events).length + breaches(other.events).length, 1);
    } finally {
      await other.close();
    }
  });
});
