/**
 * The Telegram channel on telegraf. Webhook mode: `handleWebhook` (mounted by server/ at
 * `webhookPath`) checks the secret token, validates the update and feeds it to `bot.handleUpdate`.
 * Polling mode: telegraf's long-polling loop. Both end in the same middleware: normalize → turn →
 * outbox (ordered per chat, 429/5xx retried, parked when the platform keeps failing).
 * @example
 * const telegram = createTelegramChannel({ token, mode: 'polling' });
 * engine.addChannel(telegram);
 * await telegram.start(engine);
 */
import { type Channel, type ConversationRef, KefuError, type Logger, type OutboundMessage, silentLogger, type WebhookRequest, type WebhookResponse } from '../../core';
import type { TelegramTarget } from './normalize';
import { type CheckedOptions, checkOptions, type TelegramChannelOptions } from './options';
import { createPoller } from './polling';
import { renderOutbound } from './render';
import { createTelegramRuntime, type TelegramRuntime } from './runtime';
import { classifySendError } from './send-with-retry';
import { createWebhookHandler } from './webhook';

export interface TelegramChannel extends Channel {
  readonly mode: 'webhook' | 'polling';
  /** Set in webhook mode only (so server/ mounts it). */
  readonly webhookPath?: string;
  handleWebhook?(req: WebhookRequest): Promise<WebhookResponse>;
  /** Messages not yet delivered (parked after failures, or waiting behind one). */
  readonly pendingSends: number;
  /** Download URL of a Telegram file_id (an attachment's mediaId). It contains the bot token: fetch it server-side, never show it. */
  fileUrl(fileId: string): Promise<string>;
}

export const DEFAULT_WEBHOOK_PATH = '/webhooks/telegram';
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const opts = checkOptions(options);
  const log = options.log ?? silentLogger;
  const rt = createTelegramRuntime(opts, options, log);
  const poller = opts.mode === 'polling' ? createPoller(rt.bot, log, ALLOWED_UPDATES) : undefined;
  const channel: TelegramChannel = {
    name: 'telegram',
    mode: opts.mode,
    get pendingSends() {
      return rt.outbox.pending;
    },
    async start(engine) {
      rt.bot.botInfo = await startupCall('getMe', () => rt.bot.telegram.getMe());
      rt.attach(engine);
      if (poller) poller.start();
      else await registerWebhook(rt, opts, log);
      log.info({ mode: opts.mode, bot: rt.bot.botInfo.username }, 'telegram channel started');
    },
    async stop() {
      await poller?.stop();
      await rt.processor.idle();
      await rt.outbox.idle();
      rt.outbox.close();
      rt.attach(undefined);
    },
    send: (ref, messages) => sendOutside(rt, ref, messages),
    async fileUrl(fileId) {
      return (await rt.bot.telegram.getFileLink(fileId)).toString();
    },
  };
  if (opts.mode === 'polling') return channel;
  const handleWebhook = createWebhookHandler({ secretToken: opts.secretToken ?? '', maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024, log, handle: rt.feed });
  return Object.assign(channel, { webhookPath: opts.webhookPath ?? DEFAULT_WEBHOOK_PATH, handleWebhook });
}

async function registerWebhook(rt: TelegramRuntime, opts: CheckedOptions, log: Logger): Promise<void> {
  const url = opts.webhookUrl;
  if (!url) {
    log.warn({ channel: 'telegram' }, 'telegram webhook mode without PUBLIC_URL: register the webhook yourself (see docs/platforms/telegram.md)');
    return;
  }
  const extra = { secret_token: opts.secretToken, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false };
  await startupCall('setWebhook', () => rt.bot.telegram.setWebhook(url, extra));
}

/** Agent replies and queue updates: through the same outbox; rejects when Telegram refuses for good. */
async function sendOutside(rt: TelegramRuntime, ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void> {
  const target: TelegramTarget = { chatId: ref.address?.chatId ?? ref.conversationId, ...(ref.address?.threadId ? { threadId: ref.address.threadId } : {}) };
  const fates = await rt.outbox.enqueue(messages.flatMap((m) => renderOutbound(m, target, rt.callbackData.encode)));
  const failed = fates.flatMap((f) => (typeof f === 'object' ? [f.failed] : []));
  if (failed[0]) {
    throw new KefuError(failed[0].code, `${failed.length} of ${fates.length} Telegram message(s) could not be delivered: ${failed[0].message}`, { cause: failed[0] });
  }
}

/** getMe / setWebhook at start-up: 401 is a wrong token, other refusals name Telegram's reason. */
async function startupCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const { error } = classifySendError(err, method);
    if (error.code === 'KEFU_ERR_CHANNEL_AUTH') throw error;
    throw new KefuError(error.code, `Telegram channel could not start: ${error.message}`, { cause: err });
  }
}

export { createCallbackDataMap } from './callback-data';
export { type NormalizeContext, type NormalizedUpdate, normalizeUpdate, parseUpdate } from './normalize';
export type { TelegramChannelOptions } from './options';
export type { SendFailure } from './outbox';
export { renderOutbound, splitText, type TelegramCall } from './render';
export { SECRET_HEADER, verifySecretToken } from './verify';
