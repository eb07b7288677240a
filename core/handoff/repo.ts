/**
 * Where handoff data lives in the store (any {@link SessionStore}: memory, SQLite, MongoDB):
 *   handoff:<conversationKey>          the active record (queued or assigned)
 *   handoff-done:<conversationKey>#<n>  finished records (resolved, cancelled, ticket), for metrics and CSAT
 *   ticket:<T-000001>                   tickets
 *   handoff-outbox:<seq>                messages to the customer not yet delivered
 *   handoff-agent:<agentId>             an agent's status
 *   handoff-meta:counters               turn and conversation counters, ticket number sequence
 */
import { KefuError } from '../errors';
import type { SessionStore } from '../store';
import type { AgentStatus, HandoffRecord, Ticket } from './types';

export const PREFIX = {
  active: 'handoff:',
  done: 'handoff-done:',
  ticket: 'ticket:',
  outbox: 'handoff-outbox:',
  agent: 'handoff-agent:',
  meta: 'handoff-meta:',
} as const;

const LIST_LIMIT = 100_000;
const MAX_ATTEMPTS = 8;

export interface Counters {
  conversations: number;
  turns: number;
  botTurns: number;
  escalatedConversations: number;
  ticketSeq: number;
  outboxSeq: number;
  /** Recent handle times (ms), newest last, for wait estimates. */
  handleTimes: number[];
}

const EMPTY_COUNTERS: Counters = { conversations: 0, turns: 0, botTurns: 0, escalatedConversations: 0, ticketSeq: 0, outboxSeq: 0, handleTimes: [] };

export function createRepo(store: SessionStore<unknown>) {
  /** Read-modify-write with the version check; `change` returns the new value, or undefined to delete. */
  async function mutate<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      const found = await store.read(key);
      const next = change(found?.value as T | undefined);
      if (next === undefined) {
        if (found) await store.delete(key);
        return undefined;
      }
      if ((await store.write(key, next, found?.version ?? 0)) === 'ok') return next;
      if (attempt >= MAX_ATTEMPTS) throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Handoff data "${key}" kept changing under ${attempt} attempts; retry the action.`);
    }
  }
  async function read<T>(key: string): Promise<T | undefined> {
    return (await store.read(key))?.value as T | undefined;
  }
  async function list<T>(prefix: string): Promise<T[]> {
    return (await store.list(prefix, LIST_LIMIT)).map((r) => r.value as T);
  }

  return {
    store,
    mutate,
    active: (key: string) => read<HandoffRecord>(PREFIX.active + key),
    saveActive: (r: HandoffRecord) => mutate<HandoffRecord>(PREFIX.active + r.key, () => r),
    allActive: () => list<HandoffRecord>(PREFIX.active),
    /** Moves a finished record out of the active set. */
    async finish(r: HandoffRecord): Promise<string> {
      const doneKey = `${PREFIX.done}${r.key}#${String(r.requestedAt).padStart(15, '0')}`;
      await mutate<HandoffRecord>(doneKey, () => r);
      await store.delete(PREFIX.active + r.key);
      return doneKey;
    },
    done: (doneKey: string) => read<HandoffRecord>(doneKey),
    saveDone: (doneKey: string, r: HandoffRecord) => mutate<HandoffRecord>(doneKey, () => r),
    allDone: () => list<HandoffRecord>(PREFIX.done),
    async lastDone(key: string): Promise<{ doneKey: string; record: HandoffRecord } | undefined> {
      const rows = (await store.list(`${PREFIX.done}${key}#`, LIST_LIMIT)).sort((a, b) => (a.key < b.key ? -1 : 1));
      const last = rows[rows.length - 1];
      return last ? { doneKey: last.key, record: last.value as HandoffRecord } : undefined;
    },
    ticket: (id: string) => read<Ticket>(PREFIX.ticket + id),
    saveTicket: (t: Ticket) => mutate<Ticket>(PREFIX.ticket + t.id, () => t),
    allTickets: () => list<Ticket>(PREFIX.ticket),
    agentStatus: async (id: string) => (await read<{ status: AgentStatus }>(PREFIX.agent + id))?.status,
    saveAgentStatus: (id: string, status: AgentStatus) => mutate(PREFIX.agent + id, () => ({ status })),
    counters: async () => ({ ...EMPTY_COUNTERS, ...(await read<Counters>(`${PREFIX.meta}counters`)) }),
    updateCounters: (change: (c: Counters) => void) =>
      mutate<Counters>(`${PREFIX.meta}counters`, (c) => {
        const next = { ...EMPTY_COUNTERS, ...c, handleTimes: [...(c?.handleTimes ?? [])] };
        change(next);
        return next;
      }) as Promise<Counters>,
  };
}

export type Repo = ReturnType<typeof createRepo>;
