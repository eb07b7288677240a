/**
 * One outbox for every channel: items leave through one ordered lane per conversation, each send is
 * tried a few times inline (backoff, or the platform's retry-after), and an item that still fails
 * for a transient reason parks its lane: it and everything behind it wait and are retried later
 * (timer or `flush()`), up to `maxRounds` rounds or `maxAgeMs`. Permanent failures and exhausted
 * items are kept as undelivered. Every failure is logged with a code (default
 * KEFU_ERR_CHANNEL_SEND_FAILED), never with the message text. In memory only.
 */
import type { Logger } from './logger';

/** How a send error is treated: retried (optionally not before `afterMs`) or given up at once. */
export type SendVerdict = { kind: 'retry'; afterMs?: number; code?: string } | { kind: 'permanent'; code?: string };

/** The first fate of a sent item: delivered, parked for a later retry, or given up (with the error). */
export type SendFate = 'sent' | 'parked' | { failed: unknown };

export interface OutboxEntry<T> {
  item: T;
  lane: string;
  /** Outbox rounds tried after the first send. */
  rounds: number;
  /** Why the last attempt failed (see `describe`); '' if it was not tried yet. */
  lastError: string;
  code: string;
  state: 'pending' | 'undelivered';
  since: number;
}

export interface OutboxOptions<T> {
  /** Sends one item; throws on failure. */
  send(item: T): Promise<void>;
  classify(err: unknown): SendVerdict;
  /** Items of one lane keep their order (default: one lane for all). */
  laneOf?(item: T): string;
  /** A short reason for logs and entries; must not contain message text (default: the error message). */
  describe?(err: unknown): string;
  /** Extra log fields for an item (ids, method); never its text. */
  logFields?(item: T): Record<string, unknown>;
  log: Logger;
  /** Tries per round (default 1); waits `backoffMs * 2^(n-1)` or the retry-after in between. */
  attempts?: number;
  backoffMs?: number;
  /** A retry-after longer than this parks the item instead of waiting inline (default 30 s). */
  maxInlineWaitMs?: number;
  /** Wait before outbox round n+1 (the last value repeats); the retry-after wins when longer (default 60 s). */
  parkDelaysMs?: readonly number[];
  /** Outbox rounds before an item is kept as undelivered (default 10). */
  maxRounds?: number;
  /** Items older than this are given up on their next failure (default: no limit). */
  maxAgeMs?: number;
  /** Undelivered items kept for inspection, oldest dropped first (default 1000). */
  keep?: number;
  onFailure?(entry: OutboxEntry<T>, err: unknown, final: boolean): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Runs `fn` after `ms`; returns a cancel function (default: an unref'd setTimeout). */
  schedule?: (fn: () => void, ms: number) => () => void;
}

export interface Outbox<T> {
  /** Queues the item behind its lane; resolves with its first fate. */
  send(item: T): Promise<SendFate>;
  /** Retries every parked lane now; resolves with how many items were delivered. */
  flush(): Promise<number>;
  /** Parked items (in lane order), then undelivered ones. */
  entries(): readonly OutboxEntry<T>[];
  undelivered(): readonly OutboxEntry<T>[];
  /** Items not yet delivered nor given up. */
  readonly pending: number;
  /** Resolves when no lane is sending right now (parked lanes wait on their timers). */
  idle(): Promise<void>;
  /** Cancels the timers, logs how many items are lost, and waits for sends in progress. */
  stop(): Promise<void>;
}

interface Queued<T> {
  entry: OutboxEntry<T>;
  settle(fate: SendFate): void;
}

interface Lane<T> {
  items: Queued<T>[];
  parked: boolean;
  cancel?: () => void;
  running?: Promise<number>;
}

const CODE = 'KEFU_ERR_CHANNEL_SEND_FAILED';
const defaultSchedule = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};
const defaultDescribe = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 120);

/**
 * @example
 * const outbox = createOutbox({ send: (m) => api.post(m), classify: () => ({ kind: 'retry' }), laneOf: (m) => m.chatId, log });
 * const fate = await outbox.send({ chatId: '42', text: 'hi' }); // 'sent' | 'parked' | { failed }
 */
export function createOutbox<T>(opts: OutboxOptions<T>): Outbox<T> {
  const attempts = opts.attempts ?? 1;
  const backoff = opts.backoffMs ?? 500;
  const maxInline = opts.maxInlineWaitMs ?? 30_000;
  const delays = opts.parkDelaysMs ?? [60_000];
  const maxRounds = opts.maxRounds ?? 10;
  const maxAge = opts.maxAgeMs ?? Number.POSITIVE_INFINITY;
  const keep = opts.keep ?? 1000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const schedule = opts.schedule ?? defaultSchedule;
  const describe = opts.describe ?? defaultDescribe;
  const lanes = new Map<string, Lane<T>>();
  let dead: OutboxEntry<T>[] = [];
  let stopped = false;

  /** One round: up to `attempts` tries. Resolves undefined when sent, else the last error and verdict. */
  async function tryRound(item: T): Promise<{ err: unknown; verdict: SendVerdict } | undefined> {
    for (let n = 1; ; n++) {
      try {
        await opts.send(item);
        return undefined;
      } catch (err) {
        const verdict = opts.classify(err);
        const wait = verdict.kind === 'retry' ? (verdict.afterMs ?? backoff * 2 ** (n - 1)) : 0;
        if (verdict.kind === 'permanent' || n >= attempts || wait > maxInline) return { err, verdict };
        opts.log.warn({ code: verdict.code ?? CODE, attempt: n, delayMs: wait, ...opts.logFields?.(item) }, 'send failed; retrying');
        await sleep(wait);
      }
    }
  }

  function report(q: Queued<T>, lane: Lane<T>, err: unknown, final: boolean): void {
    const e = q.entry;
    opts.log[final ? 'error' : 'warn'](
      { code: e.code, reason: e.lastError, rounds: e.rounds, queued: lane.items.length, state: e.state, final, ...opts.logFields?.(e.item) },
      final ? 'send failed; message kept as undelivered' : 'send failed; message parked for retry',
    );
    opts.onFailure?.({ ...e }, err, final);
  }

  /** Sends the lane's items in order until it is empty, parked or stopped; resolves with how many were sent. */
  async function drain(key: string, lane: Lane<T>): Promise<number> {
    let sent = 0;
    while (lane.items.length && !lane.parked && !stopped) {
      const q = lane.items[0] as Queued<T>;
      const failure = await tryRound(q.entry.item);
      if (!failure) {
        lane.items.shift();
        sent += 1;
        q.settle('sent');
        continue;
      }
      const e = q.entry;
      e.lastError = describe(failure.err);
      e.code = failure.verdict.code ?? CODE;
      const { verdict } = failure;
      if (verdict.kind === 'permanent' || e.rounds >= maxRounds || now() - e.since > maxAge) {
        e.state = 'undelivered';
        lane.items.shift();
        dead.push(e);
        if (dead.length > keep) dead = dead.slice(dead.length - keep);
        report(q, lane, failure.err, true);
        q.settle({ failed: failure.err });
        continue;
      }
      report(q, lane, failure.err, false);
      for (const other of lane.items) other.settle('parked');
      const wait = Math.max(verdict.afterMs ?? 0, delays[Math.min(e.rounds, delays.length - 1)] ?? 0);
      lane.parked = true;
      lane.cancel = schedule(() => unpark(key, lane), wait);
    }
    return sent;
  }

  /** Starts the next outbox round of a parked lane. */
  function unpark(key: string, lane: Lane<T>): Promise<number> {
    lane.cancel?.();
    lane.cancel = undefined;
    if (!lane.parked) return lane.running ?? Promise.resolve(0);
    lane.parked = false;
    const head = lane.items[0];
    if (head) head.entry.rounds += 1;
    // A drain that has just parked may still be finishing; the next one starts after it.
    return lane.running ? lane.running.then(() => kick(key, lane)) : kick(key, lane);
  }

  function kick(key: string, lane: Lane<T>): Promise<number> {
    if (lane.running) return lane.running;
    if (lane.parked || stopped) return Promise.resolve(0);
    const run = drain(key, lane).finally(() => {
      lane.running = undefined;
      if (!lane.items.length && !lane.parked) lanes.delete(key);
      else if (!lane.parked && !stopped) void kick(key, lane);
    });
    lane.running = run;
    return run;
  }

  return {
    send(item) {
      const key = opts.laneOf?.(item) ?? '';
      const lane = lanes.get(key) ?? { items: [], parked: false };
      lanes.set(key, lane);
      const fate = new Promise<SendFate>((resolve) => {
        let settled = false;
        const entry: OutboxEntry<T> = { item, lane: key, rounds: 0, lastError: '', code: CODE, state: 'pending', since: now() };
        lane.items.push({
          entry,
          settle: (f) => {
            if (!settled) resolve(f);
            settled = true;
          },
        });
        if (lane.parked || stopped) lane.items[lane.items.length - 1]?.settle('parked');
      });
      void kick(key, lane);
      return fate;
    },
    async flush() {
      if (stopped) return 0;
      const runs = [...lanes].map(([key, lane]) => (lane.parked ? unpark(key, lane) : Promise.resolve(0)));
      return (await Promise.all(runs)).reduce((a, b) => a + b, 0);
    },
    entries() {
      const parked = [...lanes.values()].filter((l) => l.parked).flatMap((l) => l.items.map((q) => ({ ...q.entry })));
      return [...parked, ...dead.map((e) => ({ ...e }))];
    },
    undelivered: () => dead.map((e) => ({ ...e })),
    get pending() {
      let n = 0;
      for (const lane of lanes.values()) n += lane.items.length;
      return n;
    },
    async idle() {
      for (;;) {
        const running = [...lanes.values()].flatMap((l) => (l.running ? [l.running] : []));
        if (!running.length) return;
        await Promise.all(running);
      }
    },
    async stop() {
      stopped = true;
      let lost = 0;
      const running: Promise<number>[] = [];
      for (const lane of lanes.values()) {
        lane.cancel?.();
        lane.cancel = undefined;
        lost += lane.items.length;
        for (const q of lane.items) q.settle('parked');
        if (lane.running) running.push(lane.running);
      }
      if (lost) opts.log.error({ code: CODE, lost }, 'outbox stopped with undelivered messages');
      await Promise.all(running);
    },
  };
}
