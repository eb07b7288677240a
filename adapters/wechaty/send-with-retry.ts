/**
 * One puppet send with wechaty's rule: every puppet error is transient (puppets report network
 * drops, rate limits and "not logged in" alike), so a send is retried here with exponential backoff
 * and, when it still fails, handed back to the engine's outbox, which waits and tries again (also
 * across restarts). Errors carry KEFU_ERR_CHANNEL_SEND_FAILED and never the text.
 */
import { KefuError } from '../../core';

export interface Target {
  contactId: string;
  roomId?: string | undefined;
}

export interface RetryPolicy {
  /** Attempts per message before the outbox takes over (default 4). */
  maxAttempts: number;
  /** First backoff; doubles each attempt (default 500 ms). */
  retryBaseMs: number;
  sleep(ms: number): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, retryBaseMs: 500, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export async function sayWithRetry(say: () => Promise<void>, policy: RetryPolicy): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await say();
      return;
    } catch (err) {
      if (attempt >= policy.maxAttempts) {
        const why = err instanceof Error ? err.message : String(err);
        throw new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', `wechaty could not send after ${attempt} attempts: ${why}`, { cause: err });
      }
      await policy.sleep(policy.retryBaseMs * 2 ** (attempt - 1));
    }
  }
}
