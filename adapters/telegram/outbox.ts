/**
 * The outbox: replies leave through one ordered lane per chat, so a customer never sees answers out
 * of order. A call that keeps failing for a retryable reason (429, 5xx, network) is parked: the lane
 * waits and tries again later (10 s, 30 s, 2 min, 10 min…), and messages behind it wait too. Final
 * failures (blocked by the user, chat not found) and messages older than `maxAgeMs` are dropped
 * with a KEFU_ERR_CHANNEL_SEND_FAILED log line and reported to `onFailed`. In memory only: what is
 * still parked at shutdown is logged with its count.
 */
import type { KefuError, Logger } from '../../core';
import type { TelegramCall } from './render';
import type { CallOutcome } from './send-with-retry';

export type SendFate = 'sent' | 'parked' | { failed: KefuError };

export interface SendFailure {
  chatId: string;
  method: TelegramCall['method'];
  error: KefuError;
  /** True when the message was dropped; false when it was parked for a later retry. */
  final: boolean;
}

export interface OutboxOptions {
  perform(call: TelegramCall): Promise<CallOutcome>;
  log: Logger;
  now: () => number;
  parkDelaysMs?: readonly number[];
  maxAgeMs?: number;
  onFailed?(failure: SendFailure): void;
}

export interface Outbox {
  /** Resolves with each call's first fate: sent, parked (will be retried) or failed (dropped). */
  enqueue(calls: readonly TelegramCall[]): Promise<SendFate[]>;
  /** Calls not yet sent or dropped (including parked ones). */
  readonly pending: number;
  /** Resolves when no lane is sending right now (parked lanes wait on their timers). */
  idle(): Promise<void>;
  /** Cancels the retry timers; logs how many messages are lost. */
  close(): void;
}

interface Entry {
  call: TelegramCall;
  enqueuedAt: number;
  settle(fate: SendFate): void;
}

interface Lane {
  items: Entry[];
  parks: number;
  running?: Promise<void>;
  timer?: NodeJS.Timeout;
}

export const DEFAULT_PARK_DELAYS_MS = [10_000, 30_000, 120_000, 600_000] as const;

export function createOutbox(opts: OutboxOptions): Outbox {
  const lanes = new Map<string, Lane>();
  const delays = opts.parkDelaysMs ?? DEFAULT_PARK_DELAYS_MS;
  const maxAge = opts.maxAgeMs ?? 24 * 3600_000;
  let closed = false;

  const fail = (lane: Lane, chatId: string, error: KefuError, final: boolean) => {
    const head = lane.items[0];
    if (!head) return;
    opts.log[final ? 'error' : 'warn'](
      { code: error.code, method: head.call.method, chatId, queued: lane.items.length, final },
      final ? 'telegram send failed; message dropped' : 'telegram send failed; message parked for retry',
    );
    opts.onFailed?.({ chatId, method: head.call.method, error, final });
  };

  const drain = async (chatId: string, lane: Lane): Promise<void> => {
    while (lane.items.length && !closed) {
      const head = lane.items[0] as Entry;
      const outcome = await opts.perform(head.call);
      if (outcome.ok) {
        lane.items.shift();
        lane.parks = 0;
        head.settle('sent');
        continue;
      }
      const tooOld = opts.now() - head.enqueuedAt > maxAge;
      if (!outcome.retryable || tooOld) {
        fail(lane, chatId, outcome.error, true);
        lane.items.shift();
        head.settle({ failed: outcome.error });
        continue;
      }
      fail(lane, chatId, outcome.error, false);
      for (const e of lane.items) e.settle('parked');
      const wait = Math.max(outcome.retryInMs, delays[Math.min(lane.parks, delays.length - 1)] ?? 0);
      lane.parks += 1;
      lane.timer = setTimeout(() => {
        lane.timer = undefined;
        kick(chatId, lane);
      }, wait);
      lane.timer.unref();
      return;
    }
  };

  const kick = (chatId: string, lane: Lane) => {
    if (lane.running || lane.timer || closed) return;
    lane.running = drain(chatId, lane).finally(() => {
      lane.running = undefined;
      if (!lane.items.length && !lane.timer) lanes.delete(chatId);
      else if (!lane.timer) kick(chatId, lane);
    });
  };

  return {
    enqueue(calls) {
      const fates = calls.map((call) => {
        const chatId = call.chatId;
        const lane = lanes.get(chatId) ?? { items: [], parks: 0 };
        lanes.set(chatId, lane);
        return new Promise<SendFate>((resolve) => {
          let settled = false;
          lane.items.push({
            call,
            enqueuedAt: opts.now(),
            settle: (fate) => {
              if (!settled) resolve(fate);
              settled = true;
            },
          });
        });
      });
      for (const [chatId, lane] of lanes) kick(chatId, lane);
      return Promise.all(fates);
    },
    get pending() {
      let n = 0;
      for (const lane of lanes.values()) n += lane.items.length;
      return n;
    },
    async idle() {
      for (;;) {
        const running = [...lanes.values()].map((l) => l.running).filter((r): r is Promise<void> => r !== undefined);
        if (!running.length) return;
        await Promise.all(running);
      }
    },
    close() {
      closed = true;
      let lost = 0;
      for (const lane of lanes.values()) {
        if (lane.timer) clearTimeout(lane.timer);
        lost += lane.items.length;
        for (const e of lane.items) e.settle('parked');
      }
      lanes.clear();
      if (lost) opts.log.error({ code: 'KEFU_ERR_CHANNEL_SEND_FAILED', lost }, 'telegram outbox closed with undelivered messages');
    },
  };
}
