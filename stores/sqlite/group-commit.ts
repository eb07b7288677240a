/**
 * Group commit: writes that arrive in the same event-loop turn (turns, named values, handoff and
 * inbox changes, counters) share one SQLite write transaction, so the fixed cost of a transaction
 * (the lock, the WAL frames of the pages every write touches) is paid once per group instead of once
 * per write. Each write still runs in its own savepoint (a group of one needs none): it is applied or
 * rolled back whole, and one that fails does not fail the others. A write's promise resolves only
 * after the group's COMMIT.
 * When another connection holds the write lock (SQLITE_BUSY: another process, or the checkpoint
 * worker starting the WAL over), the group waits on a timer and tries again, up to `busyWaitMs` from its
 * oldest write, instead of blocking the event loop in SQLite's busy handler.
 */
import type Database from 'better-sqlite3';
import { busyBackoff, isBusy } from './busy';

/** The most writes one transaction takes (bounds the latency a large group adds). */
const MAX_GROUP = 64;

interface Waiting {
  /** When the write was asked for (performance.now()): it waits for a busy file until this plus the busy wait. */
  since: number;
  run(): unknown;
  resolve(result: unknown): void;
  reject(err: unknown): void;
  /** Turns a failure into the error the write rejects with. */
  onError(err: unknown): unknown;
}

export interface WriteGroup {
  /** Runs `fn` in the next group's transaction; `onError` turns a failure into the error to reject with. */
  write<R>(fn: () => R, onError: (err: unknown) => unknown): Promise<R>;
  /** Commits what is waiting now (before close). */
  drain(): void;
}

export function createWriteGroup(db: Database.Database, busyWaitMs: number): WriteGroup {
  // Called inside the group's transaction, better-sqlite3 runs each one in a SAVEPOINT.
  const one = db.transaction((w: Waiting) => w.run());
  // A group of one needs no savepoint: its failure rolls back the transaction, which holds only it.
  const alone = db.transaction((w: Waiting) => [{ ok: true as const, value: w.run() }]);
  const group = db.transaction((items: Waiting[]) =>
    items.map((w) => {
      try {
        return { ok: true as const, value: one(w) };
      } catch (err) {
        return { ok: false as const, err };
      }
    }),
  );
  const waiting: Waiting[] = [];
  let busyTries = 0;
  let retry: NodeJS.Timeout | undefined;

  function drain(): void {
    clearTimeout(retry);
    retry = undefined;
    while (waiting.length) {
      const items = waiting.splice(0, MAX_GROUP);
      let results: ReturnType<typeof group>;
      try {
        results = items.length === 1 ? alone.immediate(items[0] as Waiting) : group.immediate(items);
        busyTries = 0;
      } catch (err) {
        if (isBusy(err) && performance.now() < (items[0] as Waiting).since + busyWaitMs) {
          waiting.unshift(...items);
          retry = setTimeout(drain, busyBackoff(busyTries++));
          return;
        }
        for (const w of items) w.reject(w.onError(err));
        continue;
      }
      results.forEach((r, i) => {
        const w = items[i] as Waiting;
        if (r.ok) w.resolve(r.value);
        else w.reject(w.onError(r.err));
      });
    }
  }

  return {
    write<R>(fn: () => R, onError: (err: unknown) => unknown) {
      return new Promise<R>((resolve, reject) => {
        const w: Waiting = { since: performance.now(), run: fn, resolve: resolve as (v: unknown) => void, reject, onError };
        waiting.push(w);
        if (waiting.length === 1 && !retry) setImmediate(drain);
      });
    },
    drain,
  };
}
