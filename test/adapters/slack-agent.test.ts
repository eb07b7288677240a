/**
 * Support staff answer escalations in Slack threads (issue 4), against the local Slack Web API
 * server: one thread per escalation, Claim button, relayed replies and files, notes, resolve,
 * transfer, refused actions answered in the thread.
 */
import assert from 'node:assert/strict';
import { type AgentRig, claimValue, SLACK_TEAM, SUPPORT, startAgentRig, visibleText } from '../support/slack-agent-rig';

const key = (id: string) => `test:${id}`;

describe('slack agent channel', function () {
  this.timeout(30_000);
  let a: AgentRig;

  beforeEach(async () => {
    a = await startAgentRig();
  });
  afterEach(() => a.close());

  async function escalated(conversation = 'c1'): Promise<string> {
    await a.say(conversation, 'where is my order?');
    await a.say(conversation, 'human please');
    const root = a.roots().at(-1);
    assert.ok(root, 'an escalation thread was opened');
    return root.ts;
  }

  it('opens one thread per escalation with the summary, last turns and a Claim button', async () => {
    const ts = await escalated();
    const [root] = a.roots();
    assert.equal(a.roots().length, 1);
    const seen = visibleText(root ?? { channel: '', ts: '', text: '', blocks: [] });
    for (const expected of ['u-c1', 'English', 'asked for a person', 'order.status', 'where is my order?', 'Claim'])
      assert.ok(seen.includes(expected), `summary shows ${expected}`);
    const record = await a.service.get(key('c1'));
    assert.equal(claimValue(root ?? { channel: '', ts: '', text: '', blocks: [] }), record?.id);
    assert.deepEqual([record?.links['slack.channel'], record?.links['slack.thread_ts']], [SUPPORT, ts]);
    await a.say('c1', 'anyone there?');
    assert.equal(a.roots().length, 1, 'later messages go into the same thread');
    assert.match(a.thread(ts).at(-1)?.text ?? '', /\*Customer:\* anyone there\?/);
  });

  it('claims with the button, relays replies and files, keeps notes internal, resolves and shows the rating', async () => {
    const ts = await escalated();
    const root = a.roots()[0];
    assert.ok(root);
    assert.equal(await a.claim('UANNA', root), 200);
    assert.equal((await a.service.get(key('c1')))?.agentId, 'anna');
    assert.ok(!claimValue(a.roots()[0] ?? root), 'the Claim button is gone once claimed');
    assert.match(visibleText(a.roots()[0] ?? root), /With <@UANNA>/);
    assert.match(
      a
        .thread(ts)
        .map((m) => m.text)
        .join('\n'),
      /Assigned to <@UANNA> \(claim\)/,
    );

    const before = a.thread(ts).length;
    const reply = await a.staff('UANNA', 'Hi, Anna here &amp; happy to help', ts);
    assert.equal(reply.status, 200);
    await a.staff('UANNA', 'note: customer sounds worried', ts);
    await a.staff('UANNA', '// check the warehouse first', ts);
    await a.staff('UANNA', '', ts, {
      subtype: 'file_share',
      files: [{ id: 'F0LABEL', name: 'label.png', mimetype: 'image/png', url_private: 'https://files.slack.com/files-pri/T0001-F0LABEL/label.png' }],
    });
    const toCustomer = a.customers.to('c1').filter((m) => m.from === 'agent');
    assert.deepEqual(
      toCustomer.map((m) => m.text),
      ['Hi, Anna here & happy to help', 'label.png'],
    );
    assert.equal(toCustomer[1]?.attachments?.[0]?.url, 'https://files.slack.com/files-pri/T0001-F0LABEL/label.png');
    assert.equal(a.thread(ts).length, before, 'replies and notes written in Slack are not echoed into the thread');
    const reactions = a.slack.calls('reactions.add').map((c) => c.args.name);
    assert.deepEqual(reactions, ['white_check_mark', 'memo', 'memo', 'white_check_mark']);
    const notes = (await a.service.transcript(key('c1'))).filter((m) => m.from === 'note').map((m) => m.text);
    assert.deepEqual(notes, ['customer sounds worried', 'check the warehouse first']);

    await a.staff('UANNA', 'resolve', ts);
    assert.equal((await a.service.get(key('c1')))?.state, 'resolved');
    assert.match(visibleText(a.roots()[0] ?? root), /Resolved by <@UANNA>/);
    assert.match(a.customers.to('c1').at(-1)?.text ?? '', /1 \(poor\) to 5/);
    await a.say('c1', '5');
    assert.match(a.thread(ts).at(-1)?.text ?? '', /rated this 5\/5/);
  });

  it('answers refused actions in the thread (ephemeral) and relays nothing', async () => {
    const ts = await escalated();
    const root = a.roots()[0];
    assert.ok(root);
    const stale = structuredClone(root); // Bob's Slack still shows the button when he presses it
    await a.staff('UANNA', 'Hello before claiming', ts);
    await a.claim('UANNA', root);
    assert.equal(await a.claim('UBOB', stale), 200);
    await a.staff('USTRANGER', 'I am not an agent', ts);
    await a.staff('UANNA', 'transfer money', ts);
    await a.staff('UANNA', 'resolve', ts);
    await a.staff('UANNA', 'Are you still there?', ts);
    const errors = a.slack.calls('chat.postEphemeral').map((c) => [c.args.user, c.args.thread_ts, /`(KEFU_ERR_[A-Z_]+)`/.exec(String(c.args.text))?.[1]]);
    assert.deepEqual(errors, [
      ['UANNA', ts, 'KEFU_ERR_HANDOFF_NOT_ASSIGNED'],
      ['UBOB', ts, 'KEFU_ERR_HANDOFF_TAKEN'],
      ['USTRANGER', ts, 'KEFU_ERR_AGENT_UNKNOWN'],
      ['UANNA', ts, 'KEFU_ERR_HANDOFF_INPUT_INVALID'],
      ['UANNA', ts, 'KEFU_ERR_HANDOFF_RESOLVED'],
    ]);
    assert.deepEqual(
      a.customers.to('c1').filter((m) => m.from === 'agent'),
      [],
    );
  });

  it('falls back to a thread reply when Slack refuses the ephemeral message', async () => {
    const ts = await escalated();
    a.slack.failWith('chat.postEphemeral', 'user_not_in_channel', 1);
    await a.staff('UANNA', 'Hello before claiming', ts);
    assert.match(a.thread(ts).at(-1)?.text ?? '', /^<@UANNA> :warning: .*KEFU_ERR_HANDOFF_NOT_ASSIGNED/);
  });

  it('transfers to a person by mention and to a skill queue by name', async () => {
    const ts = await escalated();
    await a.claim('UANNA', a.roots()[0] ?? assert.fail('no root'));
    assert.ok((await a.service.setAgentStatus('bob', 'online')).ok);
    await a.staff('UANNA', 'transfer <@UBOB>', ts);
    assert.equal((await a.service.get(key('c1')))?.agentId, 'bob');
    await a.staff('UBOB', 'transfer orders', ts);
    const record = await a.service.get(key('c1'));
    assert.deepEqual([record?.state, record?.skill], ['queued', 'orders']);
    assert.ok(claimValue(a.roots()[0] ?? assert.fail('no root')), 'back in the queue: the Claim button is back');
    const lines = a
      .thread(ts)
      .map((m) => m.text)
      .join('\n');
    assert.match(lines, /<@UANNA> transferred this to <@UBOB>/);
    assert.match(lines, /<@UBOB> transferred this to the \*orders\* queue/);
  });

  it('shows replies and notes made from the web console, and a customer who cancels', async () => {
    const ts = await escalated();
    await a.claim('UANNA', a.roots()[0] ?? assert.fail('no root'));
    assert.ok((await a.service.reply(key('c1'), 'anna', { text: 'Sent from the console' })).ok);
    assert.ok((await a.service.note(key('c1'), 'anna', 'console note')).ok);
    await a.settle();
    const lines = a.thread(ts).map((m) => m.text);
    assert.ok(lines.includes('*<@UANNA>* (from another desk): Sent from the console'), lines.join('\n'));
    assert.ok(lines.includes(':memo: Note by <@UANNA>: console note'));

    const other = await escalated('c2');
    await a.say('c2', 'cancel');
    assert.equal((await a.service.get(key('c2')))?.state, 'cancelled');
    assert.match(a.thread(other).at(-1)?.text ?? '', /customer went back to the bot/);
    assert.match(visibleText(a.roots().find((r) => r.ts === other) ?? assert.fail('no root')), /went back to the bot/);
    assert.equal(a.roots().length, 2, 'one thread per escalation');
  });

  it('opens a new thread when the conversation escalates again, and refuses replies in the old one', async () => {
    const first = await escalated();
    await a.claim('UANNA', a.roots()[0] ?? assert.fail('no root'));
    await a.staff('UANNA', 'resolve', first);
    await a.say('c1', '4');
    await a.say('c1', 'human please');
    assert.equal(a.roots().length, 2);
    const second = a.roots()[1]?.ts;
    assert.notEqual(second, first);
    await a.staff('UANNA', 'late answer in the old thread', first);
    const [refusal] = a.slack.calls('chat.postEphemeral');
    assert.equal(refusal?.args.thread_ts, first);
    assert.match(String(refusal?.args.text), /escalated again.*KEFU_ERR_HANDOFF_RESOLVED/);
    assert.ok(!a.customers.to('c1').some((m) => m.text === 'late answer in the old thread'));
  });

  it('relays a staff message once when Slack retries its event', async () => {
    const ts = await escalated();
    await a.claim('UANNA', a.roots()[0] ?? assert.fail('no root'));
    const res = await a.rig.events.postEvent({
      type: 'message',
      channel: SUPPORT,
      channel_type: 'channel',
      user: 'UANNA',
      text: 'Only once please',
      ts: '1700400000.000100',
      thread_ts: ts,
    });
    await a.rig.events.redeliver(res.request, 1);
    await a.settle();
    assert.deepEqual(
      a.customers
        .to('c1')
        .filter((m) => m.from === 'agent')
        .map((m) => m.text),
      ['Only once please'],
    );
  });

  it('tickets reach the support channel: a thread per ticket, the customer’s later messages in it, a staff reply answers the ticket', async () => {
    await a.close();
    a = await startAgentRig({ agents: SLACK_TEAM.map((x) => ({ ...x, status: 'offline' as const })) });
    await a.say('t1', 'human please');
    const root = a.slack.messages(SUPPORT).find((m) => !m.thread_ts && /Ticket T-000001/.test(m.text ?? ''));
    assert.ok(root, 'the ticket opened a thread');
    assert.match(visibleText(root), /no agent was free/);
    await a.say('t1', 'the lamp shade is cracked');
    assert.match(a.thread(root.ts).at(-1)?.text ?? '', /\*Customer\*: the lamp shade is cracked/);
    await a.staff('UANNA', 'Sorry about that! A new shade is on its way.', root.ts);
    await a.settle();
    const answer = a.customers.to('t1').at(-1);
    assert.equal(answer?.text, 'Answer to your ticket T-000001:\nSorry about that! A new shade is on its way.');
    assert.equal((await a.service.getTicket('T-000001'))?.assigneeId, 'anna');
    assert.equal((await a.service.agents()).find((x) => x.id === 'anna')?.status, 'online', 'writing in Slack is a sign of life');
  });

  it('ignores top-level chatter and bot posts in the support channel, and never treats it as customers', async () => {
    await escalated();
    const turnsBefore = (await a.engine.data.sessions.read(key('c1')))?.value?.turns;
    await a.staff('UANNA', 'morning team', undefined);
    await a.rig.events.postEvent({ type: 'app_mention', channel: SUPPORT, user: 'UANNA', text: '<@UBOT> resolve', ts: '1700500000.000100' });
    await a.settle();
    assert.equal(await a.engine.data.sessions.read(`slack:${SUPPORT}:1700500000.000100`), undefined);
    assert.equal((await a.engine.data.sessions.read(key('c1')))?.value?.turns, turnsBefore);
    assert.equal(a.slack.calls('chat.postEphemeral').length, 0);
  });

  it('keeps thread posts through a Slack outage and delivers them in order', async () => {
    const ts = await escalated();
    a.slack.fail('chat.postMessage', 500, 4);
    await a.say('c1', 'first while Slack is down');
    await a.say('c1', 'second while Slack is down');
    assert.equal(a.agents.outbox.pending, 2);
    await a.agents.outbox.flush();
    const lines = a.thread(ts).map((m) => m.text);
    assert.deepEqual(lines.slice(-2), ['*Customer:* first while Slack is down', '*Customer:* second while Slack is down']);
  });
});
