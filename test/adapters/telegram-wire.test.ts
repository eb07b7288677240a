/** server/wire-telegram.ts: config → channel. (The outbox's lane rules are core/delivery.ts's; see test/core/delivery.test.ts.) */
import assert from 'node:assert/strict';
import type { TelegramChannel } from '../../adapters/telegram';
import { isKefuError, loadConfig } from '../../core';
import { wireTelegram } from '../../server/wire-telegram';
import { startTelegramServer } from '../support/telegram-server';
import { createEchoEngine, recordingLogger } from '../support/telegram-test-kit';

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
      engine.addChannel(channel);
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
