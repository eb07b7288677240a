/**
 * Test hooks that know the MongoDB layout: overwrite one stored record's body as a damaged disk
 * would, and drop a store's collections. For the conformance suites and maintenance scripts; the
 * repositories never call them.
 */
import type { Connection, mongo } from 'mongoose';
import { COLLECTION_NAMES, type Collections, DEFAULT_COLLECTION_PREFIX, openCollections } from './documents';

export type MongoTable = 'sessions' | 'messages' | 'handoffs' | 'tickets' | 'inbox' | 'audit';

/** Overwrites the stored body of record `id` of `table`; false when there is no such record. */
export async function damageMongoRecord(connection: Connection, table: MongoTable, id: string, text: string, prefix = DEFAULT_COLLECTION_PREFIX): Promise<boolean> {
  const c = openCollections(databaseOf(connection), prefix);
  const res = await overwriteBody(c, table, id, { $set: { body: text } });
  return res.matchedCount === 1;
}

function overwriteBody(c: Collections, table: MongoTable, id: string, set: { $set: { body: string } }): Promise<mongo.UpdateResult> {
  switch (table) {
    case 'sessions':
      return c.conversations.updateOne({ key: id, version: { $gt: 0 } }, set);
    case 'messages': {
      const at = id.lastIndexOf('#');
      return c.messages.updateOne({ key: id.slice(0, at), seq: Number(id.slice(at + 1)) }, set);
    }
    case 'audit':
      return c.audit.updateOne({ seq: Number(id) }, set);
    case 'handoffs':
      return c.handoffs.updateOne({ id }, set);
    case 'tickets':
      return c.tickets.updateOne({ id }, set);
    case 'inbox':
      return c.inbox.updateOne({ id }, set);
  }
}

/** Drops every collection of the store with this prefix (absent ones are fine). */
export async function dropMongoData(connection: Connection, prefix = DEFAULT_COLLECTION_PREFIX): Promise<void> {
  const db = databaseOf(connection);
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of COLLECTION_NAMES) if (existing.has(`${prefix}${name}`)) await db.dropCollection(`${prefix}${name}`);
}

function databaseOf(connection: Connection): mongo.Db {
  if (!connection.db) throw new Error('the connection is not open');
  return connection.db;
}
