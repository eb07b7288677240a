/**
 * One normalized update → answer the button press → one engine turn (whose replies the engine's
 * outbox delivers). Turns of one conversation run in arrival order. In polling mode a transient engine failure (503: store busy or unreachable) is retried
 * here, because Telegram will not re-deliver an update getUpdates already returned; in webhook
 * mode it is thrown, so the webhook answers 503 and Telegram re-delivers.
 */
import { createSequentializer, KefuError, type Logger, type TurnHandler } from '../../core';
import type { NormalizedUpdate } from './normalize';

export interface UpdateProcessorOptions {
  engine(): TurnHandler | undefined;
  log: Logger;
  /** Engine attempts for a transient (503) failure: 1 in webhook mode, a few in polling mode. */
  turnAttempts: number;
  sleep(ms: number): Promise<void>;
}

export interface UpdateProcessor {
  process(update: NormalizedUpdate, answerCallback: (text?: string) => Promise<unknown>): Promise<void>;
  /** Resolves when every started turn and callback answer has finished. */
  idle(): Promise<void>;
}

export function createUpdateProcessor(opts: UpdateProcessorOptions): UpdateProcessor {
  const sequentialize = createSequentializer();
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

  const handleWithRetry = async (engine: TurnHandler, update: Extract<NormalizedUpdate, { type: 'turn' }>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await engine.handle(update.inbound);
      } catch (err) {
        const transient = err instanceof KefuError && err.httpStatus === 503 && err.code !== 'KEFU_ERR_ENGINE_CLOSED';
        if (!transient || attempt >= opts.turnAttempts) throw err;
        opts.log.warn({ code: err.code, updateId: update.updateId, attempt }, 'telegram turn failed; retrying');
        await opts.sleep(500 * 2 ** (attempt - 1));
      }
    }
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
      const engine = opts.engine();
      if (!engine) throw new KefuError('KEFU_ERR_ENGINE_CLOSED', 'The Telegram channel is not started (or is stopping); Telegram should retry the update later.');
      const key = `${update.inbound.conversationId}`;
      await sequentialize(key, async () => {
        await handleWithRetry(engine, update);
      });
    },
    async idle() {
      await sequentialize.idle();
      while (answers.size) await Promise.all([...answers]);
    },
  };
}
