/**
 * A missed first-response target reaches supervisors on Slack twice: a line in the conversation's
 * thread, and a top-level post in the support channel (or SLACK_ALERTS_CHANNEL) that names tier,
 * wait, target and assignee and links to the thread (chat.getPermalink). Through the real Slack SDK
 * against the local Slack Web API server; one post per breach.
 */
import assert from 'node:assert/strict';
import { type AgentRig, SUPPORT, startAgentRig, visibleText } from '../support/slack-agent-rig';

const ALERTS = 'C0ALERTS';
const key = (id: string) => `test:${id}`;

describe('slack agent channel: SLA alerts', function () {
  this.timeout(30_000);
  let a: AgentRig;
  const clock = { t: Date.UTC(2026, 10, 2, 9) };

  afterEach(() => a?.close());

  async function breach(opts: { alertsChannel?: string } = {}): Promise<string> {
    a = await startAgentRig({ handoff: { tickMs: 0, now: () => clock.t, levels: { agent: { firstResponseMs: 60_000 } } }, ...opts });
    await a.say('c1', 'where is my order? my email is jo@example.com');
    await a.say('c1', 'human please');
    const root = a.roots().at(-1);
    assert.ok(root, 'an escalation thread was opened');
    clock.t += 75_000;
    await a.service.tick();
    await a.service.tick(); // a second look finds it already marked
    await a.settle();
    return root.ts;
  }

  it('posts a top-level alert in the support channel linking to the thread, beside the thread line', async () => {
    const ts = await breach();
    assert.match(
      a
        .thread(ts)
        .map((m) => m.text)
        .join('\n'),
      /:rotating_light: \*SLA breached\* \(agent tier\)/,
    );
    const alerts = a.roots().filter((m) => m.ts !== ts);
    assert.equal(alerts.length, 1, 'one top-level alert for one breach');
    const alert = alerts[0];
    assert.ok(alert);
    const seen = visibleText(alert);
    assert.match(alert.text, /^:rotating_light: SLA breached \(agent tier\): no agent reply after 75 s \(target 60 s\), still waiting in the queue\.$/);
    assert.match(seen, /First-response SLA breached · agent tier/);
    assert.match(seen, /\*Assignee\*\\n_nobody yet: in the queue_/);
    assert.ok(seen.includes(`<https://kefu-test.slack.com/archives/${SUPPORT}/p${ts.replace('.', '')}|Open the conversation's thread>`), 'links to the thread');
    for (const personal of ['jo@example.com', 'where is my order', 'u-c1']) assert.ok(!seen.includes(personal), `no ${personal} in the alert`);
    assert.deepEqual(
      a.slack.calls('chat.getPermalink').map((c) => [c.args.channel, c.args.message_ts]),
      [[SUPPORT, ts]],
    );
  });

  it('names the assignee, and goes to SLACK_ALERTS_CHANNEL when set', async () => {
    a = await startAgentRig({ handoff: { tickMs: 0, now: () => clock.t, levels: { agent: { firstResponseMs: 60_000 } } }, alertsChannel: ALERTS });
    await a.say('c2', 'human please');
    const root = a.roots().at(-1);
    assert.ok(root);
    assert.equal(await a.claim('UANNA', root), 200);
    clock.t += 61_000;
    await a.service.tick();
    await a.settle();
    const [alert, ...more] = a.slack.messages(ALERTS);
    assert.ok(alert);
    assert.deepEqual(more, []);
    assert.equal(alert.thread_ts, undefined, 'top level');
    assert.match(alert.text, /no agent reply after 61 s \(target 60 s\), with <@UANNA>\./);
    assert.match(visibleText(alert), /\*Assignee\*\\n<@UANNA>/);
    assert.equal(a.roots().length, 1, 'the support channel keeps only the thread');
    assert.equal((await a.service.get(key('c2')))?.slaBreachedAt?.agent, clock.t);
  });

  it('names the thread by its ts when Slack gives no permalink, and retries the alert through an outage', async () => {
    a = await startAgentRig({ handoff: { tickMs: 0, now: () => clock.t, levels: { agent: { firstResponseMs: 60_000 } } }, alertsChannel: ALERTS });
    await a.say('c3', 'human please');
    const root = a.roots().at(-1);
    assert.ok(root);
    a.slack.failWith('chat.getPermalink', 'message_not_found', 1);
    a.slack.fail('chat.postMessage', 500, 4); // the WebClient's own retries too
    clock.t += 61_000;
    await a.service.tick();
    await a.settle();
    assert.equal(a.slack.messages(ALERTS).length, 0);
    assert.ok(a.agents.outbox.pending > 0, 'the alert waits in the outbox');
    await a.agents.outbox.flush();
    await a.settle();
    const alerts = a.slack.messages(ALERTS);
    assert.equal(alerts.length, 1);
    assert.ok(visibleText(alerts[0] ?? root).includes(`Thread: <#${SUPPORT}>, ts ${root.ts}`), 'the thread named by its ts');
  });
});
