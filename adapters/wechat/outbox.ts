/**
 * Replies the WeChat API did not take even after the per-call retries are not dropped: they wait
 * here and are retried every `retryEveryMs` (transient failures), up to `maxRounds`; permanent
 * failures (user unfollowed, outside the 48-hour window, no API permission) are kept as
 * undelivered. Every failure is logged with KEFU_ERR_CHANNEL_SEND_FAILED, without the text.
 */
import type { Logger } from '../../core';
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
  add(openId: string, body: object, err: unknown): void;
  /** Retries every pending entry once, in order; resolves with how many were delivered. */
  flush(): Promise<number>;
  entries(): readonly OutboxEntry[];
  start(): void;
  stop(): void;
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

export function createOutbox(opts: OutboxOptions): Outbox {
  const retryEveryMs = opts.retryEveryMs ?? 60_000;
  const maxRounds = opts.maxRounds ?? 10;
  const keep = opts.keep ?? 1000;
  let list: OutboxEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<number> | undefined;

  const describe = (err: unknown) =>
    err instanceof WechatApiError
      ? err.errcode !== undefined
        ? `errcode ${err.errcode}`
        : err.status !== undefined
          ? `HTTP ${err.status}`
          : 'network'
      : String((err as Error)?.message ?? err);
  const retryable = (err: unknown) => err instanceof WechatApiError && err.transient;

  function record(entry: OutboxEntry, err: unknown): void {
    entry.lastError = describe(err);
    if (!retryable(err) || entry.rounds >= maxRounds) entry.state = 'undelivered';
    opts.log.error({ code: 'KEFU_ERR_CHANNEL_SEND_FAILED', channel: 'wechat', reason: entry.lastError, rounds: entry.rounds, state: entry.state }, 'wechat reply not delivered');
  }

  async function flushOnce(): Promise<number> {
    let delivered = 0;
    for (const entry of list.filter((e) => e.state === 'pending')) {
      entry.rounds += 1;
      try {
        await opts.deliver(entry.openId, entry.body);
        list = list.filter((e) => e !== entry);
        delivered += 1;
      } catch (err) {
        record(entry, err);
      }
    }
    const dead = list.filter((e) => e.state === 'undelivered');
    if (dead.length > keep) list = list.filter((e) => e.state === 'pending' || dead.indexOf(e) >= dead.length - keep);
    return delivered;
  }

  const outbox: Outbox = {
    add(openId, body, err) {
      const entry: OutboxEntry = { openId, body, rounds: 0, lastError: '', state: 'pending', since: opts.now() };
      list.push(entry);
      record(entry, err);
    },
    flush() {
      flushing ??= flushOnce().finally(() => {
        flushing = undefined;
      });
      return flushing;
    },
    entries: () => list.map((e) => ({ ...e })),
    start() {
      timer ??= setInterval(() => {
        if (list.some((e) => e.state === 'pending')) void outbox.flush();
      }, retryEveryMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return outbox;
}
