/**
 * What every MongoDB repository shares: the collections, the row codec, the clock, and `run`, which
 * refuses calls after close() and turns driver and network errors into KEFU_ERR_STORE_UNAVAILABLE
 * (coded errors, such as a bad page cursor or a value JSON cannot hold, pass through as they are).
 */
import { closedError, type RowReader } from '../../core/data';
import { isKefuError, KefuError, storeDefect } from '../../core/errors';
import { redactUri } from './connect';
import type { Collections } from './documents';

export interface MongoContext {
  readonly c: Collections;
  readonly rows: RowReader;
  /** The injected clock (ms). */
  now(): number;
  /** Runs one repository call: closed check, then `fn`, with its errors coded. */
  run<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

export interface MongoContextOptions {
  collections: Collections;
  rows: RowReader;
  now: () => number;
  /** How the store is named in errors, e.g. `MongoDB store (collections "kefu_*")`. */
  where: string;
  isClosed: () => boolean;
}

export function createMongoContext(opts: MongoContextOptions): MongoContext {
  return {
    c: opts.collections,
    rows: opts.rows,
    now: opts.now,
    async run(what, fn) {
      if (opts.isClosed()) throw closedError(`The ${opts.where}`);
      try {
        return await fn();
      } catch (err) {
        throw toStoreError(err, what, opts.where);
      }
    },
  };
}

/** A KefuError as it is; anything else (driver, network, server) as KEFU_ERR_STORE_UNAVAILABLE naming what failed. */
export function toStoreError(err: unknown, what: string, where: string): KefuError {
  if (isKefuError(err)) return err;
  const defect = storeDefect(err, what, where);
  if (defect) return defect;
  const why = redactUri(err instanceof Error ? err.message : String(err));
  return new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `${where} could not ${what} (${why}); check that MongoDB is running and reachable at MONGODB_URI.`, { cause: err });
}

/** True for MongoDB's duplicate-key error (E11000), which a unique index raises when two writers race to insert. */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ('code' in err && err.code === 11000) return true;
  const writeErrors = 'writeErrors' in err ? err.writeErrors : undefined;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((w: unknown) => typeof w === 'object' && w !== null && 'code' in w && w.code === 11000);
}
