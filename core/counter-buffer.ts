/**
 * Counters added on the hot path (per turn, per escalation) are summed in memory and written in one
 * `counters.add` per flush: every second, and at close. Exact after a clean shutdown; a process
 * killed with -9 loses at most the last second's counts (ARCHITECTURE.md, durability table). A
 * store that is down keeps the sums for the next flush.
 */
import type { CounterDelta, CounterRepo } from './data';
import { asCodedError } from './errors';
import type { Logger } from './logger';

export interface CounterBuffer {
  /** Adds to the scope's counters (written at the next flush). */
  add(scope: string, values: Readonly<Record<string, number>>): void;
  /** Writes what was added so far; resolves when it is stored. */
  flush(): Promise<void>;
  /** Stops the timer after one last flush. */
  close(): Promise<void>;
}

export function createCounterBuffer(repo: () => CounterRepo, log: Logger, opts: { flushMs?: number } = {}): CounterBuffer {
  const flushMs = opts.flushMs ?? 1000;
  let pending = new Map<string, Map<string, number>>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  function deltas(from: Map<string, Map<string, number>>): CounterDelta[] {
    return [...from].map(([scope, values]) => ({ scope, values: Object.fromEntries(values) }));
  }

  function merge(into: Map<string, Map<string, number>>, from: Map<string, Map<string, number>>): void {
    for (const [scope, values] of from) {
      const m = into.get(scope) ?? new Map<string, number>();
      into.set(scope, m);
      for (const [name, n] of values) m.set(name, (m.get(name) ?? 0) + n);
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(async () => {
      if (!pending.size) return;
      const batch = pending;
      pending = new Map();
      try {
        await repo().add(deltas(batch));
      } catch (err) {
        merge(pending, batch); // kept for the next flush
        log.warn({ code: asCodedError(err).code, scopes: batch.size }, 'counters not saved yet; kept for the next flush');
        if (!closed) arm();
      }
    });
    return writing;
  }

  function arm(): void {
    if (timer || closed) return;
    timer = setTimeout(() => void flush(), flushMs);
    timer.unref();
  }

  return {
    add(scope, values) {
      const m = pending.get(scope) ?? new Map<string, number>();
      pending.set(scope, m);
      for (const [name, n] of Object.entries(values)) if (n) m.set(name, (m.get(name) ?? 0) + n);
      arm();
    },
    flush,
    async close() {
      closed = true;
      await flush();
      if (pending.size) log.error({ code: 'KEFU_ERR_STORE_UNAVAILABLE', scopes: pending.size }, 'counters lost at shutdown: the store refused them');
    },
  };
}
