/**
 * Sending through the core outbox with wechaty's rule: every puppet send error is transient
 * (puppets report network drops, rate limits and "not logged in" alike), so it is retried with
 * exponential backoff, then waits in its conversation's lane and is retried on a timer and after
 * the next login, then kept as undelivered. Logged with KEFU_ERR_CHANNEL_SEND_FAILED, never the text.
 */
import { createOutbox, type Logger } from '../../core';

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
  stop(): Promise<void>;
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
  const outbox = createOutbox<{ target: Target; text: string }>({
    send: (m) => opts.say(m.target, m.text),
    classify: () => ({ kind: 'retry' }),
    laneOf: (m) => `${m.target.roomId ?? ''}/${m.target.contactId}`,
    log: opts.log,
    attempts: opts.maxAttempts ?? 4,
    backoffMs: opts.retryBaseMs ?? 500,
    parkDelaysMs: [opts.outboxRetryMs ?? 60_000],
    maxRounds: opts.maxRounds ?? 10,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  return {
    send: async (target, text) => (await outbox.send({ target, text })) === 'sent',
    flush: () => outbox.flush(),
    entries: () => outbox.entries().map((e) => ({ ...e.item, rounds: e.rounds, lastError: e.lastError, state: e.state })),
    stop: () => outbox.stop(),
  };
}
