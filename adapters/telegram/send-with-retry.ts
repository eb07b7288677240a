/**
 * One Bot API call with Telegram's retry rules: `429` waits `parameters.retry_after` seconds, 5xx
 * and network errors back off exponentially, everything else (400 chat not found, 403 blocked by
 * the user, 401 bad token) is final. A wait longer than `maxInlineWaitMs`, or running out of
 * attempts, hands the call back as retryable so the outbox parks it instead of blocking a turn.
 */
import { TelegramError } from 'telegraf';
import { KefuError } from '../../core';

export interface RetryPolicy {
  /** Attempts before giving the call back to the outbox (default 4). */
  attempts: number;
  /** First backoff after a 5xx or network error; doubles each attempt (default 500 ms). */
  baseDelayMs: number;
  /** Longest wait done inline; a longer retry_after parks the message (default 30 s). */
  maxInlineWaitMs: number;
  sleep(ms: number): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxInlineWaitMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type CallOutcome = { ok: true } | { ok: false; retryable: true; retryInMs: number; error: KefuError } | { ok: false; retryable: false; error: KefuError };

interface Classified {
  retryable: boolean;
  /** Telegram's retry_after, in ms, when it gave one. */
  retryAfterMs?: number;
  error: KefuError;
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** Sorts an error from a Bot API call into final or retryable, as a coded error. */
export function classifySendError(err: unknown, method: string): Classified {
  if (err instanceof TelegramError) {
    const code = err.code;
    const what = `Telegram ${method} failed: ${code} ${err.description}`;
    if (code === 429) {
      const seconds = err.parameters?.retry_after;
      return { retryable: true, retryAfterMs: typeof seconds === 'number' ? seconds * 1000 : 1000, error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', what, { cause: err }) };
    }
    if (code >= 500) return { retryable: true, error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', what, { cause: err }) };
    if (code === 401) {
      return { retryable: false, error: new KefuError('KEFU_ERR_CHANNEL_AUTH', `${what}. The bot token was refused; check TELEGRAM_BOT_TOKEN.`, { cause: err }) };
    }
    return { retryable: false, error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', what, { cause: err }) };
  }
  const e = err as { name?: string; code?: string; type?: string; message?: string };
  const network = e.name === 'FetchError' || e.type === 'system' || (typeof e.code === 'string' && NETWORK.has(e.code));
  const message = `Telegram ${method} failed: ${network ? 'network error' : 'unexpected error'} (${e.code ?? e.name ?? 'unknown'}: ${e.message ?? String(err)})`;
  return { retryable: network, error: new KefuError(network ? 'KEFU_ERR_CHANNEL_SEND_FAILED' : 'KEFU_ERR_INTERNAL', message, { cause: err }) };
}

export async function callWithRetry(method: string, perform: () => Promise<unknown>, policy: RetryPolicy): Promise<CallOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await perform();
      return { ok: true };
    } catch (err) {
      const c = classifySendError(err, method);
      if (!c.retryable) return { ok: false, retryable: false, error: c.error };
      const wait = c.retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
      if (attempt >= policy.attempts || wait > policy.maxInlineWaitMs) return { ok: false, retryable: true, retryInMs: wait, error: c.error };
      await policy.sleep(wait);
    }
  }
}
