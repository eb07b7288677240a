/**
 * Counters on MongoDB: one document per scope, each counter a field of `values` added to with
 * `$inc` (atomic, also across processes). Counter names such as `intent:order.status` are escaped
 * into field names (no `.`, no leading `$`) and unescaped when read.
 */
import type { mongo } from 'mongoose';
import type { CounterDelta, CounterRepo } from '../../core/data';
import type { MongoContext } from './context';
import type { CounterDoc } from './documents';

/** Characters a field name cannot hold as they are (a path separator, an operator sign, NUL) and the escape itself. */
const ESCAPED = new Set(['%', '.', '$', String.fromCharCode(0)]);

/** `_` + the name with each ESCAPED character as `%xx`: never empty, never a path, never an operator. */
export function counterField(name: string): string {
  const escaped = [...name].map((c) => (ESCAPED.has(c) ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c));
  return `_${escaped.join('')}`;
}

export function counterName(field: string): string {
  return field.slice(1).replace(/%([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The upsert of one delta: `$inc` of its non-zero counters (a delta of zeros still creates the scope, as in memory). */
function deltaWrite(d: CounterDelta): mongo.AnyBulkWriteOperation<CounterDoc> {
  const inc = Object.fromEntries(
    Object.entries(d.values)
      .filter(([, n]) => n !== 0)
      .map(([name, n]) => [`values.${counterField(name)}`, n]),
  );
  const update = Object.keys(inc).length > 0 ? { $inc: inc } : { $setOnInsert: { values: {} } };
  return { updateOne: { filter: { scope: d.scope }, update: update as mongo.UpdateFilter<CounterDoc>, upsert: true } };
}

function valuesOf(doc: CounterDoc | null): Record<string, number> {
  return Object.fromEntries(Object.entries(doc?.values ?? {}).map(([field, n]) => [counterName(field), n]));
}

export function createMongoCounters(ctx: MongoContext): CounterRepo {
  const counters = ctx.c.counters;
  return {
    add: (deltas) =>
      ctx.run('add to counters', async () => {
        if (deltas.length > 0) await counters.bulkWrite(deltas.map(deltaWrite), { ordered: true });
      }),
    get: (scope) => ctx.run('read counters', async () => valuesOf(await counters.findOne({ scope }))),
    range: (from, to) =>
      ctx.run('read counters', async () => {
        const docs = await counters.find({ scope: { $gte: from, $lte: to } }, { sort: { scope: 1 } }).toArray();
        return docs.map((d) => ({ scope: d.scope, values: valuesOf(d) }));
      }),
  };
}
