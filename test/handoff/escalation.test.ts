import assert from 'node:assert/strict';
import type { AgentProfile } from '../../plugins/handoff';
import { createRig, key, type Rig } from './support';

const SOLO: AgentProfile[] = [{ id: 'solo', name: 'Sam', skills: ['orders', 'refunds', 'general'], languages: ['en', 'zh'], capacity: 1, status: 'online' }];

describe('handoff escalation triggers', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await createRig();
  });
  afterEach(() => rig.close());

  it('a request for a person (en) goes to the English agent, and the customer is told who', async () => {
    const said = await rig.say('en1', 'I want to talk to a human');
    assert.match(said, /connecting you/);
    assert.match(said, /Anna from our support team is now with you/);
    const r = await rig.service.get(key('en1'));
    assert.equal(r?.state, 'assigned');
    assert.equal(r?.agentId, 'anna');
    assert.equal(r?.reason, 'requested');
    assert.deepEqual(
      rig.events.map((e) => e.type),
      ['handoff.initiated', 'handoff.assigned'],
    );
    const init = rig.events[0];
    assert.ok(init?.type === 'handoff.initiated');
    assert.equal(init.summary.language, 'en');
    assert.equal(init.summary.channel, 'test');
    assert.ok(init.summary.lastTurns.some((t) => t.text === 'I want to talk to a human'));
  });

  it('转人工 after a refund question goes to the Chinese refunds agent, in Chinese', async () => {
    await rig.say('zh1', '我要退款');
    const said = await rig.say('zh1', '转人工');
    assert.match(said, /客服王芳 Wang Fang已接入/);
    const r = await rig.service.get(key('zh1'));
    assert.equal(r?.agentId, 'wang');
    assert.equal(r?.intent, 'refund.request');
    assert.equal(r?.skill, 'refunds');
    assert.equal(r?.locale, 'zh');
  });

  it('two misunderstood turns in a row escalate; one does not', async () => {
    await rig.say('fb', 'blorp zzz');
    assert.equal(await rig.service.get(key('fb')), undefined);
    const said = await rig.say('fb', 'qwerty asdf');
    const r = await rig.service.get(key('fb'));
    assert.equal(r?.reason, 'misunderstood');
    assert.equal(r?.detail, 'fallbacks=2');
    assert.match(said, /now with you/);
  });

  it('an angry English message escalates with priority, without running the bot dialog', async () => {
    const said = await rig.say('angry-en', 'This is ridiculous, where is my order?!');
    const r = await rig.service.get(key('angry-en'));
    assert.equal(r?.reason, 'sentiment');
    assert.equal(r?.priority, 1);
    assert.equal(r?.intent, 'order.status');
    assert.equal(r?.sentiment?.label, 'negative');
    assert.doesNotMatch(said, /order number/i);
  });

  it('an angry Chinese message escalates too', async () => {
    const said = await rig.say('angry-zh', '气死了，我的订单到底在哪里');
    const r = await rig.service.get(key('angry-zh'));
    assert.equal(r?.reason, 'sentiment');
    assert.equal(r?.agentId, 'wang');
    assert.match(said, /已接入/);
  });

  it('a VIP asking for a person gets the VIP agent and top priority', async () => {
    await rig.say('vip', 'agent please', { profile: { name: 'Mr Chen', tier: 'vip' } });
    const r = await rig.service.get(key('vip'));
    assert.equal(r?.agentId, 'lilei');
    assert.equal(r?.priority, 2);
    assert.deepEqual(r?.customer, { userId: 'u-vip', name: 'Mr Chen', tier: 'vip' });
  });

  it('while a human has the conversation the bot is silent and every message reaches the agents', async () => {
    await rig.say('silent', 'human please');
    const said = await rig.say('silent', 'where is my order 123456');
    assert.equal(said, '', 'the bot must not answer while an agent has the conversation');
    const fwd = rig.events.find((e) => e.type === 'handoff.customer_message');
    assert.ok(fwd?.type === 'handoff.customer_message');
    assert.equal(fwd.text, 'where is my order 123456');
    const said2 = await rig.service.transcript(key('silent'));
    assert.equal(said2.at(-1)?.text, 'where is my order 123456');
  });
});

describe('handoff queue', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await createRig({ agents: SOLO });
  });
  afterEach(() => rig.close());

  it('queues when the agent is busy, puts the angry customer first, tells the others when they move up', async () => {
    await rig.say('q1', 'human please');
    const calm = await rig.say('q2', 'human please');
    assert.match(calm, /number 1 in the queue; the estimated wait is about 5 min/);
    const angry = await rig.say('q3', 'this is the worst service, get me a human');
    assert.match(
      angry,
      /^I am really sorry about this, and I understand how frustrating it is\. All our agents are busy right now\. You are number 1 in the queue/,
      'soothing words first, then the real state',
    );
    assert.doesNotMatch(`${calm}\n${angry}`, /connecting/i, 'nobody is free: nobody is "connecting" the customer');
    const queue = (await rig.service.queue()).items;
    assert.deepEqual(
      queue.map((q) => q.record.key),
      [key('q3'), key('q2')],
    );
    assert.equal(queue[1]?.position, 2);

    const waiting = await rig.say('q2', 'hello? anyone?');
    assert.match(waiting, /saved for the agent/);

    rig.clock.t += 4 * 60_000;
    assert.ok((await rig.service.resolve(key('q1'), 'solo')).ok);
    await rig.service.idle();
    assert.equal((await rig.service.get(key('q3')))?.agentId, 'solo', 'the freed agent takes the first in line');
    assert.match(
      rig.channel
        .to('q3')
        .map((m) => m.text)
        .join('\n'),
      /Sam from our support team/,
    );
    assert.match(
      rig.channel
        .to('q2')
        .map((m) => m.text)
        .join('\n'),
      /now number 1 in the queue \(about 4 min\)/,
      'estimate follows recent handle time',
    );
  });

  it('a waiting customer can cancel and is back with the bot', async () => {
    await rig.say('c1', 'human please');
    await rig.say('c2', '人工');
    const said = await rig.say('c2', '取消');
    assert.match(said, /已为您返回机器人服务/);
    assert.equal((await rig.service.get(key('c2')))?.state, 'cancelled');
    assert.ok(rig.events.some((e) => e.type === 'handoff.cancelled' && e.key === key('c2')));
    const next = await rig.say('c2', '你好');
    assert.notEqual(next, '', 'the bot answers again');
  });

  it('the cancel button works too', async () => {
    await rig.say('b1', 'human please');
    await rig.say('b2', 'human please');
    const said = await rig.say('b2', '', { payload: 'handoff.cancel' });
    assert.match(said, /back with the bot/);
    assert.deepEqual((await rig.service.queue()).items, []);
  });

  it('an agent coming online takes the queue', async () => {
    await rig.service.setAgentStatus('solo', 'away');
    await rig.say('w1', 'human please');
    assert.equal((await rig.service.get(key('w1')))?.state, 'queued');
    await rig.service.setAgentStatus('solo', 'online');
    await rig.service.idle();
    assert.equal((await rig.service.get(key('w1')))?.agentId, 'solo');
    assert.match(rig.channel.to('w1').at(-1)?.text ?? '', /Sam from our support team/);
  });
});
