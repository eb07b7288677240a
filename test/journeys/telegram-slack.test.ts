/**
 * Issue 4's full journey through the real server (buildApp from config): an angry customer on
 * Telegram (telegraf, long polling against the local Bot API server) is escalated, routed to the
 * agent with the right language and skill, who answers in a Slack thread (bolt, signed events
 * against the local Slack Web API server); the customer receives it; the agent resolves; the CSAT
 * answer is recorded. Once in English, once in Chinese.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandoffRecord } from '../../plugins/handoff';
import { type RunningApp, startApp } from '../support/server';
import { createSlackEventSender, nextSlackTs, type SlackEventSender } from '../support/slack-events';
import { type LocalSlackServer, type PostedMessage, startSlackServer } from '../support/slack-server';
import { startTelegramServer, type TelegramServer } from '../support/telegram-server';
import { createTelegramUser, type TelegramUser } from '../support/telegram-user';
import { until } from '../support/until';

const SUPPORT = 'C0SUPPORT';
const SIGNING_SECRET = 'journey-signing-secret';
const AGENTS = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 3, status: 'online', autoAccept: true, handles: { slack: 'UANNA' } },
  { id: 'wang', name: '王芳', skills: ['refunds', 'orders'], languages: ['zh'], capacity: 3, status: 'online', autoAccept: true, handles: { slack: 'UWANG' } },
  { id: 'bob', name: 'Bob', skills: ['refunds'], languages: ['en'], capacity: 3, status: 'online', autoAccept: true, handles: { slack: 'UBOB' } },
];

describe('journey: angry Telegram customer → Slack agent → resolve → CSAT', function () {
  this.timeout(120_000);
  let tg: TelegramServer;
  let slack: LocalSlackServer;
  let s: RunningApp;
  let events: SlackEventSender;

  before(async () => {
    tg = await startTelegramServer();
    slack = await startSlackServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-journey-'));
    const agentsFile = join(dataDir, 'agents.json');
    writeFileSync(agentsFile, JSON.stringify(AGENTS));
    s = await startApp(
      {
        TELEGRAM_MODE: 'polling',
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SUPPORT_CHANNEL: SUPPORT,
        AGENTS_FILE: agentsFile,
        CONSOLE_AGENTS: 'anna:anna-pass-12345,wang:wang-pass-12345,bob:bob-pass-12345',
      },
      {},
      dataDir,
    );
    events = createSlackEventSender({ url: `${s.url}/webhooks/slack`, signingSecret: SIGNING_SECRET, botUserId: slack.botUserId });
  });
  after(async () => {
    await s?.stop();
    await slack?.close();
    await tg?.close();
  });

  const botTexts = (user: TelegramUser) => tg.botMessages(user.chat.id).map((m) => m.text ?? '');
  const newBotText = async (user: TelegramUser, before: number, pattern: RegExp) =>
    until(
      `a Telegram message matching ${pattern}`,
      () =>
        botTexts(user)
          .slice(before)
          .find((t) => pattern.test(t)),
      20_000,
    );
  const root = (rec: HandoffRecord) =>
    until(
      `the Slack thread of ${rec.id}`,
      async () => {
        const ts = (await s.app.handoff.get(rec.key))?.links['slack.thread_ts'];
        return slack.messages(SUPPORT).find((m: PostedMessage) => !m.thread_ts && m.ts === ts);
      },
      20_000,
    );
  const staff = async (user: string, text: string, threadTs: string) => {
    const res = await events.postEvent({ type: 'message', channel: SUPPORT, channel_type: 'channel', user, text, ts: nextSlackTs(), thread_ts: threadTs });
    assert.equal(res.status, 200);
  };
  const record = (user: TelegramUser) => s.app.handoff.get(`telegram:${user.chat.id}`);

  async function journey(o: {
    user: TelegramUser;
    angry: RegExp[];
    say: string;
    expectAgent: string;
    slackUser: string;
    agentReply: string;
    connected: RegExp;
    csatAsk: RegExp;
    score: string;
  }) {
    const { user } = o;
    let before = botTexts(user).length;
    await user.say(o.say);
    await newBotText(user, before, o.connected);

    const rec = (await until('the escalation record', () => record(user), 20_000)) as HandoffRecord;
    assert.equal(rec.reason, 'sentiment', 'escalated because the customer is angry');
    assert.equal(rec.agentId, o.expectAgent, "routed to the agent with the customer's language and the right skill");

    const thread = await root(rec);
    const summary = JSON.stringify(thread);
    for (const p of o.angry) assert.match(summary, p);

    before = botTexts(user).length;
    await staff(o.slackUser, o.agentReply, thread.ts);
    await newBotText(user, before, new RegExp(o.agentReply.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

    before = botTexts(user).length;
    await staff(o.slackUser, 'resolve', thread.ts);
    await newBotText(user, before, o.csatAsk);
    const rating =
      tg
        .botMessages(user.chat.id)
        .at(-1)
        ?.reply_markup?.inline_keyboard.flat()
        .map((b) => b.text) ?? [];
    assert.ok(rating.includes(o.score), `CSAT buttons ${rating.join(' ')}`);
    await user.press(o.score);
    const rated = await until(
      'the CSAT answer',
      async () => {
        const r = await record(user);
        return r?.csat !== undefined ? r : undefined;
      },
      20_000,
    );
    assert.equal(rated.state, 'resolved');
    assert.equal(rated.csat, Number(o.score));
    assert.ok((rated.firstResponseAt ?? 0) >= (rated.assignedAt ?? Infinity), 'first response time recorded');
  }

  it('in English: routed to Anna, answered in the Slack thread, rated 5', async () => {
    await journey({
      user: createTelegramUser(tg, { id: 7001, firstName: 'Mia', languageCode: 'en' }),
      say: 'This is ridiculous!! My order is late AGAIN, worst service ever, I am furious and fed up',
      angry: [/English/],
      expectAgent: 'anna',
      slackUser: 'UANNA',
      agentReply: 'Hi Mia, Anna here. I am so sorry: your parcel is at the depot and arrives tomorrow.',
      connected: /Anna|colleague|connect/i,
      csatAsk: /1.*5|rate|satisf/i,
      score: '5',
    });
  });

  it('in Chinese: routed to 王芳, answered in the Slack thread, rated 4', async () => {
    await journey({
      user: createTelegramUser(tg, { id: 7002, firstName: '李雷', languageCode: 'zh-hans' }),
      say: '你们这什么破服务，气死我了！订单一直不到，太差劲了，我要投诉！',
      angry: [/中文|Chinese/],
      expectAgent: 'wang',
      slackUser: 'UWANG',
      agentReply: '您好，我是王芳，非常抱歉让您久等了，您的包裹明天送达。',
      connected: /王芳|人工|客服|转接/,
      csatAsk: /满意|评分|1.*5/,
      score: '4',
    });
  });
});
