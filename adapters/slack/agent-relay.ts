/**
 * Customer messages reach an escalation's Slack thread from the transcript, so a restart loses none.
 * Each thread keeps a cursor in its record's links (`slack.relayed_seq`): the seq of the last
 * customer message Slack took. A live message is posted as it comes (through the thread's outbox
 * lane, which waits out a Slack outage in memory) and moves the cursor once Slack took it. After a
 * restart, `catchUp` posts what the cursor has not passed for every open escalation with a thread:
 * messages parked in the outbox when the process stopped, and messages of turns committed just
 * before it died. At least once: a crash between Slack's answer and the cursor's save posts that
 * message again. Pre-escalation messages are in the thread's summary, never posted as lines.
 * Instances starting together (multi-instance mode) catch a thread up once: the one holding its
 * lease does it.
 */
import { ACTIVE_HANDOFF_STATES, asCodedError, type HandoffRecord, type LaneLeases, type Logger, type StoredMessage } from '../../core';
import type { HandoffService } from '../../plugins/handoff';
import type { ThreadPost } from './agent';
import { renderCustomerLine, type SlackPost } from './agent-render';
import type { Thread, ThreadRegistry } from './agent-threads';

export const LINK_RELAYED = 'slack.relayed_seq';
const PAGE = 100;
/** How far back `catchUp` looks for the escalation's own turn when a thread has no cursor yet. */
const MAX_SCAN_PAGES = 20;
const REMEMBER_MAX = 10_000;

/** Which customer message a thread post carries, so the cursor moves when Slack takes it. */
export interface RelayMark {
  key: string;
  recordId: string;
  seq: number;
}

export interface CustomerRelay {
  /** Posts a live customer message (unless this process already posted or queued that seq). */
  relayLive(record: HandoffRecord, thread: Thread, seq: number | undefined, line: SlackPost): Promise<void>;
  /** Called after Slack took a post that carries a mark: moves the thread's cursor. Never throws. */
  taken(mark: RelayMark): Promise<void>;
  /** Posts the customer messages of every open escalation's thread that its cursor has not passed; resolves to how many. Never throws. */
  catchUp(runInLane: <T>(key: string, task: () => Promise<T>) => Promise<T>): Promise<number>;
  /** Forgets a finished escalation. */
  forget(recordId: string): void;
}

interface RelayDeps {
  handoff: HandoffService;
  threads: ThreadRegistry;
  send(thread: Thread, item: ThreadPost): Promise<void>;
  log: Logger;
  /** Multi-instance mode: instances starting together catch each thread up once (the one holding its lease). */
  leases?: LaneLeases;
}

export function createCustomerRelay({ handoff, threads, send, log, leases }: RelayDeps): CustomerRelay {
  /** The highest seq this process queued per record (posted, or waiting in the outbox). */
  const queued = new Map<string, number>();
  /** The highest cursor this process stored per record. */
  const saved = new Map<string, number>();
  const raise = (map: Map<string, number>, id: string, seq: number) => {
    map.set(id, Math.max(map.get(id) ?? 0, seq));
    if (map.size > REMEMBER_MAX) map.delete(map.keys().next().value as string);
  };

  async function relay(record: HandoffRecord, thread: Thread, message: StoredMessage): Promise<void> {
    raise(queued, record.id, message.seq);
    await send(thread, { kind: 'post', post: renderCustomerLine(message.text, message.attachments), relay: { key: record.key, recordId: record.id, seq: message.seq } });
  }

  /** Posts the record's customer messages after its cursor, in order; resolves to how many were sent or queued. */
  async function catchUpRecord(listed: HandoffRecord): Promise<number> {
    // Read again under the lease: another instance may have moved the cursor since the listing.
    const record = await handoff.get(listed.key);
    if (record?.id !== listed.id) return 0; // that escalation ended meanwhile
    const thread = await threads.forRecord(record);
    if (!thread) return 0;
    let cursor = Math.max(queued.get(record.id) ?? 0, Number(record.links[LINK_RELAYED]) || 0) || (await escalationSeq(record));
    let count = 0;
    for (;;) {
      const page = await handoff.transcript(record.key, { after: cursor, limit: PAGE });
      for (const m of page) {
        cursor = m.seq;
        // `at`: a cursor from an earlier escalation of the conversation does not reach back before this one.
        if (m.from !== 'customer' || m.at < record.requestedAt || m.seq <= (queued.get(record.id) ?? 0)) continue;
        await relay(record, thread, m);
        count += 1;
      }
      if (page.length < PAGE) return count;
    }
  }

  /** The seq of the escalation's own turn (its messages are in the thread's summary), or of the last message before it. */
  async function escalationSeq(record: HandoffRecord): Promise<number> {
    let before: number | undefined;
    for (let i = 0; i < MAX_SCAN_PAGES; i++) {
      const page = await handoff.transcript(record.key, { ...(before === undefined ? {} : { before }), limit: PAGE });
      for (let j = page.length - 1; j >= 0; j--) {
        const m = page[j] as StoredMessage;
        if (m.id.startsWith(`${record.turnId}:`) || m.at < record.requestedAt) return m.seq;
      }
      if (page.length < PAGE) return 0;
      before = (page[0] as StoredMessage).seq;
    }
    return 0;
  }

  /** Runs `task` holding the escalation's relay lease (0 when another instance holds it); without leases, just runs it. */
  async function leased(recordId: string, task: () => Promise<number>): Promise<number> {
    if (!leases) return task();
    const lease = await leases.acquire(`slack-relay:${recordId}`);
    if (!lease) return 0;
    try {
      return await task();
    } finally {
      await lease.release();
    }
  }

  async function openRecords(): Promise<HandoffRecord[]> {
    const all: HandoffRecord[] = [];
    for (const state of ACTIVE_HANDOFF_STATES) {
      let after: string | undefined;
      do {
        const page = await handoff.list({ state }, { limit: PAGE, ...(after ? { after } : {}) });
        all.push(...page.items);
        after = page.next;
      } while (after);
    }
    return all;
  }

  return {
    async relayLive(record, thread, seq, line) {
      if (seq === undefined) return send(thread, { kind: 'post', post: line }); // a turn that stored nothing: nothing to track
      if (seq <= (queued.get(record.id) ?? 0)) return; // catchUp posted it already
      raise(queued, record.id, seq);
      await send(thread, { kind: 'post', post: line, relay: { key: record.key, recordId: record.id, seq } });
    },
    async taken(mark) {
      if (mark.seq <= (saved.get(mark.recordId) ?? 0)) return;
      raise(saved, mark.recordId, mark.seq);
      try {
        const current = await handoff.get(mark.key);
        if (current?.id !== mark.recordId) return; // that escalation ended; its thread needs no cursor now
        const r = await handoff.setLink(mark.key, LINK_RELAYED, String(mark.seq));
        if (!r.ok) log.warn({ code: r.code }, 'slack relay cursor not stored');
      } catch (err) {
        log.warn({ code: asCodedError(err).code }, 'slack relay cursor not stored');
      }
    },
    async catchUp(runInLane) {
      let total = 0;
      let open: HandoffRecord[] = [];
      try {
        open = await openRecords();
      } catch (err) {
        log.warn({ code: asCodedError(err).code }, 'slack thread catch-up skipped: open escalations not readable');
      }
      for (const record of open) {
        try {
          total += await runInLane(record.key, () => leased(record.id, () => catchUpRecord(record)));
        } catch (err) {
          log.warn({ code: asCodedError(err).code }, 'slack thread catch-up stopped for one escalation'); // the next start tries again
        }
      }
      if (total) log.info({ messages: total }, 'slack threads caught up with customer messages');
      return total;
    },
    forget(recordId) {
      queued.delete(recordId);
      saved.delete(recordId);
    },
  };
}
