/**
 * Group commit: turns that reach their commit in the same event-loop turn share one SQLite write
 * transaction, so the fixed cost of a transaction (the lock, the WAL frames of the pages every
 * commit touches) is paid once per group instead of once per turn. Each turn still runs in its own
 * savepoint: its compare-and-set and messages are applied or rolled back together, and one that
 * fails does not fail the others. A turn's promise resolves only after the group's COMMIT.
 */
import type Database from 'better-sqlite3';

/** The most commits one transaction takes (bounds the latency a large group adds). */
const MAX_GROUP = 64;

interface Waiting<I, R> {
  item: I;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export interface GroupCommit<I, R> {
  submit(item: I): Promise<R>;
  /** Commits what is waiting now (before close). */
  drain(): void;
}

export function createGroupCommit<I, R>(db: Database.Database, runOne: (item: I) => R, onError: (err: unknown) => unknown): GroupCommit<I, R> {
  // Called inside the group's transaction, better-sqlite3 runs each one in a SAVEPOINT.
  const one = db.transaction(runOne);
  const group = db.transaction((items: Array<Waiting<I, R>>) =>
    items.map((w) => {
      try {
        return { ok: true as const, value: one(w.item) };
      } catch (err) {
        return { ok: false as const, err };
      }
    }),
  );
  const waiting: Array<Waiting<I, R>> = [];

  function drain(): void {
    while (waiting.length) {
      const items = waiting.splice(0, MAX_GROUP);
      let results: ReturnType<typeof group>;
      try {
        results = group.immediate(items);
      } catch (err) {
        for (const w of items) w.reject(onError(err));
        continue;
      }
      results.forEach((r, i) => {
        const w = items[i] as Waiting<I, R>;
        if (r.ok) w.resolve(r.value);
        else w.reject(onError(r.err));
      });
    }
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length === 1) setImmediate(drain);
      });
    },
    drain,
  };
}
