/**
 * Long polling through telegraf's own loop (`bot.launch()`: deleteWebhook, then getUpdates with
 * timeout 50 s against the configured apiRoot; each update goes through `bot.handleUpdate`).
 * `launch()` resolves only when polling ends, so it runs in the background and `stop()` waits for
 * it, including telegraf's final getUpdates that confirms the offset.
 */
import type { Telegraf } from 'telegraf';
import type { Logger } from '../../core';
import { classifySendError } from './send-with-retry';

export interface Poller {
  start(): void;
  stop(): Promise<void>;
}

export function createPoller(bot: Telegraf, log: Logger, allowedUpdates: ReadonlyArray<'message' | 'callback_query'>): Poller {
  let running: Promise<void> | undefined;
  let settled = false;
  return {
    start() {
      settled = false;
      running = bot
        .launch({ allowedUpdates: [...allowedUpdates], dropPendingUpdates: false })
        .catch((err: unknown) => {
          const { error } = classifySendError(err, 'getUpdates');
          log.error({ code: error.code, err: { message: error.message } }, 'telegram polling stopped');
        })
        .finally(() => {
          settled = true;
        });
    },
    async stop() {
      if (!running) return;
      // bot.stop() throws until launch() has reached its polling loop (it awaits deleteWebhook first).
      for (let i = 0; i < 500 && !settled; i++) {
        try {
          bot.stop('kefu channel stop');
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      await running;
      running = undefined;
    },
  };
}
