/**
 * The Telegram channel on telegraf. Webhook mode: `handleWebhook` (mounted by server/ at
 * `webhookPath`) checks the secret token, validates the update and feeds it to `bot.handleUpdate`.
 * Polling mode: telegraf's long-polling loop. Both end in the same middleware: normalize → the
 * channel runtime's turn (core/channel-runtime.ts). Replies and pushes leave through the engine's
 * durable outbox: it calls `send`, which performs the Bot API calls (short 429/5xx waits retried
 * inline), and `classifySendError` tells it what Telegram's refusal means (retry later, or never).
 * @example
 * const telegram = createTelegramChannel({ token, mode: 'polling' });
 * engine.addChannel(telegram);
 * await telegram.start(engine);
 */
import {
  type Channel,
  type ConversationRef,
  createChannelRuntime,
  KefuError,
  type Logger,
  type OutboundMessage,
  type SendVerdict,
  silentLogger,
  type WebhookRequest,
  type WebhookResponse,
} from '../../core';
import type { TelegramTarget } from './normalize';
import { type CheckedOptions, checkOptions, type TelegramChannelOptions } from './options';
import { createPoller } from './polling';
import { renderOutbound } from './render';
import { createTelegramRuntime, type TelegramRuntime } from './runtime';
import { type CallOutcome, callWithRetry, classifySendError } from './send-with-retry';
import { createWebhookHandler } from './webhook';

export interface TelegramChannel extends Channel {
  readonly mode: 'webhook' | 'polling';
  /** Set in webhook mode only (so server/ mounts it). */
  readonly webhookPath?: string;
  handleWebhook?(req: WebhookRequest): Promise<WebhookResponse>;
  /** Download URL of a Telegram file_id (an attachment's mediaId). It contains the bot token: fetch it server-side, never show it. */
  fileUrl(fileId: string): Promise<string>;
}

export const DEFAULT_WEBHOOK_PATH = '/webhooks/telegram';
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const opts = checkOptions(options);
  const log = options.log ?? silentLogger;
  const turns = createChannelRuntime(
    { name: 'telegram', quickReplies: 'buttons', send: (ref, messages) => sendMessages(rt, ref, messages), classifySendError: verdictOf },
    { log, ...(options.retry?.sleep ? { sleep: options.retry.sleep } : {}) },
  );
  const rt = createTelegramRuntime(opts, options, log, turns);
  const poller = opts.mode === 'polling' ? createPoller(rt.bot, log, ALLOWED_UPDATES) : undefined;
  const channel: TelegramChannel = {
    ...turns.channel,
    mode: opts.mode,
    async start(engine) {
      rt.bot.botInfo = await startupCall('getMe', () => rt.bot.telegram.getMe());
      turns.attach(engine);
      if (poller) poller.start();
      else await registerWebhook(rt, opts, log);
      log.info({ mode: opts.mode, bot: rt.bot.botInfo.username }, 'telegram channel started');
    },
    async stop() {
      await poller?.stop();
      await rt.processor.idle();
      turns.attach(undefined);
    },
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

/** Performs the Bot API calls for `messages`, in order; throws TelegramRefused when Telegram did not take one. */
async function sendMessages(rt: TelegramRuntime, ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void> {
  const target: TelegramTarget = { chatId: ref.address?.chatId ?? ref.conversationId, ...(ref.address?.threadId ? { threadId: ref.address.threadId } : {}) };
  for (const call of messages.flatMap((m) => renderOutbound(m, target, rt.callbackData.encode))) {
    const outcome = await callWithRetry(call.method, () => rt.perform(call), rt.retry);
    if (!outcome.ok) throw new TelegramRefused(outcome);
  }
}

/** A Bot API call Telegram refused, with send-with-retry's verdict (the coded error is `error`). */
export class TelegramRefused extends KefuError {
  constructor(readonly outcome: Exclude<CallOutcome, { ok: true }>) {
    super(outcome.error.code, outcome.error.message, { cause: outcome.error });
  }
}

/** 429, 5xx and network errors wait in the outbox (Telegram's retry_after when it gave one); the rest is final. */
function verdictOf(err: unknown): SendVerdict {
  if (!(err instanceof TelegramRefused)) return { kind: 'retry', code: err instanceof KefuError ? err.code : 'KEFU_ERR_CHANNEL_SEND_FAILED' };
  const { outcome } = err;
  return outcome.retryable ? { kind: 'retry', afterMs: outcome.retryInMs, code: outcome.error.code } : { kind: 'permanent', code: outcome.error.code };
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
export { renderOutbound, splitText, type TelegramCall } from './render';
export { SECRET_HEADER, verifySecretToken } from './verify';
