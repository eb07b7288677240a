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
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { z } from 'zod';
import {
  type Channel,
  type ConversationRef,
  KefuError,
  type Logger,
  type OutboundMessage,
  silentLogger,
  type TurnHandler,
  type WebhookRequest,
  type WebhookResponse,
} from '../../core';
import { createCallbackDataMap } from './callback-data';
import { type NormalizedUpdate, normalizeUpdate, type TelegramTarget } from './normalize';
import { createOutbox, type SendFailure } from './outbox';
import { createPoller } from './polling';
import { createUpdateProcessor } from './process-update';
import { renderOutbound, type TelegramCall } from './render';
import { callWithRetry, classifySendError, DEFAULT_RETRY, type RetryPolicy } from './send-with-retry';
import { createWebhookHandler } from './webhook';

export interface TelegramChannelOptions {
  /** Bot token from @BotFather, `123456:ABC…`. */
  token: string;
  mode: 'webhook' | 'polling';
  /** Bot API server (default https://api.telegram.org); tests point it at a local server. */
  apiRoot?: string;
  /** Webhook mode: the secret Telegram sends in X-Telegram-Bot-Api-Secret-Token. Required there. */
  secretToken?: string;
  /** Path server/ mounts the webhook at (default /webhooks/telegram). */
  webhookPath?: string;
  /** Public https URL of the webhook; when set, `start()` registers it with setWebhook. */
  webhookUrl?: string;
  /** What `/start` becomes: a postback with this payload (default `intent:greeting`). */
  startPayload?: string;
  log?: Logger;
  retry?: Partial<RetryPolicy> & { parkDelaysMs?: readonly number[]; maxAgeMs?: number };
  /** Largest webhook body accepted (default 1 MiB; Telegram updates are a few KB). */
  maxBodyBytes?: number;
  /** Told about every failed send: parked for a later retry (`final: false`) or dropped. */
  onSendFailed?(failure: SendFailure): void;
  now?: () => number;
}

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

const optionsSchema = z.object({
  token: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, { error: 'must look like 123456:ABC-DEF… (the token @BotFather gave you)' }),
  mode: z.enum(['webhook', 'polling']),
  apiRoot: z.url().optional(),
  secretToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, { error: 'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram rule)' })
    .optional(),
  webhookPath: z.string().startsWith('/').optional(),
  webhookUrl: z.url().optional(),
});

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const opts = checkOptions(options);
  const log = options.log ?? silentLogger;
  const now = options.now ?? Date.now;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const bot = new Telegraf(opts.token, { telegram: { ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}), webhookReply: false } });
  const callbackData = createCallbackDataMap();
  const normalizeCtx = () => ({
    bot: { id: bot.botInfo?.id ?? 0, username: bot.botInfo?.username },
    decodeCallbackData: callbackData.decode,
    startPayload: options.startPayload ?? 'intent:greeting',
  });
  let engine: TurnHandler | undefined;

  const outbox = createOutbox({
    perform: (call) => callWithRetry(call.method, () => perform(bot, call), retry),
    log,
    now,
    ...(options.retry?.parkDelaysMs ? { parkDelaysMs: options.retry.parkDelaysMs } : {}),
    ...(options.retry?.maxAgeMs !== undefined ? { maxAgeMs: options.retry.maxAgeMs } : {}),
    ...(options.onSendFailed ? { onFailed: options.onSendFailed } : {}),
  });
  const processor = createUpdateProcessor({ engine: () => engine, outbox, encode: callbackData.encode, log, turnAttempts: opts.mode === 'polling' ? 4 : 1, sleep: retry.sleep });

  // Updates validated by the webhook are normalized once; polling updates are normalized here.
  const normalized = new WeakMap<object, NormalizedUpdate>();
  bot.use(async (ctx) => {
    const update = normalized.get(ctx.update) ?? normalizeUpdate(ctx.update, normalizeCtx());
    await processor.process(update, (text) => ctx.answerCbQuery(text));
  });
  bot.catch((err, ctx) => {
    if (opts.mode === 'webhook') throw err; // the webhook handler turns it into a status Telegram understands
    const coded = err instanceof KefuError ? err : classifySendError(err, 'update').error;
    log.error({ code: coded.code, updateId: ctx.update.update_id, err: { message: coded.message } }, 'telegram update failed');
  });

  const poller = opts.mode === 'polling' ? createPoller(bot, log, ALLOWED_UPDATES) : undefined;
  const channel: TelegramChannel = {
    name: 'telegram',
    mode: opts.mode,
    get pendingSends() {
      return outbox.pending;
    },
    async start(turnHandler) {
      bot.botInfo = await startupCall('getMe', () => bot.telegram.getMe());
      engine = turnHandler;
      if (opts.mode === 'polling') poller?.start();
      else if (opts.webhookUrl) {
        const url = opts.webhookUrl;
        await startupCall('setWebhook', () => bot.telegram.setWebhook(url, { secret_token: opts.secretToken, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false }));
      } else log.warn({ channel: 'telegram' }, 'telegram webhook mode without PUBLIC_URL: register the webhook yourself (see docs/platforms/telegram.md)');
      log.info({ mode: opts.mode, bot: bot.botInfo.username }, 'telegram channel started');
    },
    async stop() {
      await poller?.stop();
      await processor.idle();
      await outbox.idle();
      outbox.close();
      engine = undefined;
    },
    async send(ref: ConversationRef, messages: readonly OutboundMessage[]) {
      const target: TelegramTarget = { chatId: ref.address?.chatId ?? ref.conversationId, ...(ref.address?.threadId ? { threadId: ref.address.threadId } : {}) };
      const fates = await outbox.enqueue(messages.flatMap((m) => renderOutbound(m, target, callbackData.encode)));
      const failed = fates.flatMap((f) => (typeof f === 'object' ? [f.failed] : []));
      if (failed[0])
        throw new KefuError(failed[0].code, `${failed.length} of ${fates.length} Telegram message(s) could not be delivered: ${failed[0].message}`, { cause: failed[0] });
    },
    async fileUrl(fileId) {
      return (await bot.telegram.getFileLink(fileId)).toString();
    },
  };
  if (opts.mode === 'webhook') {
    const secretToken = opts.secretToken ?? '';
    Object.assign(channel, {
      webhookPath: opts.webhookPath ?? DEFAULT_WEBHOOK_PATH,
      handleWebhook: createWebhookHandler({
        secretToken,
        maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
        log,
        async handle(raw) {
          const update = normalizeUpdate(raw, normalizeCtx()); // throws KEFU_ERR_ADAPTER_PAYLOAD → 400
          if (!engine) throw new KefuError('KEFU_ERR_ENGINE_CLOSED', 'The Telegram channel is not started (or is stopping); Telegram will retry the update.');
          normalized.set(raw as object, update);
          // Validated above by zod; telegraf's Update type describes the same object.
          await bot.handleUpdate(raw as Update);
        },
      }),
    });
  }
  return channel;
}

function checkOptions(options: TelegramChannelOptions): z.infer<typeof optionsSchema> {
  const parsed = optionsSchema.safeParse(options);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (options.mode === 'webhook' && !options.secretToken) problems.push('secretToken: required in webhook mode (set TELEGRAM_WEBHOOK_SECRET), or anyone could post fake updates');
  if (!parsed.success || problems.length) {
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `Invalid Telegram channel options:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return parsed.data;
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

function perform(bot: Telegraf, call: TelegramCall): Promise<unknown> {
  switch (call.method) {
    case 'sendMessage':
      return bot.telegram.sendMessage(call.chatId, call.text, call.extra);
    case 'sendPhoto':
      return bot.telegram.sendPhoto(call.chatId, call.photo, call.extra);
    case 'sendDocument':
      return bot.telegram.sendDocument(call.chatId, call.document, call.extra);
  }
}

export { createCallbackDataMap } from './callback-data';
export { type NormalizeContext, type NormalizedUpdate, normalizeUpdate, parseUpdate } from './normalize';
export type { SendFailure } from './outbox';
export { renderOutbound, splitText, type TelegramCall } from './render';
export { SECRET_HEADER, verifySecretToken } from './verify';
