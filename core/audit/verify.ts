/**
 * `verifyAuditLog(store)`: walks the chain from entry 1 and names the first broken link: a missing
 * seq (deleted), an entry stored under another seq (moved or reordered), a prevHash that is not the
 * previous entry's hash (replaced or reordered), a hash that does not match the entry (edited), or a
 * log that ends before the head record says it does (cut off).
 */
import { isKefuError } from '../errors';
import { withStoreRetry } from '../session-io';
import type { SessionStore } from '../store';
import { GENESIS_HASH, hashEntry } from './canonical';
import { AUDIT_HEAD_KEY, AUDIT_PREFIX, type AuditEntry, type AuditHead, type AuditProblem, type AuditVerification, auditEntrySchema, auditKey, SEQ_DIGITS } from './types';

const LIST_ALL = 10_000_000;

type Row = { key: string; value: unknown } | { key: string; unreadable: string };

export async function verifyAuditLog(store: SessionStore<unknown>): Promise<AuditVerification> {
  const meta = await readHead(store);
  const rows = await loadRows(store, meta);
  let expected = 1;
  let prev = GENESIS_HASH;
  const broken = (seq: number, problem: AuditProblem, message: string): AuditVerification => ({ ok: false, entries: expected - 1, seq, problem, message });
  for (const row of rows) {
    const suffix = row.key.slice(AUDIT_PREFIX.length);
    const keySeq = suffix.length === SEQ_DIGITS && /^\d+$/.test(suffix) ? Number(suffix) : Number.NaN;
    if (Number.isNaN(keySeq)) return broken(expected, 'unreadable', `A record "${row.key}" sits among the audit entries; it is not an entry key.`);
    if (keySeq !== expected) {
      const span = keySeq === expected + 1 ? `Entry ${expected} is missing` : `Entries ${expected} to ${keySeq - 1} are missing`;
      return broken(expected, 'missing', `${span}: deleted after it was written.`);
    }
    if ('unreadable' in row) return broken(keySeq, 'unreadable', `Entry ${keySeq} cannot be read (${row.unreadable}).`);
    const parsed = auditEntrySchema.safeParse(row.value);
    if (!parsed.success)
      return broken(keySeq, 'unreadable', `Entry ${keySeq} is not an audit entry (${parsed.error.issues[0]?.path.join('.') || 'value'}: ${parsed.error.issues[0]?.message}).`);
    const entry = parsed.data as AuditEntry;
    if (entry.seq !== keySeq) return broken(keySeq, 'moved', `The entry stored as ${keySeq} says it is entry ${entry.seq}: entries were moved or reordered.`);
    if (entry.prevHash !== prev) {
      return broken(
        keySeq,
        'link',
        `Entry ${keySeq} does not follow entry ${keySeq - 1} (its prevHash is not that entry's hash): one of them was replaced, or entries were reordered.`,
      );
    }
    if (hashEntry(entry) !== entry.hash) return broken(keySeq, 'edited', `Entry ${keySeq} was changed after it was written (its hash no longer matches its content).`);
    prev = entry.hash;
    expected += 1;
  }
  const count = expected - 1;
  if (meta && meta.seq > count)
    return broken(count + 1, 'truncated', `The log ends at entry ${count} but its head record says it reaches entry ${meta.seq}: the last entries were deleted.`);
  if (meta && meta.seq >= 1 && meta.seq <= count) {
    const at = rows[meta.seq - 1] as { value: AuditEntry };
    if (at.value.hash !== meta.hash)
      return broken(meta.seq, 'link', `The head record remembers another hash for entry ${meta.seq}: the entries from ${meta.seq} on were rewritten.`);
  }
  return count ? { ok: true, entries: count, head: { seq: count, hash: prev } } : { ok: true, entries: 0 };
}

async function readHead(store: SessionStore<unknown>): Promise<AuditHead | undefined> {
  try {
    const value = (await withStoreRetry('read the audit head', () => store.read(AUDIT_HEAD_KEY)))?.value as AuditHead | undefined;
    return value && Number.isInteger(value.seq) && typeof value.hash === 'string' ? value : undefined;
  } catch (err) {
    if (isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED')) return undefined;
    throw err;
  }
}

/** Every entry in key order. An encrypted store refuses a whole list when one value does not decrypt: then read one by one. */
async function loadRows(store: SessionStore<unknown>, meta: AuditHead | undefined): Promise<Row[]> {
  try {
    const rows = await withStoreRetry('list the audit log', () => store.list(AUDIT_PREFIX, LIST_ALL));
    return rows.map((r) => ({ key: r.key, value: r.value })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } catch (err) {
    if (!isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED')) throw err;
  }
  const rows: Row[] = [];
  for (let seq = 1; ; seq++) {
    const key = auditKey(seq);
    try {
      const found = await store.read(key);
      if (!found) {
        if (seq <= (meta?.seq ?? 0)) continue; // a gap: the walk above names it
        return rows;
      }
      rows.push({ key, value: found.value });
    } catch (err) {
      if (!isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED')) throw err;
      rows.push({ key, unreadable: 'it does not decrypt: wrong key, or the stored bytes were altered' });
    }
  }
}
