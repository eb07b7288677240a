/**
 * The moving parts behind the channel: the telegraf bot with its one middleware (normalize →
 * the channel runtime's turn), the Bot API calls replies become, and the callback-data map.
 * Webhook updates enter through `feed` (validated first); polled ones through telegraf's loop.
 */
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { type ChannelRuntime, KefuError, type Logger } from '../../core';
import { type CallbackDataMap, createCallbackDataMap } from './callback-data';
import { type NormalizeContext, type NormalizedUpdate, normalizeUpdate } from './normalize';
import type { CheckedOptions, TelegramChannelOptions } from './options';
import { createUpdateProcessor, type UpdateProcessor } from './process-update';
import type { TelegramCall } from './render';
import { classifySendError, DEFAULT_RETRY, type RetryPolicy } from './send-with-retry';

export interface TelegramRuntime {
  readonly bot: Telegraf;
  readonly retry: RetryPolicy;
  readonly callbackData: CallbackDataMap;
  readonly processor: UpdateProcessor;
  /** One Bot API call (no retries; see send-with-retry.ts). */
  perform(call: TelegramCall): Promise<unknown>;
  /** A webhook update: validated (KEFU_ERR_ADAPTER_PAYLOAD), then through `bot.handleUpdate`. */
  feed(raw: unknown): Promise<void>;
}

export function createTelegramRuntime(opts: CheckedOptions, options: TelegramChannelOptions, log: Logger, turns: ChannelRuntime): TelegramRuntime {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const bot = new Telegraf(opts.token, { telegram: { ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}), webhookReply: false } });
  const callbackData = createCallbackDataMap();
  const normalizeCtx = (): NormalizeContext => ({
    bot: { id: bot.botInfo?.id ?? 0, ...(bot.botInfo?.username ? { username: bot.botInfo.username } : {}) },
    decodeCallbackData: callbackData.decode,
    startPayload: options.startPayload ?? 'intent:greeting',
  });
  const processor = createUpdateProcessor({ runtime: turns, log, turnAttempts: opts.mode === 'polling' ? 4 : 1 });

  // Webhook updates are normalized before handleUpdate (to answer 400 when malformed); polled ones here.
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

  return {
    bot,
    retry,
    callbackData,
    perform: (call) => perform(bot, call),
    processor,
    async feed(raw) {
      const update = normalizeUpdate(raw, normalizeCtx()); // throws KEFU_ERR_ADAPTER_PAYLOAD → 400
      if (!turns.attached) throw new KefuError('KEFU_ERR_ENGINE_CLOSED', 'The Telegram channel is not started (or is stopping); Telegram will retry the update.');
      normalized.set(raw as object, update);
      // Validated above by zod; telegraf's Update type describes the same object.
      await bot.handleUpdate(raw as Update);
    },
  };
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
