import assert from 'node:assert/strict';
import type { AgentProfile } from '../../plugins/handoff';
import { createRig, key, type Rig } from './support';

const TEAM: AgentProfile[] = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 1, status: 'online' },
  { id: 'bob', name: 'Bob', skills: ['refunds'], languages: ['en'], capacity: 2, status: 'online' },
  { id: 'wang', name: '王芳', skills: ['refunds', 'orders'], languages: ['zh'], capacity: 2, status: 'online' },
  { id: 'off', name: 'Olga', skills: ['orders'], languages: ['en'], capacity: 2, status: 'offline' },
];

describe('handoff agent actions', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await createRig({ agents: TEAM });
  });
  afterEach(() => rig.close());

  it('reply reaches the customer as an agent message; notes never do; timings are recorded', async () => {
    await rig.say('a', 'where is my order?');
    await rig.say('a', 'human please');
    rig.clock.t += 30_000;
    const sent = await rig.service.reply(key('a'), 'anna', { text: 'Hi, Anna here. Let me check.' });
    assert.deepEqual(sent, { ok: true, delivery: 'sent' });
    const note = await rig.service.note(key('a'), 'anna', 'customer seems in a hurry');
    assert.ok(note.ok);
    const got = rig.channel.to('a');
    assert.equal(got.length, 1);
    assert.equal(got[0]?.text, 'Hi, Anna here. Let me check.');
    assert.equal(got[0]?.from, 'agent');
    assert.equal('agentId' in (got[0] ?? {}), false, 'the customer is not told which agent id wrote it');
    const r = await rig.service.get(key('a'));
    assert.equal(r?.firstResponseAt, (r?.assignedAt ?? 0) + 30_000);
    const said = await rig.service.transcript(key('a'));
    assert.deepEqual(
      said.slice(-2).map((t) => [t.from, t.text, t.agentId]),
      [
        ['agent', 'Hi, Anna here. Let me check.', 'anna'],
        ['note', 'customer seems in a hurry', 'anna'],
      ],
      'agent messages and notes join the conversation’s messages',
    );
    assert.ok(!(await rig.engine.data.messages.after(key('a'), 0, 100, 'customer')).some((m) => m.from === 'note'), 'the customer never reads the note');
    assert.deepEqual(
      rig.events.filter((e) => e.type === 'handoff.agent_message' || e.type === 'handoff.note').map((e) => e.type),
      ['handoff.agent_message', 'handoff.note'],
    );
  });

  it('resolve hands back to the bot, which asks for a 1-5 rating and stores the answer', async () => {
    await rig.say('r', '人工');
    rig.clock.t += 120_000;
    assert.ok((await rig.service.reply(key('r'), 'wang', { text: '您好，我是王芳' })).ok);
    rig.clock.t += 60_000;
    const done = await rig.service.resolve(key('r'), 'wang');
    assert.ok(done.ok);
    await rig.service.idle();
    const ask = rig.channel.to('r').at(-1);
    assert.match(ask?.text ?? '', /请为本次服务打分/);
    assert.deepEqual(
      ask?.quickReplies?.map((q) => q.payload),
      ['csat:1', 'csat:2', 'csat:3', 'csat:4', 'csat:5'],
    );
    const thanks = await rig.say('r', '', { payload: 'csat:4' });
    assert.match(thanks, /感谢您的评价/);
    const r = await rig.service.get(key('r'));
    assert.equal(r?.state, 'resolved');
    assert.equal(r?.csat, 4);
    const m = await rig.service.metrics();
    assert.deepEqual(m.csat, { count: 1, average: 4 });
    assert.equal(m.avgHandleMs, 180_000);
    assert.equal(m.avgFirstResponseMs, 120_000);
    assert.equal(m.avgWaitMs, 0);
    assert.equal(m.byState.resolved, 1);
    const after = await rig.say('r', '你好');
    assert.notEqual(after, '', 'the bot answers again after resolve');
  });

  it('a typed "5" answers the rating in English; anything else is handled by the bot', async () => {
    await rig.say('t', 'agent');
    await rig.service.resolve(key('t'), 'anna');
    await rig.service.idle();
    assert.match(rig.channel.to('t').at(-1)?.text ?? '', /How satisfied/);
    assert.match(await rig.say('t', '5'), /Thank you for your rating/);
    assert.equal((await rig.service.get(key('t')))?.csat, 5);

    await rig.say('u', 'agent');
    await rig.service.resolve(key('u'), 'anna');
    const said = await rig.say('u', 'hello');
    assert.doesNotMatch(said, /rating/);
    assert.equal((await rig.service.get(key('u')))?.csat, undefined);
  });

  it('says clearly why an action cannot be done', async () => {
    await rig.say('e', 'human');
    assert.deepEqual(await rig.service.reply('test:nobody', 'anna', { text: 'hi' }).then((r) => !r.ok && r.code), 'KEFU_ERR_HANDOFF_NOT_FOUND');
    assert.deepEqual(await rig.service.reply(key('e'), 'bob', { text: 'hi' }).then((r) => !r.ok && r.code), 'KEFU_ERR_HANDOFF_NOT_ASSIGNED');
    assert.deepEqual(await rig.service.claim(key('e'), 'bob').then((r) => !r.ok && r.code), 'KEFU_ERR_HANDOFF_TAKEN');
    assert.deepEqual(await rig.service.claim(key('e'), 'ghost').then((r) => !r.ok && r.code), 'KEFU_ERR_AGENT_UNKNOWN');
    assert.deepEqual(await rig.service.reply(key('e'), 'anna', { text: '  ' }).then((r) => !r.ok && r.code), 'KEFU_ERR_HANDOFF_INPUT_INVALID');
    assert.ok((await rig.service.claim(key('e'), 'anna')).ok, 'claiming your own conversation is fine');
    assert.ok((await rig.service.resolve(key('e'), 'anna')).ok);
    const late = await rig.service.reply(key('e'), 'anna', { text: 'one more thing' });
    assert.equal(late.ok, false);
    assert.ok(!late.ok && late.code === 'KEFU_ERR_HANDOFF_RESOLVED' && /nothing was sent/.test(late.message));
    await rig.service.idle();
    assert.ok(!rig.channel.to('e').some((m) => m.text === 'one more thing'));
  });

  it('claims a queued conversation, and transfers to an agent or back to the queue by skill', async () => {
    await rig.say('x1', 'human');
    await rig.say('x2', 'human'); // anna is full (capacity 1), bob lacks the skill but is free
    assert.equal((await rig.service.get(key('x2')))?.agentId, 'bob');
    const bad = await rig.service.transfer(key('x2'), 'bob', { agentId: 'off' });
    assert.ok(!bad.ok && bad.code === 'KEFU_ERR_AGENT_UNAVAILABLE');
    const full = await rig.service.transfer(key('x2'), 'bob', { agentId: 'anna' });
    assert.ok(!full.ok && full.code === 'KEFU_ERR_AGENT_UNAVAILABLE' && /capacity/.test(full.message));
    assert.ok((await rig.service.resolve(key('x1'), 'anna')).ok);
    const moved = await rig.service.transfer(key('x2'), 'bob', { agentId: 'anna' });
    assert.ok(moved.ok && moved.record.agentId === 'anna');
    await rig.service.idle();
    assert.match(
      rig.channel
        .to('x2')
        .map((m) => m.text)
        .join('\n'),
      /passing you to a colleague[\s\S]*Anna from our support team/,
    );

    const back = await rig.service.transfer(key('x2'), 'anna', { skill: 'refunds' });
    assert.ok(back.ok);
    assert.equal((await rig.service.get(key('x2')))?.agentId, 'bob', 'the refunds agent takes it');
    const types = rig.events.filter((e) => 'key' in e && e.key === key('x2')).map((e) => e.type);
    assert.deepEqual(types, ['handoff.initiated', 'handoff.assigned', 'handoff.transferred', 'handoff.assigned', 'handoff.transferred', 'handoff.assigned']);
  });

  it('an agent going offline puts their conversations back in the queue for the others', async () => {
    await rig.say('o', 'where is my order?');
    await rig.say('o', 'human please');
    assert.equal((await rig.service.get(key('o')))?.agentId, 'anna');
    await rig.service.setAgentStatus('anna', 'offline');
    assert.equal((await rig.service.get(key('o')))?.agentId, 'bob');
  });

  it('links map channel threads to conversations', async () => {
    await rig.say('l', 'human');
    assert.ok((await rig.service.setLink(key('l'), 'slack.thread_ts', '1712.0001')).ok);
    assert.equal((await rig.service.findByLink('slack.thread_ts', '1712.0001'))?.key, key('l'));
    await rig.service.resolve(key('l'), 'anna');
    assert.equal((await rig.service.findByLink('slack.thread_ts', '1712.0001'))?.state, 'resolved', 'still found after resolve');
  });

  it('a link for a given record is set only while that record is the active one', async () => {
    await rig.say('lr', 'human');
    const first = await rig.service.get(key('lr'));
    assert.ok(first);
    assert.ok((await rig.service.setLink(key('lr'), 'slack.relayed_seq', '3', { recordId: first.id })).ok);
    assert.ok((await rig.service.resolve(key('lr'), 'anna')).ok);
    rig.clock.t += 60_000;
    await rig.say('lr', '5'); // the rating the bot asks for
    await rig.say('lr', 'human'); // a second escalation of the conversation
    const r = await rig.service.setLink(key('lr'), 'slack.relayed_seq', '9', { recordId: first.id });
    assert.equal(r.ok ? 'ok' : r.code, 'KEFU_ERR_HANDOFF_NOT_FOUND');
    const second = await rig.service.get(key('lr'));
    assert.ok(second && second.id !== first.id);
    assert.equal(second.links['slack.relayed_seq'], undefined, "the new escalation's record is untouched");
  });

  it('metrics count conversations, turns and escalations', async () => {
    await rig.say('m1', 'hello');
    await rig.say('m1', 'where is my order 123456');
    await rig.say('m2', 'human');
    await rig.say('m2', 'are you there?');
    const m = await rig.service.metrics();
    assert.equal(m.conversations, 2);
    assert.equal(m.turns, 4);
    assert.equal(m.botTurns, 3);
    assert.equal(m.escalatedConversations, 1);
    assert.equal(m.automationRate, 0.5);
    assert.equal(m.escalationRate, 0.5);
    assert.deepEqual(m.byReason, { requested: 1 });
  });
});
