/** The sealed tables (SQLite) or collections (MongoDB) of the configured store, for `kefu keys`. */
import type { Config, Repositories } from '../core';
import type { SealedTable } from '../stores/encrypted/rotate';
import type { SqliteData } from '../stores/sqlite';
import { sqliteSealedTables } from '../stores/sqlite/sealed-tables';

export interface SealedStore {
  tables: SealedTable[];
  close(): Promise<void>;
}

/** `data` is the store opened by buildData (it ran the migrations and the key check). */
export async function openSealedStore(config: Readonly<Config>, data: Repositories): Promise<SealedStore> {
  if (data.kind === 'sqlite') return { tables: sqliteSealedTables((data as SqliteData).db), close: async () => undefined };
  if (!config.MONGODB_URI) throw new Error(`kefu keys works on SQLite and MongoDB stores, not on "${data.kind}"`);
  // Loaded here only (mongoose costs start-up time where MongoDB is not used; see build-data.ts).
  const { connectMongo }: typeof import('../stores/mongo') = require('../stores/mongo');
  const { mongoSealedCollections }: typeof import('../stores/mongo/sealed-collections') = require('../stores/mongo/sealed-collections');
  const connection = await connectMongo(config.MONGODB_URI);
  return { tables: await mongoSealedCollections(connection), close: () => connection.close() };
}
