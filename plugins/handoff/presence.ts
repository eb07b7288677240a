/**
 * Honest presence: an agent is online while a sign of life says so (the console's socket open or
 * pinging, a console login, Slack activity), away after `awayAfterMs` of silence, offline after
 * `offlineAfterMs` of silence, on logout, or `disconnectGraceMs` after their last console
 * connection closed. A status the agent chose (away, offline) sticks until they choose again or
 * log in; one presence set is undone by the next sign of life. Statuses are stored (every instance
 * reads them; events carry them); the last sign of life is stored every few seconds at most, so
 * an instance that saw none asks the store before calling an agent silent.
 */
import type { Desk } from './desk';
import { agentStatusMeta, type PresenceEntry, type StoredStatus } from './hot-state';
import { failure, guard, isFailure, knownAgent } from './results';
import type { ActionResult, AgentStatus, AgentView, PresenceSource } from './types';

const STATUSES: readonly AgentStatus[] = ['online', 'away', 'offline'];
/** Signs of life are written to the store at most this often per agent (the others stay in memory). */
export const STORE_SEEN_EVERY_MS = 10_000;
const CAS_ATTEMPTS = 5;

export function createPresence(desk: Desk) {
  const { data, now } = desk;

  function entry(agentId: string): PresenceEntry {
    let p = desk.hot.presence.get(agentId);
    if (!p) {
      p = { auto: true };
      desk.hot.presence.set(agentId, p);
    }
    return p;
  }

  function view(agentId: string): AgentView | undefined {
    return desk.agentViews().find((a) => a.id === agentId);
  }

  /** Read-modify-write of the stored status; `change` returns undefined to leave it. The stored value after, if changed. */
  async function writeStored(agentId: string, change: (cur: StoredStatus | undefined) => StoredStatus | undefined): Promise<StoredStatus | undefined> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const stored = await data.meta.get<StoredStatus>(agentStatusMeta(agentId));
      const next = change(stored?.value);
      if (!next) return undefined;
      if ((await data.meta.put(agentStatusMeta(agentId), next, stored?.version ?? 0)) === 'ok') return next;
    }
    return undefined;
  }

  /** Offers standing for an agent who is no longer online go to others. Caller holds the lock. */
  async function withdrawOffersOf(agentId: string): Promise<void> {
    for (const [id, o] of [...desk.hot.offers]) {
      if (o.agentId !== agentId) continue;
      const v = await data.handoffs.get(id);
      if (v?.value.state === 'queued' && v.value.offer?.agentId === agentId) await desk.withdrawOffer(v, 'agent-left', false);
      else desk.catchUp(id, v);
    }
  }

  /** Conversations of an agent who left go back to the queue (the next dispatch routes them, or makes tickets). Caller holds the lock. */
  async function requeueAgent(agentId: string): Promise<void> {
    for (;;) {
      const page = await data.handoffs.list({ state: 'assigned', agentId }, { limit: 100 });
      for (const r of page.items) {
        const v = await data.handoffs.get(r.id);
        if (v?.value.state === 'assigned') await desk.requeue(v, { transfers: [...v.value.transfers, { from: agentId, at: now() }] });
      }
      if (!page.next) return;
    }
  }

  /** Stores and announces a status; routing follows (offers withdrawn, conversations requeued, the queue dispatched). Caller holds the lock. */
  async function changeStatus(agentId: string, status: AgentStatus, auto: boolean): Promise<void> {
    const at = now();
    const p = entry(agentId);
    const before = desk.hot.statuses.get(agentId);
    await writeStored(agentId, (cur) => ({ status, auto, ...(p.lastSeenAt || cur?.lastSeenAt ? { lastSeenAt: Math.max(p.lastSeenAt ?? 0, cur?.lastSeenAt ?? 0) } : {}) }));
    p.auto = auto;
    desk.hot.statuses.set(agentId, status);
    if (before !== status) desk.emit({ type: 'agent.status', agentId, status, at, auto });
    if (status !== 'online') await withdrawOffersOf(agentId);
    if (status === 'offline') await requeueAgent(agentId);
    await desk.dispatch();
  }

  /** Writes the last sign of life to the store when the stored one is older than STORE_SEEN_EVERY_MS. */
  async function storeSeen(agentId: string, p: PresenceEntry, at: number): Promise<void> {
    if (at - (p.storedSeenAt ?? 0) < STORE_SEEN_EVERY_MS) return;
    p.storedSeenAt = at;
    await writeStored(agentId, (cur) =>
      cur && (cur.lastSeenAt ?? 0) >= at
        ? undefined
        : { status: cur?.status ?? desk.hot.statuses.get(agentId) ?? 'offline', ...(cur?.auto === undefined ? {} : { auto: cur.auto }), lastSeenAt: at },
    );
  }

  /** The freshest sign of life (this instance's or the store's); refreshes memory from the store. */
  async function lastSeen(agentId: string): Promise<number> {
    const p = entry(agentId);
    const stored = await data.meta.get<StoredStatus>(agentStatusMeta(agentId));
    const seen = Math.max(p.lastSeenAt ?? 0, stored?.value.lastSeenAt ?? 0);
    if (seen) p.lastSeenAt = seen;
    return seen || desk.startedAt;
  }

  /** What silence (and a closed console) makes of an agent's status now, if it changes. */
  function silentStatus(agentId: string, seen: number, at: number): AgentStatus | undefined {
    const status = desk.hot.statuses.get(agentId) ?? 'offline';
    if (status === 'offline') return undefined;
    const p = entry(agentId);
    const t = desk.times;
    if (at - seen >= t.offlineAfterMs) return 'offline';
    if (p.disconnectedAt !== undefined && seen <= p.disconnectedAt && at - p.disconnectedAt >= t.disconnectGraceMs) return 'offline';
    if (status === 'online' && at - seen >= t.awayAfterMs) return 'away';
    return undefined;
  }

  return {
    setAgentStatus: (agentId: string, status: AgentStatus): Promise<ActionResult<{ agent: AgentView }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        if (!STATUSES.includes(status)) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `status must be one of ${STATUSES.join(', ')} (got "${status}").`);
        const result = await desk.locked(async () => {
          const p = entry(agentId);
          p.lastSeenAt = now(); // choosing a status is a sign of life
          p.disconnectedAt = undefined;
          await changeStatus(agentId, status, false);
          return view(agentId);
        });
        return { ok: true as const, agent: result ?? { ...agent, status, load: 0 } };
      }),

    heartbeat: (agentId: string, source: PresenceSource = 'api'): Promise<ActionResult<{ agent: AgentView }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const at = now();
        const p = entry(agentId);
        p.lastSeenAt = Math.max(p.lastSeenAt ?? 0, at);
        p.disconnectedAt = undefined;
        const status = desk.hot.statuses.get(agentId) ?? 'offline';
        if (status !== 'online' && (source === 'login' || p.auto)) {
          await desk.locked(() => changeStatus(agentId, 'online', true));
          p.storedSeenAt = at; // changeStatus stored it
        } else await storeSeen(agentId, p, at);
        return { ok: true as const, agent: view(agentId) ?? { ...agent, load: 0 } };
      }),

    presenceLost: (agentId: string, since = now()): Promise<ActionResult<{ agent: AgentView }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const p = entry(agentId);
        if ((p.lastSeenAt ?? 0) <= since) p.disconnectedAt = since; // tick() takes them offline after the grace period
        return { ok: true as const, agent: view(agentId) ?? { ...agent, load: 0 } };
      }),

    /** Silent agents become away or offline (confirmed against the store: another instance may have seen them). */
    async sweepPresence(): Promise<void> {
      const at = now();
      for (const a of desk.agents) {
        const p = entry(a.id);
        if (!silentStatus(a.id, p.lastSeenAt ?? desk.startedAt, at)) continue;
        await desk.locked(async () => {
          const next = silentStatus(a.id, await lastSeen(a.id), now());
          if (next) await changeStatus(a.id, next, true);
        });
      }
    },
  };
}
