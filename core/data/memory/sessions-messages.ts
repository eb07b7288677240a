/** In-memory sessions and messages (with the outbox), the reference for what the other backends do. */
import type { SessionState } from '../../session';
import { decodeMessage, encodeMessages, type MessageRow } from '../message-rows';
import type { Audience, MessageRepo, StoredMessage } from '../messages';
import { FAILED_MESSAGE_ORDER } from '../orders';
import { type Page, pageLimit } from '../page';
import type { Commit, CommitResult } from '../repositories';
import type { RowReader } from '../rows';
import { customerIdOf, type SessionRepo } from '../sessions';
import { pageOf } from './paging';

interface SessionRow {
  text: string;
  version: number;
  updatedAt: number;
  expiresAt: number | null;
}

export interface MemorySessionsAndMessages {
  sessions: SessionRepo;
  messages: MessageRepo;
  commit(c: Commit): Promise<CommitResult>;
  /** Test hook: replaces a stored session's or message's text as if the disk had been damaged. */
  damage(table: 'sessions' | 'messages', id: string, text: string): boolean;
}

export function createMemorySessionsAndMessages(rows: RowReader, opts: { now: () => number; ttlSeconds: number; check: () => void }): MemorySessionsAndMessages {
  const sessions = new Map<string, SessionRow>();
  const lanes = new Map<string, MessageRow[]>();
  /** The seq of each conversation's newest message that retention deleted (the next one goes on after it). */
  const expiredSeqs = new Map<string, number>();
  const lastSeqOf = (key: string) => Math.max(lanes.get(key)?.at(-1)?.seq ?? 0, expiredSeqs.get(key) ?? 0);
  /** Conversation key → its customer and last commit: the customer links (kept past a session's expiry). */
  const links = new Map<string, { customer: string; at: number }>();
  const { now, check } = opts;

  const live = (key: string): SessionRow | undefined => {
    const row = sessions.get(key);
    if (row?.expiresAt != null && row.expiresAt < now()) return undefined;
    return row;
  };

  const toStored = (r: MessageRow) => decodeMessage(rows, r);

  const visible = (audience: Audience) => (r: MessageRow) => audience === 'staff' || r.from !== 'note';
  const decodeAll = (list: MessageRow[]) => list.flatMap((r) => toStored(r) ?? []);
  const pendingOf = (key: string) => (lanes.get(key) ?? []).filter((r) => r.state === 'pending');
  const find = (key: string, seq: number) => (lanes.get(key) ?? []).find((r) => r.seq === seq);

  /** Encodes the commit's messages as rows (seqs after the lane's last), without storing them yet. */
  const prepare = (c: Commit): MessageRow[] => encodeMessages(rows, c.key, c.ref, c.messages, lastSeqOf(c.key), now());

  const sessionRepo: SessionRepo = {
    async read(key) {
      check();
      const row = live(key);
      if (!row) return undefined;
      return { value: rows.decodeOrNull<SessionState>('sessions', key, row.text), version: row.version };
    },
    async delete(key) {
      check();
      sessions.delete(key);
      links.delete(key);
    },
    async conversationsOf(customer, req = {}) {
      check();
      const keys = [...links].filter(([, l]) => l.customer === customer).map(([key]) => key);
      return pageOf(keys, req, { key: (k) => [k], dirs: [1], shape: ['s'] });
    },
    async deleteLinksOlderThan(cutoff, limit) {
      check();
      let n = 0;
      for (const [key, link] of [...links]) {
        if (n >= limit) break;
        if (link.at >= cutoff) continue;
        links.delete(key);
        n += 1;
      }
      return n;
    },
    async sweep() {
      check();
      let n = 0;
      for (const [key, row] of sessions) {
        if (row.expiresAt != null && row.expiresAt < now()) {
          sessions.delete(key);
          n += 1;
        }
      }
      return n;
    },
  };

  const messageRepo: MessageRepo = {
    async after(key, seq, limit, audience = 'staff') {
      check();
      const n = pageLimit({ limit });
      return decodeAll((lanes.get(key) ?? []).filter((r) => r.seq > seq && visible(audience)(r)).slice(0, n));
    },
    async before(key, seq, limit, audience = 'staff') {
      check();
      const n = pageLimit({ limit });
      const list = (lanes.get(key) ?? []).filter((r) => (seq === undefined || r.seq < seq) && visible(audience)(r));
      return decodeAll(list.slice(Math.max(0, list.length - n)));
    },
    async lastSeq(key) {
      check();
      return lastSeqOf(key);
    },
    async pending(key, limit) {
      check();
      return decodeAll(pendingOf(key).slice(0, limit));
    },
    async dueLanes(at, limit) {
      check();
      const due: Array<{ key: string; when: number; seq: number }> = [];
      for (const [key] of lanes) {
        const head = pendingOf(key)[0];
        if (head && head.nextAttemptAt <= at) due.push({ key, when: head.nextAttemptAt, seq: head.seq });
      }
      return due
        .sort((a, b) => a.when - b.when || (a.key < b.key ? -1 : 1))
        .slice(0, limit)
        .map((d) => d.key);
    },
    async nextDueAt() {
      check();
      let next: number | undefined;
      for (const [key] of lanes) {
        const head = pendingOf(key)[0];
        if (head && (next === undefined || head.nextAttemptAt < next)) next = head.nextAttemptAt;
      }
      return next;
    },
    async markSent(key, seqs, at) {
      check();
      for (const seq of seqs) {
        const r = find(key, seq);
        if (r?.state === 'pending') Object.assign(r, { state: 'sent', doneAt: at });
      }
    },
    async markRetry(key, seq, retry) {
      check();
      const r = find(key, seq);
      if (r?.state !== 'pending') return;
      Object.assign(r, { attempts: retry.attempts, lastError: retry.lastError });
      for (const p of pendingOf(key)) if (p.seq >= seq) p.nextAttemptAt = retry.nextAttemptAt;
    },
    async markFailed(key, seq, failure) {
      check();
      const r = find(key, seq);
      if (r?.state === 'pending') Object.assign(r, { state: 'failed', attempts: failure.attempts, lastError: failure.lastError, doneAt: failure.at });
    },
    async release(key, seqs, at) {
      check();
      for (const seq of seqs) {
        const r = find(key, seq);
        if (r?.state === 'pending') r.nextAttemptAt = at;
      }
    },
    async countPending() {
      check();
      let n = 0;
      for (const lane of lanes.values()) n += lane.filter((r) => r.state === 'pending').length;
      return n;
    },
    async failed(req = {}): Promise<Page<StoredMessage>> {
      check();
      const all = decodeAll([...lanes.values()].flat().filter((r) => r.state === 'failed'));
      return pageOf(all, req, FAILED_MESSAGE_ORDER);
    },
    async eraseConversation(key) {
      check();
      const n = lanes.get(key)?.length ?? 0;
      lanes.delete(key);
      expiredSeqs.delete(key); // erasure forgets the conversation: it starts again at 1
      return n;
    },
    async deleteOlderThan(cutoff, limit) {
      check();
      let n = 0;
      const expired = (r: MessageRow) => r.at < cutoff && r.state !== 'pending';
      for (const [key, lane] of [...lanes]) {
        const kept: MessageRow[] = [];
        for (const r of lane) {
          if (n < limit && expired(r)) n += 1;
          else kept.push(r);
        }
        const newest = lane.at(-1) as MessageRow;
        if (kept.at(-1) !== newest) expiredSeqs.set(key, Math.max(expiredSeqs.get(key) ?? 0, newest.seq));
        if (kept.length) lanes.set(key, kept);
        else lanes.delete(key);
      }
      return n;
    },
  };

  return {
    sessions: sessionRepo,
    messages: messageRepo,
    async commit(c) {
      check();
      const prepared = prepare(c);
      if (c.session) {
        const current = live(c.key)?.version ?? 0;
        if (current !== c.session.expectedVersion) return { ok: false, conflict: true };
        const text = rows.encode('sessions', c.key, c.session.value);
        const at = now();
        sessions.set(c.key, { text, version: current + 1, updatedAt: at, expiresAt: opts.ttlSeconds > 0 ? at + opts.ttlSeconds * 1000 : null });
      }
      const lane = lanes.get(c.key) ?? [];
      lanes.set(c.key, lane);
      lane.push(...prepared);
      links.set(c.key, { customer: customerIdOf(c.ref), at: now() });
      return { ok: true, messages: decodeAll(prepared) };
    },
    damage(table, id, text) {
      const row = table === 'sessions' ? sessions.get(id) : (lanes.get(id.slice(0, id.lastIndexOf('#'))) ?? []).find((r) => `${r.key}#${r.seq}` === id);
      if (!row) return false;
      if ('body' in row) row.body = text;
      else row.text = text;
      return true;
    },
  };
}
