/**
 * The append-only audit log: every entry is written once under its seq (`data.audit.insert`), so
 * two writers (two processes on one database) can never take the same seq: the loser reads the
 * winner's entry, chains onto its hash and tries the next seq. The meta value `audit-head`
 * remembers the last entry, so appends start there and verification notices a cut-off tail.
 */
import type { Repositories } from '../../core/data';
import { KefuError } from '../../core/errors';
import { withStoreRetry } from '../../core/session-io';
import { GENESIS_HASH, hashEntry } from './canonical';
import { AUDIT_HEAD_META, type AuditDetail, type AuditEntry, type AuditHead, type AuditInput, type AuditVerification, auditEntrySchema } from './types';
import { verifyAuditLog } from './verify';

const MAX_ATTEMPTS = 1000;
const MAX_FIELD = 256;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

export interface AuditLogOptions {
  data: Repositories;
  now?: () => number;
}

export interface AuditLog {
  /** Appends one entry after the current last one; resolves to the entry as stored. */
  append(input: AuditInput): Promise<AuditEntry>;
  /** Newest first: entries before seq `before` (default: from the last one), at most `limit` (50, max 500). */
  page(opts?: { before?: number; limit?: number }): Promise<{ entries: AuditEntry[]; head?: AuditHead }>;
  /** The last entry's seq and hash (undefined while the log is empty). */
  head(): Promise<AuditHead | undefined>;
  /** Walks the whole chain; see {@link verifyAuditLog}. */
  verify(): Promise<AuditVerification>;
}

/**
 * @example
 * const audit = createAuditLog({ data: engine.data });
 * await audit.append({ actor: 'anna', action: 'claim', target: 'telegram:42' });
 * const v = await audit.verify(); // { ok: true, entries: 1, head: { seq: 1, hash: '…' } }
 */
export function createAuditLog(opts: AuditLogOptions): AuditLog {
  const { data } = opts;
  const now = opts.now ?? Date.now;
  let known: AuditHead | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  const readEntry = async (seq: number) => {
    const row = await withStoreRetry('read the audit log', () => data.audit.get(seq));
    return row && 'value' in row ? row.value : row ? {} : undefined;
  };
  const readHead = () => withStoreRetry('read the audit head', () => data.meta.get<AuditHead>(AUDIT_HEAD_META));

  /** The stored hash of an entry, to chain onto it even when it was tampered with (verify reports that). */
  function storedHash(value: unknown): string {
    const parsed = auditEntrySchema.safeParse(value);
    if (parsed.success && /^[0-9a-f]{64}$/.test(parsed.data.hash)) return parsed.data.hash;
    return hashEntry(value as AuditEntry);
  }

  async function findHead(): Promise<AuditHead> {
    const meta = (await readHead())?.value;
    let head: AuditHead = meta && Number.isInteger(meta.seq) && meta.seq > 0 ? meta : { seq: 0, hash: GENESIS_HASH };
    // The head record may lag behind (a writer stopped between its entry and the head): walk forward.
    for (;;) {
      const next = await readEntry(head.seq + 1);
      if (next === undefined) return head;
      head = { seq: head.seq + 1, hash: storedHash(next) };
    }
  }

  async function advanceHead(head: AuditHead): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await readHead();
      if (current && current.value.seq >= head.seq) return;
      if ((await withStoreRetry('save the audit head', () => data.meta.put(AUDIT_HEAD_META, head, current?.version ?? 0))) === 'ok') return;
    }
  }

  async function appendNow(input: AuditInput): Promise<AuditEntry> {
    let head = known ?? (await findHead());
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const body = {
        seq: head.seq + 1,
        at: now(),
        actor: clip(input.actor),
        action: input.action,
        target: clip(input.target),
        detail: cleanDetail(input.detail),
        prevHash: head.hash,
      };
      const entry: AuditEntry = { ...body, hash: hashEntry(body) };
      const written = await withStoreRetry('append to the audit log', () => data.audit.insert(entry.seq, entry));
      if (written === 'ok') {
        known = { seq: entry.seq, hash: entry.hash };
        await advanceHead(known);
        return entry;
      }
      const winner = await readEntry(entry.seq); // another writer took this seq: follow its entry
      head = winner === undefined ? head : { seq: entry.seq, hash: storedHash(winner) };
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', `The audit log kept moving under ${MAX_ATTEMPTS} append attempts; retry the action.`);
  }

  return {
    append(input) {
      const result = tail.then(() => appendNow(input));
      tail = result.catch(() => {
        known = undefined; // re-read the head next time
      });
      return result;
    },
    async page(pageOpts = {}) {
      const head = await findHead();
      const limit = Math.min(Math.max(1, Math.floor(pageOpts.limit ?? DEFAULT_PAGE)), MAX_PAGE);
      const before = Math.min(head.seq + 1, pageOpts.before ?? head.seq + 1);
      const rows = await withStoreRetry('read the audit log', () => data.audit.before(before, limit));
      const entries = rows.flatMap((r) => {
        const parsed = auditEntrySchema.safeParse('value' in r ? r.value : undefined);
        return parsed.success ? [parsed.data as AuditEntry] : [];
      });
      return head.seq ? { entries, head } : { entries };
    },
    async head() {
      const head = await findHead();
      return head.seq ? head : undefined;
    },
    verify: () => verifyAuditLog(data),
  };
}

function clip(s: string): string {
  return String(s).slice(0, MAX_FIELD);
}

function cleanDetail(detail: AuditDetail | undefined): AuditDetail {
  const out: AuditDetail = {};
  for (const [k, v] of Object.entries(detail ?? {})) {
    if (v === undefined) continue;
    // Stored as JSON: a NaN or Infinity would come back as null and no longer hash the same.
    out[clip(k)] = typeof v === 'string' ? clip(v) : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  }
  return out;
}
