/**
 * The contract a bot author sees (issue 10): a weather dialog, corpora with only `weather.ask`, and
 * `createKefuApp({ dialogs, locales })` give the whole app: the web chat, /healthz, handoff to
 * agents with the console, in both languages; kefu's kit adds what the bot leaves out (greeting,
 * "talk to a person", a fallback). Driven in-process with `app.inject()`, and through `listen()`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKefuApp, defineDialog, type KefuApp } from '../../index';
import { logInAgents } from '../support/server';

const weather = defineDialog({
  id: 'weather',
  triggers: ['weather.ask'],
  texts: { en: { sunny: 'Always sunny in Kefu Bay.' }, zh: { sunny: '客服湾永远是晴天。' } },
  run(ctx) {
    ctx.say('sunny');
  },
});

const CORPUS = {
  en: [
    'what is the weather like',
    'weather forecast',
    'is it going to rain',
    'how is the weather today',
    'will it be sunny',
    'do I need an umbrella',
    'weather please',
    'is it cold outside',
  ],
  zh: ['天气怎么样', '今天天气如何', '天气预报', '明天会下雨吗', '查一下天气', '外面冷不冷', '需要带伞吗', '今天热吗'],
};

function writeLocales(dir: string): string {
  for (const [locale, utterances] of Object.entries(CORPUS)) {
    mkdirSync(join(dir, 'locales', locale), { recursive: true });
    writeFileSync(join(dir, 'locales', locale, 'corpus.json'), JSON.stringify({ locale, data: [{ intent: 'weather.ask', utterances }] }));
  }
  return join(dir, 'locales');
}

describe('createKefuApp: a bot of one dialog gets the whole app', function () {
  this.timeout(120_000);
  let dir: string;
  let app: KefuApp;
  const tokens = new Map<string, string>();

  const say = async (conversationId: string, text: string) => {
    const token = tokens.get(conversationId);
    const res = await app.inject({
      method: 'POST',
      url: '/api/web/messages',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: { conversationId, text },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { conversationToken?: string; replies: Array<{ text: string }> };
    if (body.conversationToken) tokens.set(conversationId, body.conversationToken);
    return body.replies.map((r) => r.text).join('\n');
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-author-'));
    app = await createKefuApp({
      dialogs: [weather],
      locales: writeLocales(dir),
      env: { DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', CONSOLE_AGENTS: 'anna:anna-pass-12345,wang:wang-pass-12345,lilei:lilei-pass-12345' },
    });
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers its own intent in English and Chinese', async () => {
    assert.equal(await say('w-en', 'what is the weather like today'), 'Always sunny in Kefu Bay.');
    assert.equal(await say('w-zh', '今天天气怎么样'), '客服湾永远是晴天。');
  });

  it('greets, falls back with an offer of a person, and hands off to an agent (kefu’s kit)', async () => {
    assert.match(await say('k-en', 'hello'), /Hello! How can I help/);
    assert.match(await say('k-fb', 'blorp the frobnicator'), /didn’t quite get that.*a person/s);
    const tokens = await logInAgents(app, ['anna']); // the agent starts their shift: online
    assert.match(await say('k-human', 'I want to talk to a real person'), /connecting you with a person.*An agent will be with you shortly/s);
    const offered = await app.handoff.get('web:k-human');
    assert.equal(offered?.offer?.agentId, 'anna', 'offered to the agent on duty');
    const token = tokens.get('anna') as string;
    const accept = await app.inject({ method: 'POST', url: '/console/api/conversations/web:k-human/accept', headers: { authorization: `Bearer ${token}` } });
    assert.equal(accept.statusCode, 200, accept.body);
    assert.equal((await app.handoff.get('web:k-human'))?.state, 'assigned');
    const reply = await app.inject({
      method: 'POST',
      url: '/console/api/conversations/web:k-human/reply',
      headers: { authorization: `Bearer ${token}` },
      payload: { text: 'Hi, a person here.' },
    });
    assert.equal(reply.statusCode, 200, reply.body);
    assert.match(await say('k-zh', '转人工'), /目前没有会说中文的客服可以接待.*留下工单/, 'only Anna (English) is on duty: said honestly, with a ticket offered');
  });

  it('serves /healthz and the chat page, and listens on a port', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).json().ok, true);
    assert.match((await app.inject({ method: 'GET', url: '/' })).body, /<html/i);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const health = (await (await fetch(`${address}/healthz`)).json()) as { ok: boolean };
    assert.equal(health.ok, true);
  });

  it('settings given in code win over the environment, and a bad one is a coded error', async () => {
    await assert.rejects(createKefuApp({ dialogs: [weather], locales: join(dir, 'locales'), env: {}, config: { PORT: 'eighty' } }), { code: 'KEFU_ERR_CONFIG_INVALID' });
  });
});
