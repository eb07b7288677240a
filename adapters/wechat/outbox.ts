/**
 * WeChat customer-service messages go through the core outbox, one lane per user so they keep
 * their order. A call the API did not take even after its own retries waits there and is retried
 * every `retryEveryMs` (transient failures: busy, rate limited, 5xx, network), up to `maxRounds`;
 * permanent failures (user unfollowed, outside the 48-hour window, no API permission) are kept as
 * undelivered. Every failure is logged with KEFU_ERR_CHANNEL_SEND_FAILED, without the text or openid.
 */
import { createOutbox as createCoreOutbox, type Logger, type SendFate } from '../../core';
import { WechatApiError } from './errors';

export interface OutboxEntry {
  openId: string;
  body: object;
  rounds: number;
  /** Why the last attempt failed: errcode or HTTP status, or the error message. */
  lastError: string;
  state: 'pending' | 'undelivered';
  since: number;
}

export interface Outbox {
  /** Sends behind anything queued for the user; resolves with the first fate. */
  send(openId: string, body: object): Promise<SendFate>;
  /** Keeps a message that cannot be sent at all (`why`) as undelivered. */
  refuse(openId: string, body: object, why: string): Promise<SendFate>;
  /** Retries every waiting message once, in order; resolves with how many were delivered. */
  flush(): Promise<number>;
  entries(): readonly OutboxEntry[];
  stop(): Promise<void>;
}

export interface OutboxOptions {
  deliver(openId: string, body: object): Promise<void>;
  log: Logger;
  now: () => number;
  retryEveryMs?: number;
  maxRounds?: number;
  /** Undelivered entries kept for inspection (oldest dropped first). */
  keep?: number;
}

interface Item {
  openId: string;
  body: object;
  refusal?: string;
}

const describe = (err: unknown) =>
  err instanceof WechatApiError
    ? err.errcode !== undefined
      ? `errcode ${err.errcode}`
      : err.status !== undefined
        ? `HTTP ${err.status}`
        : 'network'
    : String((err as Error)?.message ?? err);

export function createOutbox(opts: OutboxOptions): Outbox {
  const outbox = createCoreOutbox<Item>({
    send: (m) => (m.refusal === undefined ? opts.deliver(m.openId, m.body) : Promise.reject(new Error(m.refusal))),
    classify: (err) => (err instanceof WechatApiError && err.transient ? { kind: 'retry' } : { kind: 'permanent' }),
    laneOf: (m) => m.openId,
    describe,
    log: opts.log,
    now: opts.now,
    parkDelaysMs: [opts.retryEveryMs ?? 60_000],
    maxRounds: opts.maxRounds ?? 10,
    keep: opts.keep ?? 1000,
  });
  return {
    send: (openId, body) => outbox.send({ openId, body }),
    refuse: (openId, body, why) => outbox.send({ openId, body, refusal: why }),
    flush: () => outbox.flush(),
    entries: () => outbox.entries().map(({ item, rounds, lastError, state, since }) => ({ openId: item.openId, body: item.body, rounds, lastError, state, since })),
    stop: () => outbox.stop(),
  };
}
