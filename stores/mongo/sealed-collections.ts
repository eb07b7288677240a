/**
 * The MongoDB collections whose `body` the codec seals, as `SealedTable`s for key rotation
 * (stores/encrypted/rotate.ts): a keyset scan in key order, and a replace that only happens while
 * the body is still the one read. A conversation's `pending` messages (a commit still being copied
 * into the messages collection) are left alone: they are copied within moments, and rotated then.
 */
import type { Connection, mongo } from 'mongoose';
import { messageRecordId, recordAad } from '../../core/data';
import { type Collections, DEFAULT_COLLECTION_PREFIX, openCollections } from './documents';

interface SealedRow {
  cursor: string;
  aad: string;
  body: string;
}

export interface MongoSealedCollection {
  readonly name: string;
  scan(after: string | undefined, limit: number): Promise<SealedRow[]>;
  replace(row: SealedRow, body: string): Promise<boolean>;
}

type Filter = Record<string, unknown>;

interface Spec {
  name: string;
  collection: keyof Collections;
  /** Key fields, in scan order. */
  keys: readonly string[];
  id(values: readonly unknown[]): string;
}

const SPECS: readonly Spec[] = [
  { name: 'sessions', collection: 'conversations', keys: ['key'], id: ([key]) => String(key) },
  { name: 'messages', collection: 'messages', keys: ['key', 'seq'], id: ([key, seq]) => messageRecordId(String(key), Number(seq)) },
  { name: 'handoffs', collection: 'handoffs', keys: ['id'], id: ([id]) => String(id) },
  { name: 'tickets', collection: 'tickets', keys: ['id'], id: ([id]) => String(id) },
  { name: 'inbox', collection: 'inbox', keys: ['id'], id: ([id]) => String(id) },
  { name: 'audit', collection: 'audit', keys: ['seq'], id: ([seq]) => String(seq) },
  { name: 'meta', collection: 'meta', keys: ['name'], id: ([name]) => String(name) },
];

/** Documents after `values` in the order of `keys` (a keyset condition). */
function after(keys: readonly string[], values: readonly unknown[]): Filter {
  const [first, ...rest] = keys;
  if (!first) return {};
  if (!rest.length) return { [first]: { $gt: values[0] } };
  return { $or: [{ [first]: { $gt: values[0] } }, { [first]: values[0], ...after(rest, values.slice(1)) }] };
}

function sealedCollection(c: Collections, spec: Spec): MongoSealedCollection {
  // biome-ignore lint/suspicious/noExplicitAny: one scan for collections of different document types; only `body` and the key fields are read.
  const col = c[spec.collection] as unknown as mongo.Collection<any>;
  const where = (values: readonly unknown[]) => Object.fromEntries(spec.keys.map((k, i) => [k, values[i]]));
  return {
    name: spec.name,
    async scan(cursor, limit) {
      const filter = { ...(cursor === undefined ? {} : after(spec.keys, JSON.parse(cursor) as unknown[])), body: { $type: 'string' } };
      const sort = Object.fromEntries(spec.keys.map((k) => [k, 1 as const]));
      const docs = await col.find(filter, { sort, limit, projection: { body: 1, ...Object.fromEntries(spec.keys.map((k) => [k, 1])) } }).toArray();
      return docs.map((d) => {
        const values = spec.keys.map((k) => d[k]);
        return { cursor: JSON.stringify(values), aad: recordAad(spec.name, spec.id(values)), body: String(d.body) };
      });
    },
    async replace(row, body) {
      const res = await col.updateOne({ ...where(JSON.parse(row.cursor) as unknown[]), body: row.body }, { $set: { body } });
      return res.modifiedCount === 1;
    },
  };
}

/** Every collection with sealed bodies, under `prefix` (default `kefu_`). */
export async function mongoSealedCollections(connection: Connection, prefix = DEFAULT_COLLECTION_PREFIX): Promise<MongoSealedCollection[]> {
  if (connection.readyState !== 1) await connection.asPromise();
  if (!connection.db) throw new Error('the MongoDB connection has no database (is it closed?)');
  const c = openCollections(connection.db, prefix);
  return SPECS.map((spec) => sealedCollection(c, spec));
}
