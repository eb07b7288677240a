/**
 * Keyset paging on MongoDB: the list orders of core/data/orders.ts as sort specs over plain fields,
 * a cursor as an `$or` filter that resumes after the last item, and reads that skip corrupt rows
 * (reported by the decoder) while still filling the page.
 */
import type { mongo } from 'mongoose';
import { type CursorPart, decodeCursor, type ListOrder, type Page, type PageRequest, pageLimit, toPage } from '../../core/data';

/** A list order and the document field that holds each part of its key. */
export interface DocOrder<T> {
  order: ListOrder<T>;
  fields: readonly string[];
}

/** The MongoDB sort spec of an order. */
export function sortOf<T>(o: DocOrder<T>): Record<string, 1 | -1> {
  return Object.fromEntries(o.fields.map((f, i) => [f, o.order.dirs[i] ?? 1]));
}

/** Documents strictly after the key `cursor` in the order: (a > x) or (a = x and b > y) or … */
export function afterKey<T>(o: DocOrder<T>, cursor: readonly CursorPart[]): Record<string, unknown> {
  const branches = o.fields.map((field, i) => {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[o.fields[j] as string] = cursor[j];
    branch[field] = { [(o.order.dirs[i] ?? 1) === 1 ? '$gt' : '$lt']: cursor[i] };
    return branch;
  });
  return { $or: branches };
}

/**
 * The first `want` readable documents matching `filter` in `sort` order, decoded; unreadable ones
 * are left out (the decoder reports them) and the read goes on past them.
 */
export async function readFirst<D extends mongo.Document, T>(
  collection: mongo.Collection<D>,
  filter: Record<string, unknown>,
  sort: Record<string, 1 | -1>,
  want: number,
  decode: (doc: D) => T | undefined,
): Promise<T[]> {
  const out: T[] = [];
  if (want < 1) return out;
  const cursor = collection.find(filter as mongo.Filter<D>, { sort, batchSize: Math.min(want + 1, 1000) });
  try {
    for await (const doc of cursor) {
      const value = decode(doc as D);
      if (value !== undefined) out.push(value);
      if (out.length >= want) break;
    }
  } finally {
    await cursor.close();
  }
  return out;
}

/** One page of a list: `filter` in the order, after `req.after`, at most `req.limit` readable items. */
export async function readPage<D extends mongo.Document, T>(
  collection: mongo.Collection<D>,
  filter: Record<string, unknown>,
  o: DocOrder<T>,
  req: PageRequest,
  decode: (doc: D) => T | undefined,
): Promise<Page<T>> {
  const limit = pageLimit(req);
  const cursor = req.after === undefined ? undefined : decodeCursor(req.after, o.order.shape);
  const where = cursor ? { $and: [filter, afterKey(o, cursor)] } : filter;
  const items = await readFirst(collection, where, sortOf(o), limit + 1, decode);
  return toPage(items, limit, o.order.key);
}
