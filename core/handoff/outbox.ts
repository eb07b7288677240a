/**
 * Messages to customers that leave outside a turn (agent replies, queue updates, CSAT questions,
 * ticket answers) go through a stored outbox: written first, then pushed; a failed push stays and
 * is retried with backoff, in order per conversation, also after a restart. Nothing is dropped.
 */
import { asCodedError } from '../errors';
import type { Logger } from '../logger';
import { type ConversationRef, conversationKey, type OutboundMessage } from '../model';
import { PREFIX, type Repo } from './repo';

export interface OutboxEntry {
  id: string;
  key: string;
  ref: ConversationRef;
  messages: OutboundMessage[];
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  lastError?: string;
}

export interface OutboxDeps {
  repo: Repo;
  push: (ref: ConversationRef, messages: readonly OutboundMessage[]) => Promise<void>;
  now: () => number;
  log: Logger;
  retryDelaysMs: readonly number[];
}

export function createOutbox(deps: OutboxDeps) {
  const { repo, now, log } = deps;
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function enqueue(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<string> {
    const counters = await repo.updateCounters((c) => {
      c.outboxSeq += 1;
    });
    const id = `${PREFIX.outbox}${String(counters.outboxSeq).padStart(12, '0')}`;
    const entry: OutboxEntry = { id, key: conversationKey(ref), ref, messages: [...messages], attempts: 0, nextAttemptAt: 0, createdAt: now() };
    await repo.mutate<OutboxEntry>(id, () => entry);
    return id;
  }

  async function pass(force: boolean): Promise<number> {
    const entries = (await repo.store.list(PREFIX.outbox, 100_000)).map((r) => r.value as OutboxEntry).sort((a, b) => (a.id < b.id ? -1 : 1));
    const blocked = new Set<string>();
    let pending = 0;
    for (const e of entries) {
      if (blocked.has(e.key) || (!force && e.nextAttemptAt > now())) {
        blocked.add(e.key); // keep the conversation's order: later messages wait for earlier ones
        pending += 1;
        continue;
      }
      try {
        await deps.push(e.ref, e.messages);
        await repo.store.delete(e.id);
      } catch (err) {
        const coded = asCodedError(err);
        const delay = deps.retryDelaysMs[Math.min(e.attempts, deps.retryDelaysMs.length - 1)] ?? 60_000;
        await repo.mutate<OutboxEntry>(e.id, (cur) => (cur ? { ...cur, attempts: cur.attempts + 1, nextAttemptAt: now() + delay, lastError: coded.code } : undefined));
        log.warn({ code: coded.code, conversation: e.key, attempts: e.attempts + 1, retryInMs: delay }, 'handoff delivery failed; kept in the outbox');
        blocked.add(e.key);
        pending += 1;
      }
    }
    return pending;
  }

  function schedule(): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    void repo.store.list(PREFIX.outbox, 100_000).then(
      (rows) => {
        if (!rows.length || stopped) return;
        const due = Math.min(...rows.map((r) => (r.value as OutboxEntry).nextAttemptAt));
        timer = setTimeout(() => void drain(), Math.max(10, due - now()));
        timer.unref();
      },
      () => undefined,
    );
  }

  /** One delivery pass at a time; a call during a pass runs another pass after it. */
  function drain(force = false): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let pending = 0;
      try {
        do {
          again = false;
          pending = await pass(force);
        } while (again);
      } catch (err) {
        log.error({ code: asCodedError(err).code }, 'handoff outbox pass failed');
      } finally {
        running = undefined;
      }
      if (pending) schedule();
      return pending;
    })();
    return running;
  }

  return {
    enqueue,
    drain,
    /** True when the entry is still waiting (not yet delivered). */
    async isPending(id: string): Promise<boolean> {
      return (await repo.store.read(id)) !== undefined;
    },
    async pendingCount(): Promise<number> {
      return (await repo.store.list(PREFIX.outbox, 100_000)).length;
    },
    async idle(): Promise<void> {
      while (running) await running;
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
