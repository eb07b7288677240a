/**
 * Telegram's use of the core outbox: replies leave through one ordered lane per chat, so a customer
 * never sees answers out of order. A call that keeps failing for a retryable reason (429, 5xx,
 * network; see send-with-retry.ts) is parked: the lane waits and tries again later (10 s, 30 s,
 * 2 min, 10 min…, or longer when Telegram's retry_after says so), and messages behind it wait too.
 * Final failures (blocked by the user, chat not found) and messages older than `maxAgeMs` are
 * dropped with a KEFU_ERR_CHANNEL_SEND_FAILED log line and reported to `onFailed`. In memory only:
 * what is still parked at shutdown is logged with its count.
 */
import { asCodedError, type SendFate as CoreFate, createOutbox as createCoreOutbox, type KefuError, type Logger } from '../../core';
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

export const DEFAULT_PARK_DELAYS_MS = [10_000, 30_000, 120_000, 600_000] as const;

/** A call Telegram refused, carrying send-with-retry's verdict through the core outbox. */
class Refused extends Error {
  constructor(readonly outcome: Exclude<CallOutcome, { ok: true }>) {
    super(outcome.error.message);
  }
}

const codedError = (err: unknown): KefuError => (err instanceof Refused ? err.outcome.error : asCodedError(err));

export function createOutbox(opts: OutboxOptions): Outbox {
  const outbox = createCoreOutbox<TelegramCall>({
    async send(call) {
      const outcome = await opts.perform(call);
      if (!outcome.ok) throw new Refused(outcome);
    },
    classify(err) {
      const outcome = err instanceof Refused ? err.outcome : undefined;
      const code = codedError(err).code;
      return outcome?.retryable ? { kind: 'retry', afterMs: outcome.retryInMs, code } : { kind: 'permanent', code };
    },
    laneOf: (call) => call.chatId,
    logFields: (call) => ({ method: call.method, chatId: call.chatId }),
    log: opts.log,
    now: opts.now,
    parkDelaysMs: opts.parkDelaysMs ?? DEFAULT_PARK_DELAYS_MS,
    maxRounds: Number.POSITIVE_INFINITY,
    maxAgeMs: opts.maxAgeMs ?? 24 * 3600_000,
    onFailure: (entry, err, final) => opts.onFailed?.({ chatId: entry.item.chatId, method: entry.item.method, error: codedError(err), final }),
  });
  const toFate = (fate: CoreFate): SendFate => (typeof fate === 'object' ? { failed: codedError(fate.failed) } : fate);
  return {
    enqueue: (calls) => Promise.all(calls.map((call) => outbox.send(call).then(toFate))),
    get pending() {
      return outbox.pending;
    },
    idle: () => outbox.idle(),
    close() {
      void outbox.stop();
    },
  };
}
