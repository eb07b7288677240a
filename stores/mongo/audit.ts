/** The audit chain's rows on MongoDB: one document per seq, written once (an upsert that only inserts). */
import type { AuditRepo, AuditRow } from '../../core/data';
import type { MongoContext } from './context';
import type { AuditDoc } from './documents';
import { insertOnce } from './versioned';

export function createMongoAudit(ctx: MongoContext): AuditRepo {
  const audit = ctx.c.audit;

  /** The entry's JSON, or why it cannot be read (verification names it). */
  function toRow(doc: AuditDoc): AuditRow {
    try {
      return { seq: doc.seq, value: ctx.rows.decode('audit', String(doc.seq), doc.body) };
    } catch (err) {
      return { seq: doc.seq, unreadable: err instanceof Error ? err.message : String(err) };
    }
  }

  const read = async (filter: Record<string, unknown>, dir: 1 | -1, limit: number) => {
    if (limit < 1) return [];
    const docs = await audit.find(filter, { sort: { seq: dir }, limit }).toArray();
    return docs.map(toRow);
  };

  return {
    insert: (seq, entry) =>
      ctx.run('write an audit entry', async () => {
        const body = ctx.rows.encode('audit', String(seq), entry);
        return (await insertOnce(audit, { seq }, { seq, body })) ? 'ok' : 'conflict';
      }),
    get: (seq) => ctx.run('read an audit entry', async () => (await read({ seq }, 1, 1))[0]),
    last: () => ctx.run('read the last audit entry', async () => (await read({}, -1, 1))[0]),
    scan: (after, limit) => ctx.run('read audit entries', () => read({ seq: { $gt: after } }, 1, limit)),
    before: (before, limit) => ctx.run('read audit entries', () => read({ seq: { $lt: before } }, -1, limit)),
  };
}
