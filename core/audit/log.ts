/**
 * The append-only audit log: every entry is written once under `audit:<seq>` with expectedVersion 0,
 * so two writers (two processes on one database) can never take the same seq: the loser reads the
 * winner's entry, chains onto its hash and tries the next seq. `audit-meta:head` remembers the last
 * entry, so appends start there and verification notices a cut-off tail.
 */
import { KefuError } from '../errors';
import { withStoreRetry } from '../session-io';
import type { SessionStore } from '../store';
import { GENESIS_HASH, hashEntry } from './canonical';
import { AUDIT_HEAD_KEY, type AuditDetail, type AuditEntry, type AuditHead, type AuditInput, type AuditVerification, auditEntrySchema, auditKey } from './types';
import { verifyAuditLog } from './verify';

const MAX_ATTEMPTS = 1000;
const MAX_FIELD = 256;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

export interface AuditLogOptions {
  store: SessionStore<unknown>;
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
 * const audit = createAuditLog({ store: engine.store as SessionStore<unknown> });
 * await audit.append({ actor: 'anna', action: 'claim', target: 'telegram:42' });
 * const v = await audit.verify(); // { ok: true, entries: 1, head: { seq: 1, hash: '…' } }
 */
export function createAuditLog(opts: AuditLogOptions): AuditLog {
  const { store } = opts;
  const now = opts.now ?? Date.now;
  let known: AuditHead | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  const read = (key: string) => withStoreRetry('read the audit log', () => store.read(key));

  /** The stored hash of an entry, to chain onto it even when it was tampered with (verify reports that). */
  function storedHash(value: unknown): string {
    const parsed = auditEntrySchema.safeParse(value);
    if (parsed.success && /^[0-9a-f]{64}$/.test(parsed.data.hash)) return parsed.data.hash;
    return hashEntry(value as AuditEntry);
  }

  async function findHead(): Promise<AuditHead> {
    const meta = (await read(AUDIT_HEAD_KEY))?.value as AuditHead | undefined;
    let head: AuditHead = meta && Number.isInteger(meta.seq) && meta.seq > 0 ? meta : { seq: 0, hash: GENESIS_HASH };
    // The head record may lag behind (a writer stopped between its entry and the head): walk forward.
    for (;;) {
      const next = await read(auditKey(head.seq + 1));
      if (!next) return head;
      head = { seq: head.seq + 1, hash: storedHash(next.value) };
    }
  }

  async function advanceHead(head: AuditHead): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await read(AUDIT_HEAD_KEY);
      const value = current?.value as AuditHead | undefined;
      if (value && value.seq >= head.seq) return;
      if ((await withStoreRetry('save the audit head', () => store.write(AUDIT_HEAD_KEY, head, current?.version ?? 0))) === 'ok') return;
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
      const written = await withStoreRetry('append to the audit log', () => store.write(auditKey(entry.seq), entry, 0));
      if (written === 'ok') {
        known = { seq: entry.seq, hash: entry.hash };
        await advanceHead(known);
        return entry;
      }
      const winner = await read(auditKey(entry.seq)); // another writer took this seq: follow its entry
      head = winner ? { seq: entry.seq, hash: storedHash(winner.value) } : head;
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
      const top = Math.min(head.seq, (pageOpts.before ?? head.seq + 1) - 1);
      const seqs = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => top - i);
      const rows = await Promise.all(seqs.map((s) => read(auditKey(s))));
      const entries = rows.flatMap((r) => {
        const parsed = auditEntrySchema.safeParse(r?.value);
        return parsed.success ? [parsed.data as AuditEntry] : [];
      });
      return head.seq ? { entries, head } : { entries };
    },
    async head() {
      const head = await findHead();
      return head.seq ? head : undefined;
    },
    verify: () => verifyAuditLog(store),
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
