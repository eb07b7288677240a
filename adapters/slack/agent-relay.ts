/**
 * Customer messages, and the replies and notes agents write at another desk (the console), reach an
 * escalation's Slack thread from the transcript, so a restart loses none. Each thread keeps a cursor
 * in its record's links (`slack.relayed_seq`): the seq up to which Slack took every such line. A
 * live line is posted as it comes (through the thread's outbox lane, which waits out a Slack outage
 * in memory) and moves the cursor once Slack took it and every line before it. After a restart,
 * `catchUp` posts what the cursor has not passed for every open escalation with a thread: lines
 * parked in the outbox when the process stopped, and lines of messages committed just before it
 * died. What staff write in the thread itself (desk `slack`) is there already and never posted. A
 * post the outbox gives up on (Slack refused it for ~40 min) holds the cursor below it and is
 * posted again by `retryGivenUp` (every few minutes) until Slack takes it, so a long
 * outage loses nothing either, and what Slack took meanwhile is not posted twice. At least once: a
 * crash between Slack's answer and the cursor's save (or while a given-up post waits) posts a
 * message again after the restart. Pre-escalation messages are in the thread's summary, never
 * posted as lines.
 * Instances starting together (multi-instance mode) catch a thread up once: the one holding its
 * lease does it.
 */
import { ACTIVE_HANDOFF_STATES, asCodedError, type HandoffRecord, type LaneLeases, type Logger, readAllPages, type StoredMessage } from '../../core';
import type { HandoffService } from '../../plugins/handoff';
import type { ThreadPost } from './agent';
import { type AgentLabel, renderTranscriptLine, type SlackPost } from './agent-render';
import { LINK_THREAD, type Thread, type ThreadRegistry } from './agent-threads';

export const LINK_RELAYED = 'slack.relayed_seq';
/** The desk name Slack's replies and notes carry in the transcript. */
export const SLACK_DESK = 'slack';
const PAGE = 100;
/** How far back `catchUp` looks for the escalation's own turn when a thread has no cursor yet. */
const MAX_SCAN_PAGES = 20;
const REMEMBER_MAX = 10_000;
/** Seqs remembered per escalation as queued by this process (a late live line is posted unless it is among them). */
const POSTED_MAX = 256;

/** A transcript message the thread shows as a line: the customer's, or a reply or note written at another desk. */
export const isThreadLine = (m: StoredMessage): boolean => m.from === 'customer' || ((m.from === 'agent' || m.from === 'note') && m.desk !== undefined && m.desk !== SLACK_DESK);

/** Which transcript message a thread post carries, so the cursor moves when Slack takes it. */
export interface RelayMark {
  key: string;
  recordId: string;
  seq: number;
}

export interface ThreadRelay {
  /** Posts a live thread line (unless this process already posted or queued that seq). */
  relayLive(record: HandoffRecord, thread: Thread, seq: number | undefined, line: SlackPost): Promise<void>;
  /** Called after Slack took a post that carries a mark: moves the thread's cursor. Never throws. */
  taken(mark: RelayMark): Promise<void>;
  /** Called when the outbox gave a marked post up: the cursor stays below it until it is posted. */
  givenUp(mark: RelayMark): void;
  /** Posts again what the outbox gave up on (each once at a time); resolves to how many were queued. Never throws. */
  retryGivenUp(): Promise<number>;
  /** Posts the lines of every open escalation's thread that its cursor has not passed; resolves to how many. Never throws. */
  catchUp(runInLane: <T>(key: string, task: () => Promise<T>) => Promise<T>): Promise<number>;
  /** Forgets a finished escalation. */
  forget(recordId: string): void;
}

interface RelayDeps {
  handoff: HandoffService;
  threads: ThreadRegistry;
  send(thread: Thread, item: ThreadPost): Promise<void>;
  /** How agents are named in the lines read back from the transcript. */
  label(): Promise<AgentLabel>;
  log: Logger;
  /** Multi-instance mode: instances starting together catch each thread up once (the one holding its lease). */
  leases?: LaneLeases;
}

/** What this process knows of one escalation's relay. */
interface RelayState {
  key: string;
  /** The highest seq queued (posted, or waiting in the outbox). */
  queued: number;
  /** The last seqs queued (at most POSTED_MAX): a live line that comes late (after a later one) is posted unless it is here. */
  posted: Set<number>;
  /** The highest seq Slack took, and the cursor last stored. */
  taken: number;
  saved: number;
  /** Seqs queued that Slack has not taken yet: the stored cursor stays below the lowest. */
  waiting: Set<number>;
  /** Seqs the outbox gave up on that Slack has not taken since: the stored cursor stays below the lowest. */
  gaps: Set<number>;
  /** Gaps queued again and not settled yet. */
  retrying: Set<number>;
}

export function createThreadRelay({ handoff, threads, send, label, log, leases }: RelayDeps): ThreadRelay {
  const states = new Map<string, RelayState>();
  const stateOf = (recordId: string, key: string): RelayState => {
    let st = states.get(recordId);
    if (!st) {
      st = { key, queued: 0, posted: new Set(), taken: 0, saved: 0, waiting: new Set(), gaps: new Set(), retrying: new Set() };
      states.set(recordId, st);
      if (states.size > REMEMBER_MAX) states.delete(states.keys().next().value as string);
    }
    return st;
  };
  const queuedOf = (recordId: string) => states.get(recordId)?.queued ?? 0;

  /** Queues the line of `seq` in the thread's outbox lane, remembering it until Slack takes it. */
  async function queue(record: HandoffRecord, thread: Thread, seq: number, post: SlackPost): Promise<void> {
    const st = stateOf(record.id, record.key);
    st.queued = Math.max(st.queued, seq);
    st.posted.add(seq);
    if (st.posted.size > POSTED_MAX) st.posted.delete(st.posted.values().next().value as number);
    st.waiting.add(seq);
    await send(thread, { kind: 'post', post, relay: { key: record.key, recordId: record.id, seq } });
  }

  const relay = async (record: HandoffRecord, thread: Thread, message: StoredMessage, agent: AgentLabel) =>
    queue(record, thread, message.seq, renderTranscriptLine(message, agent));

  async function saveCursor(mark: RelayMark, cursor: number): Promise<void> {
    try {
      const r = await handoff.setLink(mark.key, LINK_RELAYED, String(cursor), { recordId: mark.recordId });
      // Not found: that escalation ended; its thread needs no cursor now.
      if (!r.ok && r.code !== 'KEFU_ERR_HANDOFF_NOT_FOUND') log.warn({ code: r.code }, 'slack relay cursor not stored');
    } catch (err) {
      log.warn({ code: asCodedError(err).code }, 'slack relay cursor not stored');
    }
  }

  /** Queues again the record's given-up posts, oldest first; resolves to how many. */
  async function retryRecord(recordId: string, st: RelayState): Promise<number> {
    const record = await handoff.get(st.key);
    if (record?.id !== recordId) {
      states.delete(recordId); // the escalation ended: its thread takes no more lines
      return 0;
    }
    const thread = await threads.forRecord(record);
    if (!thread) return 0;
    const agent = await label();
    let count = 0;
    for (const seq of [...st.gaps].sort((a, b) => a - b)) {
      if (st.retrying.has(seq)) continue;
      const [m] = await handoff.transcript(st.key, { after: seq - 1, limit: 1 });
      if (m?.seq !== seq) {
        st.gaps.delete(seq); // erased meanwhile
        continue;
      }
      st.retrying.add(seq);
      await relay(record, thread, m, agent);
      count += 1;
    }
    return count;
  }

  /** Posts the record's thread lines after its cursor, in order; resolves to how many were sent or queued. */
  async function catchUpRecord(listed: HandoffRecord): Promise<number> {
    // Read again under the lease: another instance may have moved the cursor since the listing.
    const record = await handoff.get(listed.key);
    if (record?.id !== listed.id) return 0; // that escalation ended meanwhile
    const thread = await threads.forRecord(record);
    if (!thread) return 0;
    let cursor = Math.max(queuedOf(record.id), Number(record.links[LINK_RELAYED]) || 0) || (await escalationSeq(record));
    const st = stateOf(record.id, record.key);
    const agent = await label();
    let count = 0;
    for (;;) {
      const page = await handoff.transcript(record.key, { after: cursor, limit: PAGE });
      for (const m of page) {
        cursor = m.seq;
        // `at`: a cursor from an earlier escalation of the conversation does not reach back before this one.
        if (!isThreadLine(m) || m.at < record.requestedAt || st.posted.has(m.seq)) continue;
        await relay(record, thread, m, agent);
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
    for (const state of ACTIVE_HANDOFF_STATES) all.push(...(await readAllPages((req) => handoff.list({ state }, req), { limit: PAGE })));
    return all;
  }

  return {
    async relayLive(record, thread, seq, line) {
      if (seq === undefined) return send(thread, { kind: 'post', post: line }); // a turn that stored nothing: nothing to track
      // Posted already (by catchUp, or as a line that came twice). A line that comes after a later
      // one (an agent's reply whose delivery took a while) is still posted.
      if (stateOf(record.id, record.key).posted.has(seq)) return;
      await queue(record, thread, seq, line);
    },
    async taken(mark) {
      const st = stateOf(mark.recordId, mark.key);
      st.waiting.delete(mark.seq);
      st.gaps.delete(mark.seq);
      st.retrying.delete(mark.seq);
      st.taken = Math.max(st.taken, mark.seq);
      const held = [...st.waiting, ...st.gaps];
      const cursor = held.length ? Math.min(st.taken, Math.min(...held) - 1) : st.taken;
      if (cursor <= st.saved) return;
      st.saved = cursor;
      await saveCursor(mark, cursor);
    },
    givenUp(mark) {
      const st = stateOf(mark.recordId, mark.key);
      st.waiting.delete(mark.seq);
      st.gaps.add(mark.seq);
      st.retrying.delete(mark.seq);
    },
    async retryGivenUp() {
      let total = 0;
      for (const [recordId, st] of [...states]) {
        if (!st.gaps.size) continue;
        try {
          total += await retryRecord(recordId, st);
        } catch (err) {
          log.warn({ code: asCodedError(err).code }, 'slack relay retry stopped for one escalation'); // the next round tries again
        }
      }
      return total;
    },
    async catchUp(runInLane) {
      let total = 0;
      let open: HandoffRecord[] = [];
      try {
        open = await openRecords();
      } catch (err) {
        log.warn({ code: asCodedError(err).code }, 'slack thread catch-up skipped: open escalations not readable');
      }
      // Only escalations that have a thread: the others have nothing to catch up (no query for them).
      for (const record of open.filter((r) => r.links[LINK_THREAD])) {
        try {
          total += await runInLane(record.key, () => leased(record.id, () => catchUpRecord(record)));
        } catch (err) {
          log.warn({ code: asCodedError(err).code }, 'slack thread catch-up stopped for one escalation'); // the next start tries again
        }
      }
      if (total) log.info({ messages: total }, 'slack threads caught up');
      return total;
    },
    forget(recordId) {
      states.delete(recordId);
    },
  };
}
