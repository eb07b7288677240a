/**
 * What routing needs on every escalation, kept in memory and changed incrementally instead of
 * re-read: the queue in order (one order-statistic tree for positions, one per language for
 * routing), each agent's load and status, and recent handle times. Built from the store when the
 * plugin is registered; every change to a record changes it in the same step (under the desk lock).
 * Several instances each keep their own copy: a change made by another instance arrives as an event
 * and is applied with the record's version, so a late or repeated event changes nothing.
 */
import { ACTIVE_HANDOFF_STATES, type Repositories, readAllPages } from '../../core/data';
import type { Locale } from '../../core/model';
import { createOrderTree, type OrderTree } from './order-tree';
import { compareQueue } from './routing';
import { slaClockStart } from './sla';
import type { AgentProfile, AgentStatus, HandoffRecord } from './types';

/** A queued handoff as routing sees it. */
export interface QueuedEntry {
  id: string;
  key: string;
  priority: number;
  requestedAt: number;
  locale: Locale;
  skill: string;
  tier?: string;
  /** 'expert' once escalated to the experts (only they may take it). */
  level?: 'expert';
  /** The agent it was last transferred away from, and those who declined it (routing offers it to others first). */
  notTo?: readonly string[];
  /** The agent it is offered to now (routing leaves it alone until the offer ends). */
  offeredTo?: string;
}

/** An active handoff whose current tier has not answered yet, for the SLA check (`since`: when that tier's clock started). */
export interface SlaWatch {
  key: string;
  level: 'agent' | 'expert';
  since: number;
}

/** The tier a record waits on, when its first reply of that tier has not come and no breach was noted yet. */
export function slaWatchOf(r: HandoffRecord): SlaWatch | undefined {
  if (!ACTIVE_HANDOFF_STATES.includes(r.state)) return undefined;
  const level = r.level ?? 'agent';
  if (r.slaBreachedAt?.[level] !== undefined) return undefined;
  const answered = level === 'expert' ? r.expertFirstResponseAt : r.firstResponseAt;
  return answered === undefined ? { key: r.key, level, since: slaClockStart(level, r) ?? r.updatedAt } : undefined;
}

/** A standing offer, for the expiry sweep. */
export interface OfferEntry {
  key: string;
  agentId: string;
  expiresAt: number;
}

/** What presence keeps per agent besides the status: whether presence set it, and the last sign of life. */
export interface PresenceEntry {
  /** The status was set by presence (silence, disconnect), not chosen: a sign of life makes the agent online again. */
  auto: boolean;
  /** The last sign of life seen here or read from the store. */
  lastSeenAt?: number;
  /** The `lastSeenAt` last written to the store (writes are spaced out). */
  storedSeenAt?: number;
  /** When the agent's last console connection to this instance closed (cleared by a sign of life). */
  disconnectedAt?: number;
}

/** The stored form of an agent's status (meta `agent-status:<id>`), which every instance reads. */
export interface StoredStatus {
  status: AgentStatus;
  auto?: boolean;
  lastSeenAt?: number;
}

export const HANDLE_TIMES_KEPT = 20;
export const HANDLE_TIMES_META = 'handoff-handle-times';
export const agentStatusMeta = (agentId: string) => `agent-status:${agentId}`;

export function queuedEntry(r: HandoffRecord): QueuedEntry {
  const lastFrom = r.transfers.at(-1)?.from;
  const notTo = [...(lastFrom ? [lastFrom] : []), ...(r.declinedBy ?? [])];
  return {
    id: r.id,
    key: r.key,
    priority: r.priority,
    requestedAt: r.requestedAt,
    locale: r.locale,
    skill: r.skill,
    ...(r.customer.tier ? { tier: r.customer.tier } : {}),
    ...(r.level === 'expert' ? { level: 'expert' as const } : {}),
    ...(notTo.length ? { notTo } : {}),
    ...(r.offer ? { offeredTo: r.offer.agentId } : {}),
  };
}

export interface HotState {
  /** Every queued handoff in queue order. */
  readonly queue: OrderTree<QueuedEntry>;
  /** Queued handoffs per language, in queue order. */
  byLocale(locale: Locale): OrderTree<QueuedEntry>;
  locales(): Locale[];
  /** Takes a handoff out of the queue (it was found changed elsewhere and is gone from the store). */
  dequeue(id: string): void;
  /** 1-based queue position, or undefined when not queued. */
  position(id: string): number | undefined;
  /** Conversations assigned (or offered) to each agent (kept from the records by `apply`). */
  readonly loads: ReadonlyMap<string, number>;
  readonly statuses: Map<string, AgentStatus>;
  readonly presence: Map<string, PresenceEntry>;
  /** Standing offers by handoff id. */
  readonly offers: ReadonlyMap<string, OfferEntry>;
  /** Active handoffs waiting for their tier's first reply, by handoff id (the SLA check reads only these). */
  readonly slaWatch: ReadonlyMap<string, SlaWatch>;
  /** Conversation key → its latest ticket, which the customer's messages go to (open or pending; a resolved one is checked on use). */
  readonly ticketKeys: Map<string, string>;
  readonly handleTimes: number[];
  /**
   * Conversation keys with a queued or assigned handoff, so a turn of any other conversation (almost
   * all of them) asks the store nothing. A superset is safe (the store has the last word).
   */
  isActive(key: string): boolean;
  /**
   * Takes a handoff's new state (after every create and save, or from another instance): its place
   * in the queue, its agent's load, whether its conversation is active. `version` is the stored
   * version; an older or equal one than already applied is ignored (false).
   */
  apply(r: HandoffRecord, version?: number): boolean;
  /** The stored version last applied for an active handoff. */
  versionOf(id: string): number | undefined;
}

export function createHotState(): HotState {
  const queue = createOrderTree<QueuedEntry>(compareQueue, (e) => e.id);
  const perLocale = new Map<Locale, OrderTree<QueuedEntry>>();
  const byLocale = (locale: Locale) => {
    let tree = perLocale.get(locale);
    if (!tree) {
      tree = createOrderTree<QueuedEntry>(compareQueue, (e) => e.id);
      perLocale.set(locale, tree);
    }
    return tree;
  };
  const active = new Set<string>();
  const assignedTo = new Map<string, string>();
  const loads = new Map<string, number>();
  const versions = new Map<string, number>();
  const offers = new Map<string, OfferEntry>();
  const slaWatch = new Map<string, SlaWatch>();
  const addLoad = (agentId: string, delta: number) => loads.set(agentId, Math.max(0, (loads.get(agentId) ?? 0) + delta));

  function dequeue(id: string): void {
    const e = queue.get(id);
    if (!e) return;
    queue.remove(id);
    byLocale(e.locale).remove(id);
  }
  function enqueue(r: HandoffRecord): void {
    dequeue(r.id); // its priority or the agent it left may have changed
    const e = queuedEntry(r);
    queue.insert(e);
    byLocale(e.locale).insert(e);
  }
  function assign(id: string, agentId: string | undefined): void {
    const before = assignedTo.get(id);
    if (before === agentId) return;
    if (before) addLoad(before, -1);
    if (agentId) {
      assignedTo.set(id, agentId);
      addLoad(agentId, +1);
    } else assignedTo.delete(id);
  }

  return {
    queue,
    byLocale,
    isActive: (key) => active.has(key),
    apply(r, version) {
      const known = versions.get(r.id);
      if (version !== undefined && known !== undefined && version <= known) return false;
      const isActive = ACTIVE_HANDOFF_STATES.includes(r.state);
      if (isActive) active.add(r.key);
      else active.delete(r.key);
      if (r.state === 'queued') enqueue(r);
      else dequeue(r.id);
      assign(r.id, r.state === 'assigned' ? r.agentId : r.state === 'queued' ? r.offer?.agentId : undefined);
      if (r.state === 'queued' && r.offer) offers.set(r.id, { key: r.key, agentId: r.offer.agentId, expiresAt: r.offer.expiresAt });
      else offers.delete(r.id);
      const watch = slaWatchOf(r);
      if (watch) slaWatch.set(r.id, watch);
      else slaWatch.delete(r.id);
      if (isActive && version !== undefined) versions.set(r.id, version);
      else if (!isActive) versions.delete(r.id);
      return true;
    },
    versionOf: (id) => versions.get(id),
    locales: () => [...perLocale].filter(([, t]) => t.size > 0).map(([l]) => l),
    dequeue,
    position: (id) => {
      const rank = queue.rank(id);
      return rank === undefined ? undefined : rank + 1;
    },
    loads,
    statuses: new Map(),
    presence: new Map(),
    offers,
    slaWatch,
    ticketKeys: new Map(),
    handleTimes: [],
  };
}

/** The presence kept in memory for a stored status; never stored means presence decides (auto). */
export function presenceFrom(stored: StoredStatus | undefined): PresenceEntry {
  const seen = stored?.lastSeenAt;
  return { auto: stored?.auto ?? true, ...(seen ? { lastSeenAt: seen, storedSeenAt: seen } : {}) };
}

/** Reads the queue, the loads, the agents' statuses and recent handle times from the store. */
export async function loadHotState(data: Repositories, agents: readonly AgentProfile[]): Promise<HotState> {
  const hot = createHotState();
  for (const r of await readAllPages((req) => data.handoffs.queue(req))) hot.apply(r);
  for (const r of await readAllPages((req) => data.handoffs.list({ state: 'assigned' }, req))) hot.apply(r);
  for (const a of agents) {
    const stored = await data.meta.get<StoredStatus>(agentStatusMeta(a.id));
    hot.statuses.set(a.id, stored?.value.status ?? a.status);
    hot.presence.set(a.id, presenceFrom(stored?.value));
  }
  for (const status of ['open', 'pending'] as const) {
    for (const t of await readAllPages((req) => data.tickets.list({ status }, req))) hot.ticketKeys.set(t.key, t.id);
  }
  const times = await data.meta.get<number[]>(HANDLE_TIMES_META);
  if (Array.isArray(times?.value)) hot.handleTimes.push(...times.value.filter((t) => typeof t === 'number').slice(-HANDLE_TIMES_KEPT));
  return hot;
}
