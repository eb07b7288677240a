/**
 * Slack's use of the core outbox: messages that Slack would not take even after the WebClient's own
 * retries wait there and are retried later, in order per destination (a customer conversation, a
 * support thread), so a Slack outage delays messages instead of losing them. Permanent failures
 * (invalid_auth, channel_not_found…) and messages still refused after the last retry are given up
 * and kept in `givenUp`. In memory: a process restart loses what is still queued (each entry was
 * logged with its code).
 */
import { createOutbox as createCoreOutbox, type KefuError, type Logger } from '../../core';

export type Classify = (err: unknown) => { error: KefuError; transient: boolean; reason: string };

export interface OutboxOptions<T, M> {
  /** Sends one message to a destination; throws on failure. */
  deliverOne: (target: T, message: M) => Promise<void>;
  /** Messages to the same key keep their order. */
  keyOf: (target: T) => string;
  classify: Classify;
  log: Logger;
  /** Waits between outbox attempts; the entry is given up after the last one (default 30 s, 2 min, 10 min, 30 min). */
  retryDelaysMs?: readonly number[];
  /** Told of each message given up (a permanent refusal, or the last retry failed). */
  onGiveUp?: (target: T, message: M) => void;
}

export interface GivenUp<T, M> {
  target: T;
  messages: M[];
  code: string;
  reason: string;
}

export interface Outbox<T, M> {
  /** Sends messages in order behind anything already queued for the destination. Throws only on a permanent failure. */
  send(target: T, messages: readonly M[]): Promise<void>;
  /** Retries every queued entry now (tests, shutdown). */
  flush(): Promise<void>;
  /** Messages waiting for a retry. */
  readonly pending: number;
  /** Messages dropped after a permanent failure or the last retry. */
  readonly givenUp: readonly GivenUp<T, M>[];
  /** Waits for sends in progress and stops the retry timers. */
  stop(): Promise<void>;
}

export function createOutbox<T, M>(opts: OutboxOptions<T, M>): Outbox<T, M> {
  const delays = opts.retryDelaysMs ?? [30_000, 120_000, 600_000, 1_800_000];
  const outbox = createCoreOutbox<{ target: T; message: M }>({
    send: (m) => opts.deliverOne(m.target, m.message),
    classify(err) {
      const failure = opts.classify(err);
      return failure.transient ? { kind: 'retry', code: failure.error.code } : { kind: 'permanent', code: failure.error.code };
    },
    describe: (err) => opts.classify(err).reason,
    laneOf: (m) => opts.keyOf(m.target),
    logFields: (m) => ({ to: opts.keyOf(m.target) }),
    log: opts.log,
    parkDelaysMs: delays,
    maxRounds: delays.length,
    onFailure: (entry, _err, final) => {
      if (final) opts.onGiveUp?.(entry.item.target, entry.item.message);
    },
  });
  return {
    async send(target, messages) {
      const fates = await Promise.all(messages.map((message) => outbox.send({ target, message })));
      const refused = fates.find((f) => typeof f === 'object');
      if (refused) throw opts.classify(refused.failed).error;
    },
    async flush() {
      await outbox.flush();
    },
    get pending() {
      return outbox.pending;
    },
    get givenUp() {
      return outbox.undelivered().map((e) => ({ target: e.item.target, messages: [e.item.message], code: e.code, reason: e.lastError }));
    },
    stop: () => outbox.stop(),
  };
}
