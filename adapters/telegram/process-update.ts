/**
 * One normalized update → answer the button press → one turn through the channel runtime (which
 * keeps each conversation's turns in arrival order; the engine's outbox delivers the replies). In
 * polling mode a transient engine failure (503: store busy or unreachable) is retried by the
 * runtime, because Telegram will not re-deliver an update getUpdates already returned; in webhook
 * mode it is thrown, so the webhook answers 503 and Telegram re-delivers.
 */
import { type ChannelRuntime, KefuError, type Logger } from '../../core';
import type { NormalizedUpdate } from './normalize';

export interface UpdateProcessorOptions {
  runtime: ChannelRuntime;
  log: Logger;
  /** Turn attempts for a transient (503) failure: 1 in webhook mode, a few in polling mode. */
  turnAttempts: number;
}

export interface UpdateProcessor {
  process(update: NormalizedUpdate, answerCallback: (text?: string) => Promise<unknown>): Promise<void>;
  /** Resolves when every started turn and callback answer has finished. */
  idle(): Promise<void>;
}

export function createUpdateProcessor(opts: UpdateProcessorOptions): UpdateProcessor {
  const answers = new Set<Promise<unknown>>();

  const answer = (update: NormalizedUpdate, answerCallback: (text?: string) => Promise<unknown>) => {
    if (!update.callback) return;
    // Answered first and not awaited: the customer's button stops spinning while the turn runs.
    const p = answerCallback(update.type === 'ignored' ? update.callback.text : undefined)
      .catch((err: unknown) =>
        opts.log.warn({ code: 'KEFU_ERR_CHANNEL_SEND_FAILED', updateId: update.updateId, err: { message: (err as Error).message } }, 'answerCallbackQuery failed'),
      )
      .finally(() => answers.delete(p));
    answers.add(p);
  };

  return {
    async process(update, answerCallback) {
      answer(update, answerCallback);
      if (update.type === 'ignored') {
        opts.log.debug({ updateId: update.updateId, reason: update.reason }, 'telegram update ignored');
        return;
      }
      if (update.truncatedFrom)
        opts.log.warn({ updateId: update.updateId, code: 'KEFU_ERR_MESSAGE_TOO_LARGE', length: update.truncatedFrom }, 'telegram text cut to the core limit');
      if (!opts.runtime.attached) throw new KefuError('KEFU_ERR_ENGINE_CLOSED', 'The Telegram channel is not started (or is stopping); Telegram should retry the update later.');
      await opts.runtime.receive(update.inbound, { attempts: opts.turnAttempts });
    },
    async idle() {
      await opts.runtime.idle();
      while (answers.size) await Promise.all([...answers]);
    },
  };
}
