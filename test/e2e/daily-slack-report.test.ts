/**
 * The daily report as a Slack post (DAILY_REPORTS=slack or file,slack; docs/reports.md): a summary
 * of the day (conversations split bot / agents / experts, escalations, SLA breaches, CSAT, QA flags;
 * no message text) in SLACK_ALERTS_CHANNEL, through the Slack channel's real Web API client against
 * the local Slack server. A post that fails is logged, stays owed in the store and goes out at the
 * next day boundary or the next start; never twice.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SlackChannel } from '../../adapters/slack';
import { type Config, loadConfig } from '../../core';
import { wireDailyReports } from '../../server/reports/daily';
import { wireSlack, wireSlackReportPoster } from '../../server/wire-slack';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { TEST_SIGNING_SECRET } from '../support/slack-rig';
import { type LocalSlackServer, startSlackServer } from '../support/slack-server';
import { recordingLogger } from '../support/telegram-test-kit';

const ALERTS = 'C0ALERTS';
const today = () => new Date().toISOString().slice(0, 10);

describe('daily report on Slack', function () {
  this.timeout(30_000);
  let slackApi: LocalSlackServer;
  let s: RunningApp;
  let config: Readonly<Config>;
  let slack: SlackChannel;

  const reports = async (log = recordingLogger()) => ({
    log,
    daily: wireDailyReports(config, { data: s.app.engine.data, handoff: s.app.handoff }, wireSlackReportPoster(config, [slack]), log.log),
  });
  const posts = () => slackApi.messages(ALERTS).filter((m) => m.text.includes('kefu daily report'));

  before(async () => {
    slackApi = await startSlackServer();
    const env = {
      SLACK_BOT_TOKEN: slackApi.token,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slackApi.apiUrl,
      SLACK_SUPPORT_CHANNEL: 'C0SUPPORT',
      SLACK_ALERTS_CHANNEL: ALERTS,
      DAILY_REPORTS: 'file,slack',
      AUDIT_VERIFY_AT: 'off', // the test calls afterDay itself
      SLA_AGENT_FIRST_RESPONSE_SECONDS: '1',
      LOG_LEVEL: 'silent',
    };
    config = loadConfig(env);
    slack = (await wireSlack(config, recordingLogger().log)) as SlackChannel;
    s = await startApp(env, { classifier: createKeywordClassifier(), channels: [slack] });
    config = s.app.config; // with the test's DATA_DIR
    await s.app.handoff.setAgentStatus('anna', 'online');
    await postMessage(s.url, { conversationId: 'd1', text: 'where is my order? my email is jo@example.com' }); // the bot alone
    await postMessage(s.url, { conversationId: 'd2', text: 'I need a human please' });
    await postMessage(s.url, { conversationId: 'd3', text: 'I need a human please' });
    const agent = 'anna';
    assert.ok((await s.app.handoff.claim('web:d2', agent)).ok);
    assert.ok((await s.app.handoff.reply('web:d2', agent, { text: 'Hello, how can I help?' })).ok);
    assert.ok((await s.app.handoff.resolve('web:d2', agent)).ok);
    await postMessage(s.url, { conversationId: 'd2', text: '5' });
    await new Promise((r) => setTimeout(r, 1100)); // d3 waits past its 1 s target
    await s.app.handoff.tick();
    await s.app.handoff.idle();
  });
  after(async () => {
    await s?.stop();
    await slackApi?.close();
  });

  it('DAILY_REPORTS takes off, file, slack or both, and nothing else', () => {
    assert.deepEqual(loadConfig({}).DAILY_REPORTS, []);
    assert.deepEqual(loadConfig({ DAILY_REPORTS: 'file' }).DAILY_REPORTS, ['file']);
    assert.deepEqual(loadConfig({ DAILY_REPORTS: 'slack, file,slack' }).DAILY_REPORTS, ['slack', 'file']);
    assert.throws(() => loadConfig({ DAILY_REPORTS: 'email' }), /DAILY_REPORTS: must be "off", "file", "slack" or "file,slack" \(got "email"\)/);
  });

  it('posts the day’s figures to the alerts channel, and writes the files too (file,slack)', async () => {
    const { daily } = await reports();
    assert.ok(daily.afterDay);
    await daily.afterDay(today());
    const [post, ...more] = posts();
    assert.ok(post);
    assert.deepEqual(more, []);
    assert.equal(post.thread_ts, undefined);
    assert.match(post.text, new RegExp(`^:bar_chart: \\*kefu daily report · ${today()}\\* \\(UTC\\)`));
    assert.match(post.text, /\*Conversations\* 3: contained by the bot 1 \(33\.3 %\) · resolved by agents 1 \(33\.3 %\) · by experts 0 \(0 %\) · other 1/);
    assert.match(post.text, /\*Escalations\* 2 · \*SLA breaches\* 1 \(agent tier 1, expert tier 0\)/);
    assert.match(post.text, /\*CSAT\* 5 \/ 5 \(1 ratings\) · \*QA\* \d flagged of 1 scored/);
    for (const personal of ['jo@example.com', 'where is my order', 'human please', 'Visitor', 'web:d']) assert.ok(!post.text.includes(personal), `no ${personal}`);
    assert.ok(existsSync(join(s.dataDir, 'reports', `${today()}-conversations.csv`)), 'the CSVs as well');
  });

  it('a failed post is logged and owed: it goes out at the next day boundary, in order, once', async () => {
    const before = posts().length;
    const { daily, log } = await reports();
    slackApi.failWith('chat.postMessage', 'not_in_channel', 1);
    await daily.afterDay?.('2026-11-01');
    assert.equal(posts().length, before, 'nothing posted');
    const failure = log.lines.find((l) => l.level === 'error');
    assert.equal(failure?.msg, 'daily slack report not posted; tried again at the next day or start');
    assert.deepEqual([failure?.obj.date, failure?.obj.attempts], ['2026-11-01', 1]);
    assert.match(String(failure?.obj.code), /^KEFU_ERR_/);

    await daily.afterDay?.('2026-11-02');
    assert.deepEqual(
      posts()
        .slice(before)
        .map((p) => /report · (\S+)\*/.exec(p.text)?.[1]),
      ['2026-11-01', '2026-11-02'],
    );
    await daily.afterDay?.('2026-11-02'); // the audit runs a day once, but a repeat changes nothing
    assert.equal(posts().length, before + 2);
  });

  it('a day a failure left owed goes out at the next start', async () => {
    const before = posts().length;
    slackApi.failWith('chat.postMessage', 'not_in_channel', 1);
    await (await reports()).daily.afterDay?.('2026-11-03');
    assert.equal(posts().length, before);
    const restarted = await reports(); // another process on the same store
    restarted.daily.start();
    await slackApi.waitFor('chat.postMessage', slackApi.calls('chat.postMessage').length + 1);
    await new Promise((r) => setTimeout(r, 50)); // the owed mark is cleared after the post
    assert.deepEqual(
      posts()
        .slice(before)
        .map((p) => /report · (\S+)\*/.exec(p.text)?.[1]),
      ['2026-11-03'],
    );
    const owed = (await s.app.engine.data.meta.get<Record<string, { postedAt?: number }>>('reports:slack'))?.value;
    assert.ok(owed?.['2026-11-03']?.postedAt, 'marked posted');
  });
});
