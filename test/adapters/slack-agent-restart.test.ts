/**
 * The Slack agent side across a restart (thread ↔ conversation mapping from the record's links in
 * SQLite), and a customer who is on Slack too (both directions through the local Slack server).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaneLeases, silentLogger } from '../../core';
import { connectRedisCluster } from '../../server/cluster/redis';
import { createSqliteData } from '../../stores/sqlite';
import { type AgentRig, type AgentRigOptions, SLACK_TEAM, SUPPORT, startAgentRig } from '../support/slack-agent-rig';
import { dmEvent } from '../support/slack-events';
import { type LocalSlackServer, type PostedMessage, startSlackServer } from '../support/slack-server';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('slack agent channel across a restart', function () {
  this.timeout(30_000);
  let dir: string;
  let slack: LocalSlackServer;
  let a: AgentRig | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-slack-agent-'));
    slack = await startSlackServer();
  });
  afterEach(async () => {
    await a?.close();
    a = undefined;
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A process start: the agent side on the same SQLite file (DATA_DIR/kefu.db) as the one before. */
  const start = (o: Omit<AgentRigOptions, 'data' | 'slack'> = {}) => startAgentRig({ ...o, data: createSqliteData({ path: join(dir, 'kefu.db') }), slack });
  /** The customer asks for a person (after `first`, if given); resolves to the support thread's root. */
  async function escalate(rig: AgentRig, id: string, first?: string): Promise<PostedMessage> {
    if (first) await rig.say(id, first);
    await rig.say(id, 'human please');
    const root = rig.roots()[0];
    assert.ok(root, 'the escalation opened a support thread');
    return root;
  }
  /** The process stops (what its outbox held is lost with it) and starts again; its catch-up posts `posted` lines, then everything settles. */
  async function restart(posted: number, why?: string): Promise<AgentRig> {
    await a?.close();
    a = await start();
    assert.equal(await a.agents.catchUp(), posted, why);
    await a.settle();
    return a;
  }

  it('relays a reply written in a thread opened before the restart', async () => {
    a = await start();
    const root = await escalate(a, 'r1', 'where is my order?');
    await a.claim('UANNA', root);
    await a.close(); // the process stops; the SQLite file stays

    a = await start();
    const reply = await a.staff('UANNA', 'Back after the restart: your parcel left today', root.ts);
    assert.equal(reply.status, 200);
    assert.deepEqual(
      a.customers.to('r1').map((m) => [m.from, m.text]),
      [['agent', 'Back after the restart: your parcel left today']],
    );
    await a.say('r1', 'great, thanks');
    assert.equal(a.roots().length, 1, 'no second thread after the restart');
    assert.equal(a.thread(root.ts).at(-1)?.text, '*Customer:* great, thanks');
  });

  it('posts after a restart the customer messages a Slack outage kept from the thread, once each', async () => {
    a = await start();
    const root = await escalate(a, 'r1', 'where is my order?');
    await a.say('r1', 'posted before the outage');
    slack.fail('chat.postMessage', 500, 4); // the WebClient's own retries too: both wait in the outbox
    await a.say('r1', 'first while Slack is down');
    await a.say('r1', 'second while Slack is down');
    assert.equal(a.agents.outbox.pending, 2);
    a = await restart(2); // the process stopped with both still in memory
    const customerLines = () =>
      a
        ?.thread(root.ts)
        .filter((m) => m.text.startsWith('*Customer:*'))
        .map((m) => m.text);
    const expected = ['*Customer:* posted before the outage', '*Customer:* first while Slack is down', '*Customer:* second while Slack is down'];
    assert.deepEqual(customerLines(), expected, 'each once, in order; the escalation and what came before it stay in the summary');

    await a.say('r1', 'after the restart');
    a = await restart(0, 'the cursor passed everything Slack took');
    assert.deepEqual(customerLines(), [...expected, '*Customer:* after the restart']);
  });

  it('posts again a customer message the outbox gave up on, and holds the cursor below it so a restart posts it too', async () => {
    a = await start();
    const root = await escalate(a, 'r3');
    const lines = () =>
      a
        ?.thread(root.ts)
        .filter((m) => m.text.startsWith('*Customer:*'))
        .map((m) => m.text);
    slack.fail('chat.postMessage', 500, 8); // the first try and the one outbox retry both fail: given up
    await a.say('r3', 'given up once');
    await a.agents.outbox.flush(); // the retry fails, the outbox gives up, the relay posts it again: Slack is back
    assert.equal(a.agents.outbox.givenUp.length, 1, 'the outbox did give it up');
    assert.deepEqual(lines(), ['*Customer:* given up once']);

    slack.failWith('chat.postMessage', 'channel_not_found', 1); // refused for good: given up at once, the lane goes on
    await a.say('r3', 'given up twice');
    await a.say('r3', 'after it'); // Slack takes this one; the cursor stays below the gap
    assert.deepEqual(lines(), ['*Customer:* given up once', '*Customer:* after it']);
    a = await restart(2, 'the gap (never posted), and what came after it (at least once)');
    assert.deepEqual(lines(), ['*Customer:* given up once', '*Customer:* after it', '*Customer:* given up twice', '*Customer:* after it']);
  });

  it("posts after a restart the console's replies and notes a Slack outage kept from the thread, once each; never Slack's own", async () => {
    a = await start();
    const root = await escalate(a, 'r4');
    await a.claim('UANNA', root);
    assert.equal((await a.staff('UANNA', 'Anna here, written in Slack', root.ts)).status, 200);
    slack.fail('chat.postMessage', 500, 6); // the WebClient's own retries too: all three wait in the outbox
    assert.ok((await a.service.reply('test:r4', 'anna', { text: 'And this from the console', desk: 'console' })).ok);
    assert.ok((await a.service.note('test:r4', 'anna', 'checked the warehouse', { desk: 'console' })).ok);
    await a.say('r4', 'ok, thanks');
    assert.equal(a.agents.outbox.pending, 3);
    a = await restart(3); // the process stopped with all three in memory
    const posted = () => a?.thread(root.ts).map((m) => m.text) ?? [];
    const expected = ['*<@UANNA>* (from another desk): And this from the console', ':memo: Note by <@UANNA>: checked the warehouse', '*Customer:* ok, thanks'];
    assert.deepEqual(posted().slice(-3), expected, 'in the order they were written');
    assert.equal(posted().filter((t) => t.includes('written in Slack')).length, 0, 'what staff wrote in the thread is not posted back');

    a = await restart(0, 'the cursor passed all three');
    await a.service.reply('test:r4', 'anna', { text: 'live from the console', desk: 'console' });
    await a.staff('UANNA', 'live from Slack', root.ts);
    await a.settle();
    assert.equal(posted().at(-1), '*<@UANNA>* (from another desk): live from the console');
    assert.equal(posted().filter((t) => t.includes('live from Slack')).length, 0);
  });

  it('two instances starting together post a missed message once (Redis leases); without leases, twice', async () => {
    const prefix = `kefu-test:${randomBytes(4).toString('hex')}:`;
    const clusters = [await connectRedisCluster({ url: REDIS_URL, prefix, log: silentLogger }), await connectRedisCluster({ url: REDIS_URL, prefix, log: silentLogger })];
    let root: PostedMessage | undefined;
    const missed = async (text: string) => {
      a = await start();
      await a.say('r2', 'human please');
      root ??= a.roots()[0];
      slack.fail('chat.postMessage', 500, 4);
      await a.say('r2', text);
      assert.equal(a.agents.outbox.pending, 1);
      await a.close();
      a = undefined;
    };
    const startTwo = async (leases: (LaneLeases | undefined)[]) => {
      const two = await Promise.all(leases.map((l) => start(l ? { leases: l } : {})));
      const posted = await Promise.all(two.map((x) => x.agents.catchUp()));
      for (const x of two) await x.close();
      return posted;
    };
    const lines = (text: string) => slack.messages(SUPPORT).filter((m) => m.thread_ts === root?.ts && m.text === `*Customer:* ${text}`).length;
    try {
      await missed('first missed');
      assert.deepEqual((await startTwo(clusters.map((c) => c.leases))).sort(), [0, 1]);
      assert.equal(lines('first missed'), 1);
      await missed('second missed');
      assert.deepEqual(await startTwo([undefined, undefined]), [1, 1], 'without leases each instance posts it (so this test can tell)');
      assert.equal(lines('second missed'), 2);
    } finally {
      for (const c of clusters) await c.close();
    }
  });

  it('answers a ticket from its thread opened before the restart, and keeps the ticket in that thread', async () => {
    const offline = { agents: SLACK_TEAM.map((x) => ({ ...x, status: 'offline' as const })) };
    a = await start(offline);
    await a.say('t1', 'human please');
    const tickets = () => a?.roots().filter((m) => /Ticket T-000001/.test(m.text)) ?? [];
    const [root] = tickets();
    assert.ok(root, 'the ticket opened a thread');
    await a.close();

    a = await start(offline);
    await a.staff('UANNA', 'Answered after the restart', root.ts);
    assert.equal(a.customers.to('t1').at(-1)?.text, 'Answer to your ticket T-000001:\nAnswered after the restart');
    await a.say('t1', 'thank you');
    assert.equal(tickets().length, 1, 'no second thread for the ticket after the restart');
    assert.match(a.thread(root.ts).at(-1)?.text ?? '', /\*Customer\* \(for <@UANNA>\): thank you/);
  });
});

describe('slack agent channel with a customer on Slack', function () {
  this.timeout(30_000);
  let a: AgentRig;
  beforeEach(async () => {
    a = await startAgentRig();
  });
  afterEach(() => a.close());

  it('escalates a Slack DM into a support thread and relays the answer back to the DM', async () => {
    await a.rig.events.postEvent(dmEvent({ channel: 'D0CASEY', user: 'UCASEY', text: 'I want to talk to a human' }));
    await a.settle();
    const root = a.roots()[0];
    assert.ok(root, 'a support thread was opened');
    assert.match(root.text, /UCASEY on Slack/);
    await a.claim('UANNA', root);
    await a.staff('UANNA', 'Hi Casey, Anna here', root.ts);
    const dm = a.slack.messages('D0CASEY').map((m) => m.text);
    assert.ok(dm.includes('Hi Casey, Anna here'), `the DM got the agent's reply: ${JSON.stringify(dm)}`);
    await a.rig.events.postEvent(dmEvent({ channel: 'D0CASEY', user: 'UCASEY', text: 'thanks Anna' }));
    await a.settle();
    assert.equal(a.thread(root.ts).at(-1)?.text, '*Customer:* thanks Anna');
    assert.equal(a.slack.messages(SUPPORT).filter((m) => m.text.includes('thanks Anna')).length, 1);
  });
});
