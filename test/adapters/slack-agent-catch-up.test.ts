/**
 * The real server (buildApp from config, SQLite in DATA_DIR) stopped while a customer message for a
 * support thread waits on Slack: the next start posts it into the thread, once
 * (adapters/slack/agent-relay.ts, called by server/app.ts at start).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { type LocalSlackServer, startSlackServer } from '../support/slack-server';
import { until } from '../support/until';

const SUPPORT = 'C0SUPPORT';
const AGENTS = [{ id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 2, status: 'away', handles: { slack: 'UANNA' } }];

describe('slack support threads across a server restart', function () {
  this.timeout(60_000);
  let slack: LocalSlackServer;
  let dir: string;
  let s: RunningApp | undefined;

  beforeEach(async () => {
    slack = await startSlackServer();
    dir = mkdtempSync(join(tmpdir(), 'kefu-slack-catch-up-'));
    writeFileSync(join(dir, 'agents.json'), JSON.stringify(AGENTS));
  });
  afterEach(async () => {
    await s?.stop(true);
    s = undefined;
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    startApp(
      {
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: 'catch-up-signing-secret',
        SLACK_API_URL: slack.apiUrl,
        SLACK_SUPPORT_CHANNEL: SUPPORT,
        AGENTS_FILE: join(dir, 'agents.json'),
        CONSOLE_AGENTS: 'anna:anna-pass-12345',
      },
      { classifier: createKeywordClassifier() },
      dir,
    );
  const customerLines = () => slack.messages(SUPPORT).filter((m) => m.thread_ts && m.text.startsWith('*Customer:*'));

  it('posts at start the customer message Slack refused before the stop, once', async () => {
    s = await start();
    assert.equal((await postMessage(s.url, { conversationId: 'cu1', text: 'I want a human please' })).status, 200);
    const root = await until('the escalation thread', () => slack.messages(SUPPORT).find((m) => !m.thread_ts));
    const triedBefore = slack.attempts('chat.postMessage');
    slack.failWith('chat.postMessage', 'internal_error', 1); // transient: the line waits in memory for a retry
    assert.equal((await postMessage(s.url, { conversationId: 'cu1', text: 'are you still there?' })).status, 200);
    await until('Slack refusing the thread line', () => (slack.attempts('chat.postMessage') > triedBefore ? true : undefined));
    assert.equal(customerLines().length, 0);
    await s.stop(true); // the line was only in memory

    s = await start();
    const [line] = await until('the line after the restart', () => (customerLines().length ? customerLines() : undefined));
    assert.equal(line?.text, '*Customer:* are you still there?');
    assert.equal(line?.thread_ts, root.ts, 'in the escalation’s own thread');
    await s.stop(true);
    s = await start();
    assert.equal((await postMessage(s.url, { conversationId: 'cu1', text: 'hello again' })).status, 200);
    await until('the next live line', () => (customerLines().length === 2 ? true : undefined));
    assert.deepEqual(
      customerLines().map((m) => m.text),
      ['*Customer:* are you still there?', '*Customer:* hello again'],
      'a second restart posts nothing twice',
    );
  });
});
