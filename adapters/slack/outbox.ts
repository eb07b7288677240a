/**
 * Messages that Slack would not take even after the WebClient's own retries wait here and are
 * retried later, in order per destination (a customer conversation, a support thread), so a Slack
 * outage delays messages instead of losing them. In memory: a process restart loses what is still
 * queued (each entry was logged with its code).
 */
import { createSequentializer, type KefuError, type Logger } from '../../core';

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
  /** Entries dropped after a permanent failure or the last retry. */
  readonly givenUp: readonly GivenUp<T, M>[];
  /** Waits for sends in progress and stops the retry timer. */
  stop(): Promise<void>;
}

interface Entry<T, M> {
  target: T;
  key: string;
  messages: M[];
  attempts: number;
}

export function createOutbox<T, M>(opts: OutboxOptions<T, M>): Outbox<T, M> {
  const delays = opts.retryDelaysMs ?? [30_000, 120_000, 600_000, 1_800_000];
  const queued = new Map<string, Entry<T, M>[]>();
  const givenUp: GivenUp<T, M>[] = [];
  const sequentialize = createSequentializer();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  /** Sends the entry's messages one by one, dropping each once Slack took it. */
  async function attempt(entry: Entry<T, M>): Promise<'done' | 'retry'> {
    while (entry.messages.length) {
      const [next] = entry.messages;
      if (!next) break;
      try {
        await opts.deliverOne(entry.target, next);
        entry.messages.shift();
      } catch (err) {
        const failure = opts.classify(err);
        const lastTry = entry.attempts >= delays.length;
        opts.log.error(
          {
            code: failure.error.code,
            reason: failure.reason,
            to: entry.key,
            waiting: entry.messages.length,
            attempt: entry.attempts,
            transient: failure.transient,
          },
          failure.transient && !lastTry ? 'slack send failed; reply kept in the outbox' : 'slack send failed; reply given up',
        );
        if (failure.transient && !lastTry) return 'retry';
        givenUp.push({ target: entry.target, messages: [...entry.messages], code: failure.error.code, reason: failure.reason });
        if (entry.attempts === 0) throw failure.error;
        return 'done';
      }
    }
    return 'done';
  }

  function enqueue(key: string, entry: Entry<T, M>): void {
    const list = queued.get(key) ?? [];
    list.push(entry);
    queued.set(key, list);
    if (list.length === 1) schedule(key, delays[Math.min(entry.attempts, delays.length - 1)] ?? 0);
  }

  function schedule(key: string, ms: number): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void retryKey(key);
    }, ms);
    timer.unref();
    timers.add(timer);
  }

  function retryKey(key: string): Promise<void> {
    return sequentialize(key, async () => {
      const list = queued.get(key) ?? [];
      while (list.length) {
        const entry = list[0];
        if (!entry) break;
        entry.attempts += 1;
        if ((await attempt(entry).catch(() => 'done' as const)) === 'retry') {
          schedule(key, delays[Math.min(entry.attempts, delays.length - 1)] ?? 0);
          return;
        }
        list.shift();
      }
      queued.delete(key);
    });
  }

  return {
    send(target, messages) {
      const key = opts.keyOf(target);
      return sequentialize(key, async () => {
        const entry: Entry<T, M> = { target, key, messages: [...messages], attempts: 0 };
        if (queued.has(key)) {
          queued.get(key)?.push(entry);
          return;
        }
        if ((await attempt(entry)) === 'retry') enqueue(key, entry);
      });
    },
    async flush() {
      await Promise.all([...queued.keys()].map((key) => retryKey(key)));
    },
    get pending() {
      let n = 0;
      for (const list of queued.values()) for (const e of list) n += e.messages.length;
      return n;
    },
    givenUp,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await sequentialize.idle();
    },
  };
}
