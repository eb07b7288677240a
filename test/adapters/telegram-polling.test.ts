/**
 * Telegram long-polling mode (telegraf's getUpdates loop against the local Bot API server), plus
 * start-up and option errors and mounting on the server's Fastify webhook route.
 */
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { createTelegramChannel } from '../../adapters/telegram';
import { type Channel, type Engine, isKefuError, isWebhookChannel } from '../../core';
import { webhookRoutes } from '../../server/routes/webhooks';
import { startTelegramHarness, type TelegramHarness, WEBHOOK_SECRET } from '../support/telegram-harness';
import { startTelegramServer } from '../support/telegram-server';
import { createEchoEngine, recordingLogger, spyOn, type TurnSpy } from '../support/telegram-test-kit';
import { createTelegramUser } from '../support/telegram-user';
import { eventually } from './conformance';

describe('telegram polling mode', function () {
  this.timeout(20_000);
  let engine: Engine;
  let spy: TurnSpy;
  let h: TelegramHarness;
  const logs = recordingLogger();

  beforeEach(async () => {
    logs.lines.length = 0;
    engine = createEchoEngine();
    spy = spyOn(engine);
    h = await startTelegramHarness(spy, { mode: 'polling', log: logs.log });
  });
  afterEach(async () => {
    await h.close();
    await engine.close();
  });

  it("deletes any webhook, then long-polls getUpdates with telegraf's 50 s timeout", async () => {
    await h.sendText('hello');
    await h.waitForSent(1);
    assert.ok(h.server.calls('deleteWebhook').length >= 1);
    const polls = h.server.calls('getUpdates');
    assert.ok(polls.some((c) => c.params.timeout === 50));
    assert.deepEqual(polls[0]?.params.allowed_updates, ['message', 'callback_query']);
  });

  it('confirms the offset of handled updates when it stops', async () => {
    await h.sendText('hello');
    await h.waitForSent(1);
    const last = h.user.lastUpdateId;
    await h.close();
    // telegraf's closing call: getUpdates with the next offset and limit 1, so Telegram forgets what was handled.
    assert.ok(h.server.calls('getUpdates').some((c) => c.params.limit === 1 && c.params.offset === last + 1));
  });

  it('retries a turn that failed for a transient reason, since Telegram will not send the update again', async () => {
    spy.failNext(1);
    await h.sendText('store blip');
    const [reply] = await h.waitForSent(1);
    assert.equal(reply?.text, 'You said: store blip');
    assert.equal(spy.inbound.length, 2);
    assert.ok(logs.lines.some((l) => l.level === 'warn' && l.obj.code === 'KEFU_ERR_STORE_UNAVAILABLE'));
  });

  it('gets a re-delivered update to the engine, which answers it once', async () => {
    await h.sendText('once');
    await h.waitForSent(1);
    await h.redeliverLast();
    await eventually(() => (spy.results.length === 2 ? true : undefined));
    assert.deepEqual(
      spy.results.map((r) => r.duplicate),
      [false, true],
    );
    await h.sendText('twice');
    assert.deepEqual(
      (await h.waitForSent(2)).map((s) => s.text),
      ['You said: once', 'You said: twice'],
    );
  });

  it('logs a malformed update with KEFU_ERR_ADAPTER_PAYLOAD and keeps polling', async () => {
    await h.server.pushUpdate({ message: { text: 'no chat, no date' } });
    await h.sendText('still there?');
    const [reply] = await h.waitForSent(1);
    assert.equal(reply?.text, 'You said: still there?');
    assert.ok(logs.lines.some((l) => l.level === 'error' && l.obj.code === 'KEFU_ERR_ADAPTER_PAYLOAD'));
  });

  it('stops polling with KEFU_ERR_CHANNEL_AUTH in the log when the token is revoked', async () => {
    h.server.failNext({ status: 401, times: 1, methods: ['getUpdates'], description: 'Unauthorized' });
    await h.sendText('anyone?'); // wakes the pending long poll; the next getUpdates gets the 401
    await eventually(() => logs.lines.find((l) => l.obj.code === 'KEFU_ERR_CHANNEL_AUTH'));
  });
});

describe('telegram channel start-up and options', () => {
  it('refuses to start with a token Telegram does not accept', async () => {
    const server = await startTelegramServer();
    try {
      const channel = createTelegramChannel({ token: '999:not-this-bot', mode: 'polling', apiRoot: server.apiRoot });
      await assert.rejects(channel.start?.(createEchoEngine()) ?? Promise.resolve(), (err: unknown) => isKefuError(err, 'KEFU_ERR_CHANNEL_AUTH'));
      assert.equal(server.calls('getMe')[0]?.status, 401);
    } finally {
      await server.close();
    }
  });

  it('lists every bad option in one KEFU_ERR_CONFIG_INVALID', () => {
    assert.throws(
      () => createTelegramChannel({ token: 'abc', mode: 'webhook', apiRoot: 'not a url' }),
      (err: unknown) => isKefuError(err, 'KEFU_ERR_CONFIG_INVALID') && /token/.test(err.message) && /apiRoot/.test(err.message) && /secretToken: required/.test(err.message),
    );
    assert.throws(() => createTelegramChannel({ token: '1:a', mode: 'webhook', secretToken: 'has spaces' }), /secretToken/);
  });

  it('answers 503 to updates that arrive before start, and works mounted on the Fastify webhook route', async () => {
    const server = await startTelegramServer();
    const engine = createEchoEngine();
    const channel = createTelegramChannel({ token: server.token, mode: 'webhook', apiRoot: server.apiRoot, secretToken: WEBHOOK_SECRET });
    const app = Fastify();
    const channels: Channel[] = [channel];
    await app.register(webhookRoutes, { channels: channels.filter(isWebhookChannel) });
    const user = createTelegramUser(server);
    const body = JSON.stringify({ update_id: 5, message: { message_id: 1, date: 1, chat: user.chat, from: user.user, text: 'hi' } });
    const post = (secret: string) =>
      app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body });
    try {
      assert.equal((await post(WEBHOOK_SECRET)).statusCode, 503);
      engine.addChannel(channel);
      await channel.start?.(engine);
      assert.equal(server.webhook(), undefined, 'no webhookUrl given: start() must not call setWebhook');
      assert.equal((await post('wrong')).statusCode, 401);
      assert.equal((await post(WEBHOOK_SECRET)).statusCode, 200);
      await eventually(() => server.botMessages()[0]);
      assert.equal(server.botMessages()[0]?.text, 'You said: hi');
    } finally {
      await channel.stop?.();
      await app.close();
      await engine.close();
      await server.close();
    }
  });
});
