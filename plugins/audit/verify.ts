/**
 * `verifyAuditLog(data)`: walks the chain from entry 1, a page at a time, and names the first broken
 * link: a missing seq (deleted), an entry stored under another seq (moved or reordered), a prevHash
 * that is not the previous entry's hash (replaced or reordered), a hash that does not match the
 * entry (edited), an entry that cannot be read, or a log that ends before the head record says it
 * does (cut off).
 */
import type { AuditRow, Repositories } from '../../core/data';
import { isKefuError } from '../../core/errors';
import { withStoreRetry } from '../../core/session-io';
import { GENESIS_HASH, hashEntry } from './canonical';
import { AUDIT_HEAD_META, type AuditEntry, type AuditHead, type AuditProblem, type AuditVerification, auditEntrySchema } from './types';

const PAGE = 1000;

export async function verifyAuditLog(data: Repositories): Promise<AuditVerification> {
  const meta = await readHead(data);
  let expected = 1;
  let prev = GENESIS_HASH;
  let headHash: string | undefined;
  const broken = (seq: number, problem: AuditProblem, message: string): AuditVerification => ({ ok: false, entries: expected - 1, seq, problem, message });
  for (let rows = await scan(data, 0); rows.length; rows = await scan(data, expected - 1)) {
    for (const row of rows) {
      const problem = check(row, expected, prev);
      if (problem) return broken(problem.seq, problem.problem, problem.message);
      prev = (row as { value: AuditEntry }).value.hash;
      if (meta?.seq === expected) headHash = prev;
      expected += 1;
    }
  }
  const count = expected - 1;
  if (meta && meta.seq > count)
    return broken(count + 1, 'truncated', `The log ends at entry ${count} but its head record says it reaches entry ${meta.seq}: the last entries were deleted.`);
  if (meta && meta.seq >= 1 && headHash !== undefined && headHash !== meta.hash)
    return broken(meta.seq, 'link', `The head record remembers another hash for entry ${meta.seq}: the entries from ${meta.seq} on were rewritten.`);
  return count ? { ok: true, entries: count, head: { seq: count, hash: prev } } : { ok: true, entries: 0 };
}

/** What is wrong with the row expected to be entry `expected` after hash `prev`, if anything. */
function check(row: AuditRow, expected: number, prev: string): { seq: number; problem: AuditProblem; message: string } | undefined {
  if (row.seq !== expected) {
    const span = row.seq === expected + 1 ? `Entry ${expected} is missing` : `Entries ${expected} to ${row.seq - 1} are missing`;
    return { seq: expected, problem: 'missing', message: `${span}: deleted after it was written.` };
  }
  if ('unreadable' in row) return { seq: row.seq, problem: 'unreadable', message: `Entry ${row.seq} cannot be read (${row.unreadable}).` };
  const parsed = auditEntrySchema.safeParse(row.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { seq: row.seq, problem: 'unreadable', message: `Entry ${row.seq} is not an audit entry (${issue?.path.join('.') || 'value'}: ${issue?.message}).` };
  }
  const entry = parsed.data as AuditEntry;
  if (entry.seq !== row.seq) return { seq: row.seq, problem: 'moved', message: `The entry stored as ${row.seq} says it is entry ${entry.seq}: entries were moved or reordered.` };
  if (entry.prevHash !== prev) {
    return {
      seq: row.seq,
      problem: 'link',
      message: `Entry ${row.seq} does not follow entry ${row.seq - 1} (its prevHash is not that entry's hash): one of them was replaced, or entries were reordered.`,
    };
  }
  if (hashEntry(entry) !== entry.hash)
    return { seq: row.seq, problem: 'edited', message: `Entry ${row.seq} was changed after it was written (its hash no longer matches its content).` };
  return undefined;
}

function scan(data: Repositories, after: number): Promise<AuditRow[]> {
  return withStoreRetry('read the audit log', () => data.audit.scan(after, PAGE));
}

async function readHead(data: Repositories): Promise<AuditHead | undefined> {
  try {
    const value = (await withStoreRetry('read the audit head', () => data.meta.get<AuditHead>(AUDIT_HEAD_META)))?.value;
    return value && Number.isInteger(value.seq) && typeof value.hash === 'string' ? value : undefined;
  } catch (err) {
    if (isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED')) return undefined;
    throw err;
  }
}
