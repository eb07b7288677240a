/**
 * The Telegram channel from config: on when TELEGRAM_BOT_TOKEN is set.
 * - TELEGRAM_MODE=polling (default): telegraf long-polls getUpdates; no public URL needed.
 * - TELEGRAM_MODE=webhook: TELEGRAM_WEBHOOK_SECRET is required; the route is `/webhooks/telegram`,
 *   and when PUBLIC_URL is set, start-up registers `${PUBLIC_URL}/webhooks/telegram` with setWebhook.
 * TELEGRAM_API_ROOT points the Bot API elsewhere (a local Bot API server, tests).
 */
import { KefuError } from '../core';
import type { ChannelWiring } from './channels';

export const wireTelegram: ChannelWiring = async (config, log) => {
  if (!config.TELEGRAM_BOT_TOKEN) return { off: 'set TELEGRAM_BOT_TOKEN to enable' };
  const webhook = config.TELEGRAM_MODE === 'webhook';
  if (webhook && !config.TELEGRAM_WEBHOOK_SECRET) {
    const line = 'TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook (any 1-256 characters of A-Z, a-z, 0-9, _ and -), or anyone could post fake updates';
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `Invalid configuration; fix these variables (see .env.example):\n  ${line}`, { details: [line] });
  }
  // telegraf loads only when Telegram is configured (require: kefu's modules are CommonJS, see wire-slack.ts).
  const { createTelegramChannel, DEFAULT_WEBHOOK_PATH }: typeof import('../adapters/telegram') = require('../adapters/telegram');
  const webhookUrl = webhook && config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/+$/, '')}${DEFAULT_WEBHOOK_PATH}` : undefined;
  return createTelegramChannel({
    token: config.TELEGRAM_BOT_TOKEN,
    mode: config.TELEGRAM_MODE,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    ...(webhook && config.TELEGRAM_WEBHOOK_SECRET ? { secretToken: config.TELEGRAM_WEBHOOK_SECRET } : {}),
    ...(webhookUrl ? { webhookUrl } : {}),
    log: log.child({ channel: 'telegram' }),
  });
};
