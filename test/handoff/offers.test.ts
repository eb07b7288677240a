import assert from 'node:assert/strict';
import type { AgentProfile } from '../../plugins/handoff';
import { createRig, key, type Rig } from './support';

const TEAM: AgentProfile[] = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 2, status: 'online', autoAccept: false },
  { id: 'bob', name: 'Bob', skills: ['general'], languages: ['en'], capacity: 2, status: 'online', autoAccept: false },
  { id: 'wang', name: '王芳', skills: ['refunds', 'orders'], languages: ['zh'], capacity: 2, status: 'offline', autoAccept: false },
];

describe('handoff offers', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await createRig({ agents: TEAM, presence: { offerTimeoutMs: 30_000 } });
  });
  afterEach(() => rig.close());

  const texts = (id: string) =>
    rig.channel
      .to(id)
      .map((m) => m.text)
      .join('\n');

  it('routing offers; the customer hears "shortly" until the agent accepts, then who is with them', async () => {
    const said = await rig.say('o1', 'human please');
    assert.match(said, /An agent will be with you shortly\. You are number 1 in the queue \(about 1 min\)/);
    assert.doesNotMatch(said, /is now with you/);
    const r = await rig.service.get(key('o1'));
    assert.equal(r?.state, 'queued');
    assert.equal(r?.offer?.agentId, 'anna');
    const offered = rig.events.find((e) => e.type === 'handoff.offered');
    assert.ok(offered?.type === 'handoff.offered' && offered.agentId === 'anna' && offered.expiresAt === rig.clock.t + 30_000);
    assert.equal((await rig.service.agents()).find((a) => a.id === 'anna')?.load, 1, 'an offer holds a slot');

    const wrong = await rig.service.accept(key('o1'), 'bob');
    assert.ok(!wrong.ok && wrong.code === 'KEFU_ERR_HANDOFF_OFFER_GONE', 'only the offered agent accepts');
    rig.clock.t += 12_000;
    const ok = await rig.service.accept(key('o1'), 'anna');
    assert.ok(ok.ok && ok.record.state === 'assigned' && ok.record.agentId === 'anna');
    await rig.service.idle();
    assert.match(texts('o1'), /Anna from our support team is now with you/);
    const rec = await rig.service.get(key('o1'));
    assert.equal((rec?.assignedAt ?? 0) - (rec?.requestedAt ?? 0), 12_000, 'the wait is real: until the agent accepted');
    assert.ok(rig.events.some((e) => e.type === 'handoff.assigned' && e.by === 'accept'));
  });

  it('a declined offer goes to the next agent; the decliner is not asked again', async () => {
    await rig.say('o2', 'human please');
    assert.ok((await rig.service.decline(key('o2'), 'anna')).ok);
    const r = await rig.service.get(key('o2'));
    assert.equal(r?.offer?.agentId, 'bob');
    assert.deepEqual(r?.declinedBy, ['anna']);
    assert.ok((await rig.service.decline(key('o2'), 'bob')).ok);
    const after = await rig.service.get(key('o2'));
    assert.equal(after?.offer, undefined, 'nobody else: it waits in the queue (anyone may claim it)');
    assert.ok((await rig.service.claim(key('o2'), 'anna')).ok, 'a decliner may still claim it');
    await rig.service.idle();
    assert.deepEqual(
      rig.events.flatMap((e) => (e.type === 'handoff.offer_withdrawn' ? [[e.agentId, e.why]] : [])),
      [
        ['anna', 'declined'],
        ['bob', 'declined'],
      ],
    );
  });

  it('an unanswered offer times out and goes to the next agent; with no one else it is offered again', async () => {
    await rig.say('o3', 'human please');
    rig.clock.t += 30_000;
    await rig.service.tick();
    assert.equal((await rig.service.get(key('o3')))?.offer?.agentId, 'bob', 'expired → next agent');
    await rig.service.setAgentStatus('anna', 'away');
    rig.clock.t += 30_000;
    await rig.service.tick();
    const r = await rig.service.get(key('o3'));
    assert.equal(r?.offer?.agentId, 'bob', 'nobody else can take it: offered to Bob again');
    assert.ok(r?.offer && r.offer.expiresAt === rig.clock.t + 30_000, 'a fresh offer');
    const accepted = await rig.service.accept(key('o3'), 'anna');
    assert.ok(!accepted.ok && accepted.code === 'KEFU_ERR_HANDOFF_OFFER_GONE');
  });

  it('an agent set to auto-accept takes the conversation at once', async () => {
    await rig.close();
    rig = await createRig({ agents: [{ ...(TEAM[0] as AgentProfile), autoAccept: true }] });
    const said = await rig.say('o4', 'human please');
    assert.match(said, /Anna from our support team is now with you/);
    assert.equal((await rig.service.get(key('o4')))?.state, 'assigned');
  });

  it('an agent going away withdraws their offer; it goes to another', async () => {
    await rig.say('o5', 'human please');
    await rig.service.setAgentStatus('anna', 'away');
    const r = await rig.service.get(key('o5'));
    assert.equal(r?.offer?.agentId, 'bob');
    assert.ok(rig.events.some((e) => e.type === 'handoff.offer_withdrawn' && e.why === 'agent-left'));
  });
});
