/**
 * Sending with retries: every puppet send error is treated as transient (puppets report network
 * drops, rate limits and "not logged in" alike), retried with exponential backoff; a message that
 * still fails waits in the outbox, retried on a timer and after the next login, then kept as
 * undelivered. Failures are logged with KEFU_ERR_CHANNEL_SEND_FAILED, never with the text.
 */
import type { Logger } from '../../core';

export interface Target {
  contactId: string;
  roomId?: string | undefined;
}

export interface PendingMessage {
  target: Target;
  text: string;
  rounds: number;
  lastError: string;
  state: 'pending' | 'undelivered';
}

export interface RetryingSender {
  /** Sends with retries; on final failure keeps the message in the outbox and resolves false. */
  send(target: Target, text: string): Promise<boolean>;
  flush(): Promise<number>;
  entries(): readonly PendingMessage[];
  start(): void;
  stop(): void;
}

export function createRetryingSender(opts: {
  say: (target: Target, text: string) => Promise<void>;
  log: Logger;
  retryBaseMs?: number;
  maxAttempts?: number;
  outboxRetryMs?: number;
  maxRounds?: number;
  sleep?: (ms: number) => Promise<void>;
}): RetryingSender {
  const base = opts.retryBaseMs ?? 500;
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxRounds = opts.maxRounds ?? 10;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let list: PendingMessage[] = [];
  let timer: NodeJS.Timeout | undefined;

  async function attempt(target: Target, text: string): Promise<string | undefined> {
    for (let n = 1; ; n++) {
      try {
        await opts.say(target, text);
        return undefined;
      } catch (err) {
        const why = err instanceof Error ? err.message.slice(0, 120) : String(err);
        if (n >= maxAttempts) return why;
        opts.log.warn({ attempt: n, delayMs: base * 2 ** (n - 1) }, 'wechaty send failed; retrying');
        await sleep(base * 2 ** (n - 1));
      }
    }
  }

  const fail = (entry: PendingMessage) => {
    if (entry.rounds >= maxRounds) entry.state = 'undelivered';
    opts.log.error({ code: 'KEFU_ERR_CHANNEL_SEND_FAILED', channel: 'wechaty', reason: entry.lastError, rounds: entry.rounds, state: entry.state }, 'wechaty reply not delivered');
  };

  const sender: RetryingSender = {
    async send(target, text) {
      const why = await attempt(target, text);
      if (why === undefined) return true;
      const entry: PendingMessage = { target, text, rounds: 0, lastError: why, state: 'pending' };
      list.push(entry);
      fail(entry);
      return false;
    },
    async flush() {
      let delivered = 0;
      for (const entry of list.filter((e) => e.state === 'pending')) {
        entry.rounds += 1;
        const why = await attempt(entry.target, entry.text);
        if (why === undefined) {
          list = list.filter((e) => e !== entry);
          delivered += 1;
        } else {
          entry.lastError = why;
          fail(entry);
        }
      }
      return delivered;
    },
    entries: () => list.map((e) => ({ ...e })),
    start() {
      timer ??= setInterval(() => {
        if (list.some((e) => e.state === 'pending')) void sender.flush();
      }, opts.outboxRetryMs ?? 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return sender;
}
