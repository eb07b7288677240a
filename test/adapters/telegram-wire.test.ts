/** server/wire-telegram.ts: config → channel, and the outbox's lane rules (unit, scripted sends). */
import assert from 'node:assert/strict';
import type { TelegramChannel } from '../../adapters/telegram';
import { createOutbox } from '../../adapters/telegram/outbox';
import type { TelegramCall } from '../../adapters/telegram/render';
import type { CallOutcome } from '../../adapters/telegram/send-with-retry';
import { isKefuError, KefuError, loadConfig } from '../../core';
import { wireTelegram } from '../../server/wire-telegram';
import { startTelegramServer } from '../support/telegram-server';
import { createEchoEngine, recordingLogger } from '../support/telegram-test-kit';
import { eventually } from './conformance';

describe('telegram wiring', () => {
  const log = recordingLogger().log;

  it('stays off without TELEGRAM_BOT_TOKEN and says which variable to set', async () => {
    assert.deepEqual(await wireTelegram(loadConfig({}), log), { off: 'set TELEGRAM_BOT_TOKEN to enable' });
  });

  it('requires TELEGRAM_WEBHOOK_SECRET in webhook mode', async () => {
    await assert.rejects(
      wireTelegram(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_MODE: 'webhook' }), log),
      (err: unknown) => isKefuError(err, 'KEFU_ERR_CONFIG_INVALID') && /TELEGRAM_WEBHOOK_SECRET/.test(err.message),
    );
  });

  it('registers PUBLIC_URL + /webhooks/telegram with the secret on start in webhook mode', async () => {
    const server = await startTelegramServer();
    const engine = createEchoEngine();
    const env = {
      TELEGRAM_BOT_TOKEN: server.token,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123',
      TELEGRAM_API_ROOT: server.apiRoot,
      PUBLIC_URL: 'https://bot.example.com/',
    };
    const channel = (await wireTelegram(loadConfig(env), log)) as TelegramChannel;
    try {
      assert.equal(channel.name, 'telegram');
      assert.equal(channel.webhookPath, '/webhooks/telegram');
      await channel.start?.(engine);
      assert.deepEqual(server.webhook(), { url: 'https://bot.example.com/webhooks/telegram', secretToken: 'abc_DEF-123' });
    } finally {
      await channel.stop?.();
      await engine.close();
      await server.close();
    }
  });

  it('polls by default, with no webhook route', async () => {
    const channel = (await wireTelegram(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc' }), log)) as TelegramChannel;
    assert.equal(channel.mode, 'polling');
    assert.equal(channel.handleWebhook, undefined);
  });
});

describe('telegram outbox lanes', () => {
  const call = (chatId: string, text: string): TelegramCall => ({ method: 'sendMessage', chatId, text, extra: {} });
  const fail = (retryable: boolean): CallOutcome =>
    retryable
      ? { ok: false, retryable: true, retryInMs: 0, error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', 'Telegram sendMessage failed: 502') }
      : { ok: false, retryable: false, error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', 'Telegram sendMessage failed: 403 Forbidden') };

  it('drops a message refused for good and goes on with the next; a parked chat does not hold up others', async () => {
    const delivered: string[] = [];
    const script = new Map<string, CallOutcome[]>([
      ['a1', [fail(false)]],
      ['b1', [fail(true), fail(true)]],
    ]);
    const { log, lines } = recordingLogger();
    const outbox = createOutbox({
      log,
      now: Date.now,
      parkDelaysMs: [20],
      async perform(c) {
        const text = c.method === 'sendMessage' ? c.text : '';
        const next = script.get(text)?.shift();
        if (next) return next;
        delivered.push(text);
        return { ok: true };
      },
    });
    const [fatesA, fatesB] = await Promise.all([outbox.enqueue([call('A', 'a1'), call('A', 'a2')]), outbox.enqueue([call('B', 'b1'), call('B', 'b2')])]);
    assert.equal(typeof fatesA[0], 'object');
    assert.equal(fatesA[1], 'sent');
    assert.deepEqual(fatesB, ['parked', 'parked']);
    await eventually(() => (outbox.pending === 0 ? true : undefined));
    assert.deepEqual(delivered, ['a2', 'b1', 'b2']);
    assert.equal(lines.filter((l) => l.level === 'error').length, 1);
    outbox.close();
  });

  it('drops parked messages older than maxAgeMs, and logs what is left at close', async () => {
    let now = 0;
    const { log, lines } = recordingLogger();
    const outbox = createOutbox({ log, now: () => now, parkDelaysMs: [10], maxAgeMs: 1000, perform: async () => fail(true) });
    assert.deepEqual(await outbox.enqueue([call('A', 'old')]), ['parked']);
    now = 5000;
    await eventually(() => (outbox.pending === 0 ? true : undefined));
    assert.ok(lines.some((l) => l.level === 'error' && l.obj.final === true));
    const stuck = createOutbox({ log, now: () => 0, parkDelaysMs: [60_000], perform: async () => fail(true) });
    await stuck.enqueue([call('B', 'x'), call('B', 'y')]);
    stuck.close();
    assert.ok(lines.some((l) => l.obj.lost === 2));
    outbox.close();
  });
});
