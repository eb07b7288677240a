import assert from 'node:assert/strict';
import { type AgentProfile, DEMO_AGENTS } from '../../plugins/handoff';
import { createRig, key, type Rig } from './support';

const ALL_OFFLINE: AgentProfile[] = DEMO_AGENTS.map((a) => ({ ...a, status: 'offline' }));

describe('handoff tickets (工单)', () => {
  let rig: Rig;
  afterEach(() => rig.close());

  it('with every agent offline, a request becomes a ticket; its answer reaches the customer on their channel', async () => {
    rig = await createRig({ agents: ALL_OFFLINE });
    await rig.say('t1', '我要退款');
    const said = await rig.say('t1', '转人工');
    assert.match(said, /目前没有可接待的客服。已为您创建工单 T-000001/);
    assert.doesNotMatch(said, /订单号/, 'the interrupted refund question is not asked again');
    const ticket = await rig.service.getTicket('T-000001');
    assert.equal(ticket?.status, 'open');
    assert.equal(ticket?.cause, 'no-agent');
    assert.equal(ticket?.intent, 'refund.request');
    assert.ok(
      ticket?.transcript.some((t) => t.text === '我要退款'),
      'the ticket carries the transcript',
    );
    assert.equal((await rig.service.get(key('t1')))?.state, 'ticket');

    const answered = await rig.service.answerTicket('T-000001', 'wang', '您的退款已经办理，3-5个工作日到账。');
    assert.ok(answered.ok && answered.delivery === 'sent' && answered.ticket.status === 'pending' && answered.ticket.assigneeId === 'wang');
    const last = rig.channel.to('t1').at(-1);
    assert.equal(last?.text, '关于您的工单 T-000001 的回复：\n您的退款已经办理，3-5个工作日到账。');
    assert.equal(last?.from, 'agent');

    const closed = await rig.service.updateTicket('T-000001', 'wang', { status: 'resolved', priority: 3, note: 'refund issued' });
    assert.ok(closed.ok);
    const t = await rig.service.getTicket('T-000001');
    assert.deepEqual(
      t?.history.map((h) => h.action),
      ['created', 'answered', 'status', 'priority', 'note'],
    );
    assert.deepEqual(
      (await rig.service.listTickets({ status: 'resolved' })).items.map((x) => x.id),
      ['T-000001'],
    );
    await rig.service.idle(); // events reach agent channels asynchronously, in order
    assert.deepEqual(
      rig.events.filter((e) => e.type.startsWith('ticket.')).map((e) => e.type),
      ['ticket.created', 'ticket.updated', 'ticket.updated', 'ticket.updated', 'ticket.updated'],
    );
    assert.equal((await rig.service.metrics()).tickets.resolved, 1);
  });

  it('outside business hours a request becomes a ticket even with agents online', async () => {
    rig = await createRig({ businessHours: '1-5 09:00-18:00 Asia/Shanghai' });
    rig.clock.t = Date.UTC(2025, 0, 11, 5, 0, 0); // Saturday 13:00 in Shanghai
    const said = await rig.say('sat', 'human please');
    assert.match(said, /not available right now\. I created ticket T-000001/);
    assert.equal((await rig.service.getTicket('T-000001'))?.cause, 'closed');
  });

  it('when the last agent leaves, the waiting customers get tickets and are told', async () => {
    rig = await createRig({ agents: [{ id: 'solo', name: 'Sam', skills: ['general'], languages: ['en'], capacity: 1, status: 'online' }] });
    await rig.say('a', 'human please');
    await rig.say('b', 'human please');
    await rig.service.setAgentStatus('solo', 'offline');
    await rig.service.idle();
    const tickets = (await rig.service.listTickets()).items;
    assert.deepEqual(tickets.map((t) => t.key).sort(), [key('a'), key('b')]);
    assert.match(rig.channel.to('b').at(-1)?.text ?? '', /I created ticket T-00000\d/);
    assert.deepEqual((await rig.service.queue()).items, []);
    assert.deepEqual((await rig.service.list({ state: 'assigned' })).items, []);
  });

  it('rejects unknown tickets and bad updates with codes', async () => {
    rig = await createRig({ agents: ALL_OFFLINE });
    await rig.say('z', 'human');
    const missing = await rig.service.answerTicket('T-999999', 'anna', 'hi');
    assert.ok(!missing.ok && missing.code === 'KEFU_ERR_TICKET_NOT_FOUND');
    // @ts-expect-error an unknown status, as an HTTP client might send
    const bad = await rig.service.updateTicket('T-000001', 'anna', { status: 'done' });
    assert.ok(!bad.ok && bad.code === 'KEFU_ERR_HANDOFF_INPUT_INVALID' && /done/.test(bad.message));
    const who = await rig.service.updateTicket('T-000001', 'anna', { assigneeId: 'ghost' });
    assert.ok(!who.ok && who.code === 'KEFU_ERR_AGENT_UNKNOWN');
  });
});

describe('tickets are conversations', () => {
  let rig: Rig;
  afterEach(() => rig.close());

  it('the customer’s reply goes to the open ticket (not the bot), reopens it after an answer, and tells the agents', async () => {
    rig = await createRig({ agents: ALL_OFFLINE });
    await rig.say('tc', 'human please');
    const answered = await rig.service.answerTicket('T-000001', 'anna', 'Which lamp, and what is wrong with it?');
    assert.ok(answered.ok && answered.ticket.status === 'pending');
    const said = await rig.say('tc', 'The lamp shade is cracked, order 100234');
    assert.equal(said, 'Your ticket T-000001 is open; I added your message and an agent will answer you here.');
    assert.doesNotMatch(said, /on its way|order/i, 'the bot did not answer it');
    const t = await rig.service.getTicket('T-000001');
    assert.equal(t?.status, 'open', 'answered (pending) → open again');
    assert.deepEqual(t?.transcript.at(-1), { from: 'customer', text: 'The lamp shade is cracked, order 100234', at: rig.clock.t });
    const heard = rig.events.find((e) => e.type === 'ticket.customer_message');
    assert.ok(heard?.type === 'ticket.customer_message' && heard.ticket.assigneeId === 'anna' && heard.text === 'The lamp shade is cracked, order 100234');
  });

  it('a recently resolved ticket is reopened; an old one is not (the bot answers)', async () => {
    rig = await createRig({ agents: ALL_OFFLINE, presence: { ticketReopenMs: 86_400_000 } });
    await rig.say('tr', '转人工');
    assert.ok((await rig.service.updateTicket('T-000001', 'wang', { status: 'resolved' })).ok);
    rig.clock.t += 3_600_000;
    assert.equal(await rig.say('tr', '还是不行'), '您的工单 T-000001 已重新打开，您的消息已添加，客服会在这里回复您。');
    assert.equal((await rig.service.getTicket('T-000001'))?.history.at(-1)?.action, 'reopened');
    assert.ok((await rig.service.updateTicket('T-000001', 'wang', { status: 'resolved' })).ok);
    rig.clock.t += 2 * 86_400_000;
    assert.doesNotMatch(await rig.say('tr', '你好'), /工单/, 'resolved two days ago: the bot has the conversation again');
  });

  it('a waiting customer may leave a ticket instead (button or words)', async () => {
    rig = await createRig({ agents: [{ id: 'solo', name: 'Sam', skills: ['general'], languages: ['en'], capacity: 1, status: 'online' }] });
    await rig.say('w1', 'human please');
    const queued = await rig.say('w2', 'human please');
    assert.match(queued, /All our agents are busy right now/);
    const left = await rig.say('w2', 'Leave a ticket', { payload: 'handoff.ticket' });
    assert.equal(left, 'I created ticket T-000001; an agent will answer you here.');
    assert.equal((await rig.service.get(key('w2')))?.state, 'ticket');
    assert.equal(rig.service.queueSize(), 0);
    assert.match(await rig.say('w2', 'also, the box was wet'), /Your ticket T-000001 is open/);
  });
});
