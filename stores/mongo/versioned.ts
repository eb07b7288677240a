/**
 * The writes and reads every versioned record shares (handoffs, tickets, inbox entries, meta
 * values): create-if-absent through an upsert that only inserts, compare-and-set through an update
 * filtered on the version, and a read that decodes the body (a single read of a corrupt row throws;
 * lists report and skip it).
 */
import type { mongo } from 'mongoose';
import type { Versioned } from '../../core/data';
import type { MongoContext } from './context';
import { isDuplicateKey } from './context';

interface VersionedDoc extends mongo.Document {
  body: string;
  version: number;
}

/** Inserts the record at version 1 unless a document matches `where` (its id); true when inserted. */
export function insertIfAbsent<D extends VersionedDoc>(collection: mongo.Collection<D>, where: Record<string, unknown>, fields: Omit<D, 'version'>): Promise<boolean> {
  return insertOnce(collection, where, { ...fields, version: 1 });
}

/** Inserts `fields` unless a document matches `where`, with an upsert that only inserts; true when inserted. */
export async function insertOnce<D extends mongo.Document>(collection: mongo.Collection<D>, where: Record<string, unknown>, fields: object): Promise<boolean> {
  const onInsert = withoutKeys(fields, Object.keys(where));
  try {
    const res = await collection.updateOne(where as mongo.Filter<D>, { $setOnInsert: onInsert } as mongo.UpdateFilter<D>, { upsert: true });
    return res.upsertedCount === 1;
  } catch (err) {
    // A real server's unique index refused the second of two racing inserts.
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Saves the fields and raises the version when the stored version is `expected`. */
export async function compareAndSet<D extends VersionedDoc>(
  collection: mongo.Collection<D>,
  where: Record<string, unknown>,
  fields: Omit<D, 'version'>,
  expected: number,
): Promise<'ok' | 'conflict'> {
  const update: mongo.UpdateFilter<mongo.Document> = { $set: withoutKeys(fields, Object.keys(where)), $inc: { version: 1 } };
  const res = await collection.updateOne({ ...where, version: expected } as mongo.Filter<D>, update as mongo.UpdateFilter<D>);
  return res.matchedCount === 1 ? 'ok' : 'conflict';
}

/** Inbox and meta `put`: expected version 0 creates, any other compares and sets. */
export async function putVersioned<D extends VersionedDoc>(collection: mongo.Collection<D>, where: Record<string, unknown>, fields: Omit<D, 'version'>, expected: number) {
  if (expected === 0) return (await insertIfAbsent(collection, where, fields)) ? 'ok' : 'conflict';
  return compareAndSet(collection, where, fields, expected);
}

/** The record `id` of `table` with its version; KEFU_ERR_STORE_VALUE_INVALID / _DECRYPT_FAILED when it cannot be read. */
export async function readVersioned<D extends VersionedDoc, T>(ctx: MongoContext, collection: mongo.Collection<D>, table: string, id: string, where: Record<string, unknown>) {
  const doc = await collection.findOne(where as mongo.Filter<D>, { projection: { body: 1, version: 1 } });
  if (!doc) return undefined;
  const found: Versioned<T> = { value: ctx.rows.decode<T>(table, id, doc.body as string), version: doc.version as number };
  return found;
}

/** A decoder for lists: the record, or undefined after reporting the row as corrupt. */
export function listDecoder<T>(ctx: MongoContext, table: string) {
  return (doc: { id: string; body: string }) => ctx.rows.tryDecode<T>(table, doc.id, doc.body);
}

/** A decoder for lookups that return the record with its version (skipping corrupt rows). */
export function versionedDecoder<T>(ctx: MongoContext, table: string) {
  return (doc: { id: string; body: string; version: number }): Versioned<T> | undefined => {
    const value = ctx.rows.tryDecode<T>(table, doc.id, doc.body);
    return value === undefined ? undefined : { value, version: doc.version };
  };
}

function withoutKeys<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k))) as Partial<T>;
}
