/**
 * Deleting by age on MongoDB (retention), a page at a time: the ids of at most `limit` matching
 * documents are read through the index the filter names, then deleted by id. Deleting again what
 * another instance just deleted deletes nothing, so concurrent sweeps are safe.
 */
import type { mongo } from 'mongoose';

/** Deletes at most `limit` documents matching `filter`; resolves to how many. */
export async function deleteSome<D extends mongo.Document>(collection: mongo.Collection<D>, filter: Record<string, unknown>, limit: number): Promise<number> {
  const ids = await idsOf(collection, filter, limit);
  if (ids.length === 0) return 0;
  return (await collection.deleteMany({ _id: { $in: ids } } as mongo.Filter<D>)).deletedCount;
}

/** The `_id`s of at most `limit` documents matching `filter`. */
export async function idsOf<D extends mongo.Document>(collection: mongo.Collection<D>, filter: Record<string, unknown>, limit: number): Promise<unknown[]> {
  if (limit < 1) return [];
  const docs = await collection.find(filter as mongo.Filter<D>, { projection: { _id: 1 }, limit }).toArray();
  return docs.map((d) => d._id);
}
