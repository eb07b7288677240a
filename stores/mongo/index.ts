/**
 * The MongoDB backend: every repository of core/data on a mongoose connection, one collection per
 * repository (`<prefix>conversations`, `messages`, `handoffs`, `tickets`, `inbox`, `audit`,
 * `counters`, `meta`, `sequences`) with the indexes their queries use, created at start-up. Needs
 * no transactions and no unique-index enforcement for its guarantees: a turn is one document
 * update (conversations.ts), an active handoff holds a per-conversation slot (handoff-slot.ts);
 * the unique indexes are a second line on a real server.
 * @example
 * const connection = await connectMongo(process.env.MONGODB_URI!);
 * const data = await createMongoData(connection, { ownsConnection: true, sessionTtlSeconds: 30 * 86400 });
 * const engine = createEngine({ classifier, dialogs, data });
 */
import type { Connection, mongo } from 'mongoose';
import { createRowReader, type DataOptions, type Repositories } from '../../core/data';
import { KefuError } from '../../core/errors';
import { createMongoAudit } from './audit';
import { createMongoContext, toStoreError } from './context';
import { createMongoCounters } from './counters';
import { type Collections, DEFAULT_COLLECTION_PREFIX, openCollections } from './documents';
import { createMongoHandoffs } from './handoffs';
import { createMongoInbox } from './inbox';
import { createIndexes } from './indexes';
import { createMongoMessages } from './messages';
import { createMongoMeta } from './meta';
import { createMongoSessions } from './sessions';
import { createMongoTickets } from './tickets';

export { connectMongo, type MongoConnectOptions, redactUri } from './connect';
export { damageMongoRecord, dropMongoData, type MongoTable } from './test-hooks';

export interface MongoDataOptions extends DataOptions {
  /** When true, `close()` also closes the connection. Default false: the connection stays the caller's. */
  ownsConnection?: boolean;
  /** Put before every collection name, so several stores (or test runs) share a database. Default `kefu_`. */
  collectionPrefix?: string;
}

export interface MongoData extends Repositories {
  readonly kind: 'mongodb';
}

export { DEFAULT_COLLECTION_PREFIX };
const PREFIX = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** Opens the repositories on `connection` (waiting for it to connect) and creates their indexes; KEFU_ERR_STORE_UNAVAILABLE when the server does not answer. */
export async function createMongoData(connection: Connection, opts: MongoDataOptions = {}): Promise<MongoData> {
  const prefix = checkPrefix(opts.collectionPrefix ?? DEFAULT_COLLECTION_PREFIX);
  const where = `MongoDB store (collections "${prefix}*")`;
  let collections: Collections;
  try {
    collections = openCollections(await databaseOf(connection), prefix);
    await createIndexes(collections);
  } catch (err) {
    if (opts.ownsConnection) await connection.close().catch(() => undefined);
    throw toStoreError(err, 'open its collections and create their indexes', where);
  }
  let closed = false;
  const ctx = createMongoContext({ collections, rows: createRowReader(opts), now: opts.now ?? Date.now, where, isClosed: () => closed });
  const sm = createMongoSessions(ctx, opts.sessionTtlSeconds ?? 0);
  return {
    kind: 'mongodb',
    sessions: sm.sessions,
    commit: sm.commit,
    messages: createMongoMessages(ctx),
    handoffs: createMongoHandoffs(ctx),
    tickets: createMongoTickets(ctx),
    counters: createMongoCounters(ctx),
    audit: createMongoAudit(ctx),
    inbox: createMongoInbox(ctx),
    meta: createMongoMeta(ctx),
    async close() {
      if (closed) return;
      closed = true;
      if (opts.ownsConnection) await connection.close();
    },
  };
}

function checkPrefix(prefix: string): string {
  if (!PREFIX.test(prefix) || prefix.startsWith('system.')) {
    throw new KefuError('KEFU_ERR_STORE_OPTIONS_INVALID', `collectionPrefix must match ${PREFIX} and not start with "system." (got "${prefix}").`);
  }
  return prefix;
}

/** The connection's database, once it is connected. */
async function databaseOf(connection: Connection): Promise<mongo.Db> {
  if (connection.readyState !== 1) await connection.asPromise();
  if (!connection.db) throw new Error('the connection has no database (is it closed?)');
  return connection.db;
}
