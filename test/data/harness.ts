/**
 * One conformance suite per repository (BullMQ's adapter-conformance idea), run against every
 * backend through a factory: test/data/<backend>.test.ts calls `runDataSuites(name, factory)`.
 * The factory gets the data options (an injected clock, a TTL, a corrupt-row sink) and returns the
 * repositories plus, where the backend has them, a way to reopen the same data after close(), a
 * second independent handle on the same data, and a way to damage one stored row.
 */
import type { CorruptRow, DataOptions, Repositories } from '../../core/data';
import { type Clock, createClock } from '../stores/suite-helpers';

export interface DataHandle {
  data: Repositories;
  /** Opens the same data again (after the suite closed `data`): the durability checks. */
  reopen?: () => Promise<Repositories>;
  /** A second connection to the same data, used alongside `data` by the concurrency checks. */
  another?: () => Promise<Repositories>;
  /** Overwrites the stored body of one record with bytes that are not a record (a damaged disk). */
  corrupt?: (table: 'sessions' | 'handoffs' | 'tickets' | 'inbox' | 'audit' | 'messages', id: string) => Promise<void>;
  cleanup: () => Promise<void>;
}

export type DataFactory = (opts: DataOptions) => Promise<DataHandle>;

export interface SuiteOptions {
  /** Cases the backend cannot pass, by title, with the reason: registered as pending and printed. */
  skip?: Record<string, string>;
}

/** What each suite file gets: `open()` a fresh store and `test()` to register a case. */
export interface SuiteContext {
  open(opts?: DataOptions): Promise<DataHandle & { corruptRows: CorruptRow[] }>;
  clock(): Clock;
  test(title: string, fn: (this: Mocha.Context) => Promise<void>): void;
}

export function createSuiteContext(factory: DataFactory, opts: SuiteOptions): SuiteContext {
  let clock = createClock();
  const opened: Repositories[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  beforeEach(() => {
    clock = createClock();
  });
  afterEach(async () => {
    for (const d of opened.splice(0)) await d.close();
    for (const c of cleanups.splice(0)) await c();
  });
  const track = (fn?: () => Promise<Repositories>) =>
    fn &&
    (async () => {
      const d = await fn();
      opened.push(d);
      return d;
    });
  return {
    clock: () => clock,
    async open(extra: DataOptions = {}) {
      const corruptRows: CorruptRow[] = [];
      const handle = await factory({ now: clock.now, onCorrupt: (r) => corruptRows.push(r), ...extra });
      opened.push(handle.data);
      cleanups.push(handle.cleanup);
      return { ...handle, reopen: track(handle.reopen), another: track(handle.another), corruptRows };
    },
    test(title, fn) {
      const reason = opts.skip?.[title];
      if (reason === undefined) it(title, fn);
      else {
        console.log(`  SKIPPED "${title}": ${reason}`);
        it.skip(`${title} (skipped: ${reason})`, fn);
      }
    },
  };
}
