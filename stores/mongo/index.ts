/**
 * MongoDB session store on mongoose: one document per key with a version for compare-and-set,
 * a TTL index for idle expiry and an index on updatedAt for `list`.
 * @example
 * const connection = await connectMongo(process.env.MONGODB_URI!);
 * const store = createMongoStore<SessionState>({ connection, ownsConnection: true }, { ttlSeconds: 30 * 86400 });
 */
import type { Connection, Model } from 'mongoose';
import { checkListLimit, decodeStoredValue, encodeStoredValue, expiryOf, isKefuError, KefuError, type SessionStore, type StoreOptions, type Versioned } from '../../core';
import { checkCollectionName, type SessionDoc, sessionModel } from './session-model';

export { connectMongo, type MongoConnectOptions } from './connect';

export interface MongoStoreOptions {
  connection: Connection;
  /** Collection name. Default `kefu_sessions`. */
  collection?: string;
  /** When true, `close()` also closes the connection. Default false: the connection stays the caller's. */
  ownsConnection?: boolean;
}

const DUPLICATE_KEY = 11000;

export function createMongoStore<S>(opts: MongoStoreOptions, storeOpts: StoreOptions = {}): SessionStore<S> {
  const collection = checkCollectionName(opts.collection ?? 'kefu_sessions');
  const model = sessionModel(opts.connection, collection);
  const now = storeOpts.now ?? Date.now;
  let closed = false;
  let indexes: Promise<unknown> | undefined;

  // Created on first use (the factory is synchronous); a failure is retried on the next call.
  function ensureIndexes(): Promise<unknown> {
    indexes ??= model.createIndexes().catch((err: unknown) => {
      indexes = undefined;
      throw err;
    });
    return indexes;
  }

  function checkOpen(): void {
    if (closed) throw new KefuError('KEFU_ERR_STORE_CLOSED', `MongoDB store (collection "${collection}") was used after close(); create a new store.`);
  }

  async function guard<T>(what: string, fn: (m: Model<SessionDoc>) => Promise<T>): Promise<T> {
    checkOpen();
    try {
      await ensureIndexes();
      return await fn(model);
    } catch (err) {
      if (isKefuError(err)) throw err;
      const why = err instanceof Error ? err.message : String(err);
      throw new KefuError(
        'KEFU_ERR_STORE_UNAVAILABLE',
        `MongoDB store could not ${what} in collection "${collection}" (${why}); check that MongoDB is running and reachable at MONGODB_URI.`,
        { cause: err },
      );
    }
  }

  const live = (at: number) => ({ $or: [{ expiresAt: null }, { expiresAt: { $gte: new Date(at) } }] });

  return {
    read: (key) =>
      guard('read', async (m): Promise<Versioned<S> | undefined> => {
        const doc = await m.findOne({ _id: key, ...live(now()) }).lean<SessionDoc>();
        return doc ? { value: decodeStoredValue<S>(key, doc.value), version: doc.version } : undefined;
      }),

    write: async (key, value, expectedVersion) => {
      checkOpen();
      const text = encodeStoredValue(key, value);
      return guard('write', async (m): Promise<'ok' | 'conflict'> => {
        const at = now();
        const expires = expiryOf(key, at, storeOpts);
        const fields = { value: text, updatedAt: new Date(at), expiresAt: expires === null ? null : new Date(expires) };
        if (expectedVersion !== 0) {
          const res = await m.updateOne({ _id: key, version: expectedVersion, ...live(at) }, { $set: fields, $inc: { version: 1 } });
          return res.matchedCount === 1 ? 'ok' : 'conflict';
        }
        // An expired document may still be there until the TTL monitor (once a minute) removes it: take it over.
        const stale = await m.updateOne({ _id: key, expiresAt: { $lt: new Date(at) } }, { $set: { ...fields, version: 1 } });
        if (stale.matchedCount === 1) return 'ok';
        try {
          await m.insertOne({ _id: key, ...fields, version: 1 });
          return 'ok';
        } catch (err) {
          if (isDuplicateKey(err)) return 'conflict';
          throw err;
        }
      });
    },

    delete: (key) =>
      guard('delete', async (m) => {
        await m.deleteOne({ _id: key });
      }),

    list: async (prefix, limit = 1000) => {
      checkOpen();
      checkListLimit(limit);
      return guard('list', async (m) => {
        if (limit === 0) return []; // MongoDB reads limit(0) as "no limit"
        const docs = await m
          .find({ _id: { $regex: `^${escapeRegex(prefix)}` }, ...live(now()) })
          .sort({ updatedAt: 1, _id: 1 })
          .limit(limit)
          .lean<SessionDoc[]>();
        return docs.map((d) => ({ key: d._id, value: decodeStoredValue<S>(d._id, d.value), version: d.version }));
      });
    },

    close: async () => {
      if (closed) return;
      closed = true;
      if (opts.ownsConnection) await opts.connection.close();
    },
  };
}

/** Escapes every regex metacharacter so the prefix matches literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === DUPLICATE_KEY;
}
