/**
 * Which support-channel thread belongs to which escalation. Kept in the handoff record's `links`
 * (`slack.channel`, `slack.thread_ts`), so it survives a restart; cached in memory for speed.
 * One thread per escalation: a conversation that escalates again gets a new thread.
 */
import type { Logger } from '../../core';
import type { HandoffRecord, HandoffService } from '../../plugins/handoff';

export const LINK_CHANNEL = 'slack.channel';
export const LINK_THREAD = 'slack.thread_ts';
const CACHE_MAX = 10_000;

export interface Thread {
  channel: string;
  ts: string;
}

export interface ThreadLink {
  key: string;
  recordId: string;
  thread: Thread;
}

export interface ThreadRegistry {
  /** The thread of this escalation, if one was opened (cache, then the record's links, then the store). */
  forRecord(record: HandoffRecord): Promise<Thread | undefined>;
  /** The escalation a thread belongs to, if any. */
  forThread(channel: string, ts: string): Promise<ThreadLink | undefined>;
  /** Remembers a new thread and stores it in the record's links. */
  save(record: HandoffRecord, thread: Thread): Promise<void>;
}

/** The thread named by a record's or a ticket's links, if it has one (the channel defaults to the support channel). */
export function threadFromLinks(links: Readonly<Record<string, string>> | undefined, supportChannel: string): Thread | undefined {
  const ts = links?.[LINK_THREAD];
  return ts ? { channel: links?.[LINK_CHANNEL] ?? supportChannel, ts } : undefined;
}

export function threadKey(t: Thread): string {
  return `${t.channel}:${t.ts}`;
}

export function createThreadRegistry(handoff: HandoffService, supportChannel: string, log: Logger): ThreadRegistry {
  const byRecord = new Map<string, Thread>();
  const byThread = new Map<string, ThreadLink>();

  function remember(link: ThreadLink): void {
    byRecord.set(link.recordId, link.thread);
    byThread.set(threadKey(link.thread), link);
    for (const map of [byRecord, byThread] as Map<string, unknown>[]) {
      if (map.size > CACHE_MAX) map.delete(map.keys().next().value as string);
    }
  }

  return {
    async forRecord(record) {
      const cached = byRecord.get(record.id);
      if (cached) return cached;
      let thread = threadFromLinks(record.links, supportChannel);
      if (!thread) {
        const stored = await handoff.get(record.key);
        if (stored?.id === record.id) thread = threadFromLinks(stored.links, supportChannel);
      }
      if (thread) remember({ key: record.key, recordId: record.id, thread });
      return thread;
    },
    async forThread(channel, ts) {
      const cached = byThread.get(threadKey({ channel, ts }));
      if (cached) return cached;
      const record = await handoff.findByLink(LINK_THREAD, ts);
      if (!record || (record.links[LINK_CHANNEL] ?? supportChannel) !== channel) return undefined;
      const link = { key: record.key, recordId: record.id, thread: { channel, ts } };
      remember(link);
      return link;
    },
    async save(record, thread) {
      remember({ key: record.key, recordId: record.id, thread });
      for (const [name, value] of [
        [LINK_CHANNEL, thread.channel],
        [LINK_THREAD, thread.ts],
      ] as const) {
        const r = await handoff.setLink(record.key, name, value);
        // The escalation may have ended before its thread opened; the cache still knows the thread.
        if (!r.ok) log.warn({ code: r.code, link: name }, 'slack thread link not stored');
      }
    },
  };
}
