/** Small named values (compare-and-set, like the inbox) and sequences (`$inc` on an upserted document) on MongoDB. */
import type { MetaRepo } from '../../core/data';
import { isDuplicateKey, type MongoContext } from './context';
import type { MetaDoc } from './documents';
import { putVersioned, readVersioned } from './versioned';

export function createMongoMeta(ctx: MongoContext): MetaRepo {
  return {
    get: <T>(name: string) => ctx.run('read a meta value', () => readVersioned<MetaDoc, T>(ctx, ctx.c.meta, 'meta', name, { name })),
    put: (name, value, expectedVersion) =>
      ctx.run('save a meta value', () => putVersioned(ctx.c.meta, { name }, { name, body: ctx.rows.encode('meta', name, value) }, expectedVersion)),
    nextSeq: (name, count = 1) =>
      ctx.run('take sequence numbers', async () => {
        try {
          return await increment(ctx, name, count);
        } catch (err) {
          // The first two callers of a new sequence raced and the unique index refused one: it exists now.
          if (!isDuplicateKey(err)) throw err;
          return increment(ctx, name, count);
        }
      }),
  };
}

async function increment(ctx: MongoContext, name: string, count: number): Promise<number> {
  const doc = await ctx.c.sequences.findOneAndUpdate({ name }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after' });
  if (!doc) throw new Error(`the sequence "${name}" was not returned after its update`);
  return doc.seq;
}
