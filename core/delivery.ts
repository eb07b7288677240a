/**
 * The durable outbox's worker. Replies and pushes are written to the conversation's messages with
 * `deliver` in the same commit as the turn (see turn.ts), so a process that dies before sending
 * still sends them after a restart. The worker sends each conversation's lane in order through the
 * channel's `send`, marks each message sent right after the platform took it, and on a failure
 * asks the channel what it was: a transient one parks the lane (backoff, or the platform's
 * retry-after) and everything behind it waits; a permanent one (or one still failing after
 * `maxAgeMs`) is kept as failed, with its code, and the lane goes on.
 *
 * At most once per message in the normal case; a crash between the platform's answer and
 * `markSent` sends that one message again after the restart (at least once). One worker per
 * process; lanes are serialised in-process, and across instances by `leases` (multi-instance
 * mode): a lane is sent by the instance holding its lease, renewed before every message, so a
 * lane another instance is sending is left alone, and one whose instance died is taken over when
 * its lease runs out.
 */
import type { Repositories, StoredMessage } from './data';
import { asCodedError } from './errors';
import type { Logger } from './logger';
import type { ConversationRef, OutboundMessage } from './model';
import type { SendVerdict } from './outbox';
import { toOutbound } from './turn';

/** What the worker needs of a channel. */
export interface DeliveryTarget {
  send(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<unknown>;
  /** How a send error is retried; default: every error is transient. */
  classifySendError?(err: unknown): SendVerdict;
}

/** A lane held by this instance until released or until it runs out (not renewed in time). */
export interface LaneLease {
  /** Extends the lease; false when it ran out and another instance may hold the lane now (stop sending). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** Exclusive leases on outbox lanes, shared by every instance (multi-instance mode). */
export interface LaneLeases {
  /** Takes the lane's lease, or undefined when another instance holds it. */
  acquire(key: string): Promise<LaneLease | undefined>;
  /** How long a lease lasts unless renewed. */
  readonly ttlMs: number;
}

export interface DeliveryOptions {
  data: Repositories;
  channel(name: string): DeliveryTarget | undefined;
  log: Logger;
  now: () => number;
  /** Waits after the 1st, 2nd… failed attempt (the last repeats); a longer retry-after wins. Default 2 s, 10 s, 1 min, 5 min, 15 min. */
  retryDelaysMs?: readonly number[];
  /** A message still failing this long after it was written is given up (kept as failed). Default 24 h. */
  maxAgeMs?: number;
  /** Runs `fn` after `ms`; returns a cancel function (default: an unref'd timer). */
  schedule?: (fn: () => void, ms: number) => () => void;
  /** Lane leases shared with other instances; without them this process is the only sender. */
  leases?: LaneLeases;
}

export interface Delivery {
  /** Sends the conversation's due messages soon (in the background). */
  kick(key: string): void;
  /** Sends the conversation's due messages now and resolves when that pass is done. */
  flush(key: string): Promise<void>;
  /** Sends every due lane and keeps a timer for parked ones. */
  start(): void;
  /**
   * A channel started: its waiting messages get a new try now (a restart is a fresh chance; the
   * platform's problem may be fixed), then the usual timers take over.
   */
  resume(channel: string): Promise<void>;
  /** Makes every waiting message due now and sends them; resolves with how many are still pending. */
  retryAll(): Promise<number>;
  /** Resolves when no lane is sending (parked lanes wait for their time). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_DELAYS = [2000, 10_000, 60_000, 300_000, 900_000];
const LANE_BATCH = 20;
const SWEEP_BATCH = 100;
const STORE_RETRY_MS = 5000;
/** How soon a lane another instance was sending is looked at again. */
const LEASE_RECHECK_MS = 1000;
/** How often lanes that are due but cannot leave (their channel is not running) are looked at again. */
const IDLE_RECHECK_MS = 60_000;
const defaultSchedule = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, Math.max(0, ms));
  t.unref();
  return () => clearTimeout(t);
};

export function createDelivery(opts: DeliveryOptions): Delivery {
  const { data, log, now } = opts;
  const delays = opts.retryDelaysMs ?? DEFAULT_DELAYS;
  const maxAge = opts.maxAgeMs ?? 24 * 3_600_000;
  const schedule = opts.schedule ?? defaultSchedule;
  const lanes = new Map<string, { run: Promise<void>; again: boolean }>();
  let timer: { at: number; cancel: () => void } | undefined;
  let sweeping: Promise<void> | undefined;
  let sweepAgain = false;
  const resuming = new Set<Promise<void>>();
  let stopped = false;

  /** Sets the wake-up timer to `at` unless one is set earlier. */
  function wake(at: number): void {
    if (stopped || (timer && timer.at <= at)) return;
    timer?.cancel();
    const cancel = schedule(() => {
      timer = undefined;
      void sweepOnce();
    }, at - now());
    timer = { at, cancel };
  }

  /** One sweep at a time; a wake-up that comes while one runs makes it run again (what it read may be stale). */
  function sweepOnce(): Promise<void> {
    if (sweeping) {
      sweepAgain = true;
      return sweeping;
    }
    sweeping = (async () => {
      do {
        sweepAgain = false;
        await sweep();
      } while (sweepAgain && !stopped);
    })().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  }

  async function sweep(): Promise<void> {
    if (stopped) return;
    try {
      const lanes = await data.messages.dueLanes(now(), SWEEP_BATCH);
      // A lane whose channel is not running waits untouched (its key starts with the channel name).
      const due = lanes.filter((key) => opts.channel(key.slice(0, key.indexOf(':'))));
      for (const key of due) kick(key);
      const next = await data.messages.nextDueAt();
      if (next === undefined) return;
      if (next > now()) wake(next);
      // Due now: more than one batch, or a timer that fired a moment early (read again shortly);
      // only lanes of channels that are not running wait for the long recheck.
      else wake(now() + (due.length || !lanes.length ? 50 : IDLE_RECHECK_MS));
    } catch (err) {
      log.warn({ code: asCodedError(err).code }, 'outbox sweep failed; trying again shortly');
      wake(now() + STORE_RETRY_MS);
    }
  }

  /** One message: sent (true), or the lane stops here (false). */
  async function deliverOne(key: string, m: StoredMessage): Promise<boolean> {
    const d = m.delivery;
    if (!d || !m.ref) return true;
    if (d.nextAttemptAt > now()) {
      wake(d.nextAttemptAt);
      return false;
    }
    const channel = opts.channel(m.ref.channel);
    if (!channel) return false; // not running (yet): the lane waits, untouched, until the channel is added
    try {
      await channel.send(m.ref, [toOutbound(m)]);
    } catch (err) {
      return failed(key, m, err, channel);
    }
    await data.messages.markSent(key, [m.seq], now());
    return true;
  }

  async function failed(key: string, m: StoredMessage, err: unknown, channel: DeliveryTarget): Promise<boolean> {
    const verdict: SendVerdict = channel.classifySendError?.(err) ?? { kind: 'retry', code: 'KEFU_ERR_CHANNEL_SEND_FAILED' };
    const code = verdict.code ?? asCodedError(err).code;
    const attempts = (m.delivery?.attempts ?? 0) + 1;
    const fields = { code, channel: m.ref?.channel, seq: m.seq, attempts };
    if (verdict.kind === 'permanent' || now() - m.at > maxAge) {
      await data.messages.markFailed(key, m.seq, { attempts, lastError: code, at: now() });
      log.error(fields, 'message given up: the platform refused it for good (kept as failed)');
      return true;
    }
    const delay = Math.max(verdict.afterMs ?? 0, delays[Math.min(attempts - 1, delays.length - 1)] ?? 60_000);
    await data.messages.markRetry(key, m.seq, { attempts, nextAttemptAt: now() + delay, lastError: code });
    log.warn({ ...fields, retryInMs: delay }, 'send failed; the conversation’s messages wait in the outbox');
    wake(now() + delay);
    return false;
  }

  async function runLane(key: string, lease?: LaneLease): Promise<void> {
    for (;;) {
      const pending = await data.messages.pending(key, LANE_BATCH);
      for (const m of pending) {
        if (stopped || (lease && !(await lease.renew()))) return;
        if (!(await deliverOne(key, m))) return;
      }
      if (pending.length < LANE_BATCH) return;
    }
  }

  /**
   * Sends the lane when this instance holds (or needs no) lease; else looks again shortly: the
   * holder may have read the lane just before this instance wrote to it.
   */
  async function runLeased(key: string): Promise<void> {
    if (!opts.leases) return runLane(key);
    const lease = await opts.leases.acquire(key);
    if (!lease) {
      wake(now() + Math.min(opts.leases.ttlMs, LEASE_RECHECK_MS));
      return;
    }
    try {
      await runLane(key, lease);
    } finally {
      await lease.release().catch((err: unknown) => log.warn({ code: asCodedError(err).code }, 'outbox lane lease not released; it runs out by itself'));
    }
  }

  async function resumeChannel(channel: string): Promise<void> {
    if (stopped) return;
    const everything = now() + 100 * 365 * 86_400_000;
    try {
      for (const key of await data.messages.dueLanes(everything, 10_000)) {
        if (!key.startsWith(`${channel}:`)) continue;
        const waiting = await data.messages.pending(key, 500);
        await data.messages.release(
          key,
          waiting.map((m) => m.seq),
          now(),
        );
        kick(key);
      }
    } catch (err) {
      log.warn({ code: asCodedError(err).code, channel }, 'outbox could not resume the channel’s messages; the timers will');
    }
    void sweepOnce();
  }

  function start(key: string): Promise<void> {
    const lane = lanes.get(key);
    if (lane) {
      lane.again = true;
      return lane.run;
    }
    const entry = { run: Promise.resolve(), again: false };
    entry.run = (async () => {
      do {
        entry.again = false;
        try {
          await runLeased(key);
        } catch (err) {
          log.warn({ code: asCodedError(err).code }, 'outbox lane failed; trying again shortly');
          wake(now() + STORE_RETRY_MS);
        }
      } while (entry.again && !stopped);
      lanes.delete(key);
    })();
    lanes.set(key, entry);
    return entry.run;
  }

  function kick(key: string): void {
    if (!stopped) void start(key);
  }

  return {
    kick,
    async flush(key) {
      if (stopped) return;
      const running = lanes.get(key);
      if (running) {
        running.again = true;
        await running.run;
        return;
      }
      await start(key);
    },
    start() {
      stopped = false;
      void sweepOnce();
    },
    resume(channel) {
      const run = resumeChannel(channel).finally(() => resuming.delete(run));
      resuming.add(run);
      return run;
    },
    async retryAll() {
      const everything = now() + 100 * 365 * 86_400_000;
      for (const key of await data.messages.dueLanes(everything, 10_000)) {
        const waiting = await data.messages.pending(key, 500);
        await data.messages.release(
          key,
          waiting.map((m) => m.seq),
          now(),
        );
        await this.flush(key);
      }
      return data.messages.countPending();
    },
    async idle() {
      while (sweeping || resuming.size || lanes.size) {
        await sweeping;
        await Promise.all([...resuming]);
        await Promise.all([...lanes.values()].map((l) => l.run));
      }
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = undefined;
      while (lanes.size) await Promise.all([...lanes.values()].map((l) => l.run));
    },
  };
}
