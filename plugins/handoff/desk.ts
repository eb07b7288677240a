/**
 * The handoff desk: the state every action shares (data, agents, hot state, event bus, the
 * engine for customer notices) and routing. Record changes run under one in-process lock; each is
 * a compare-and-set on the record and an O(log n) change to the hot state, never a rescan. Code
 * holding the lock never waits on a conversation (no `updateSession` inside) and never waits for
 * a platform: customer notices are written to the outbox inside (durable) and sent after.
 */
import type { HandoffRecord, Repositories, Versioned } from '../../core/data';
import type { Engine } from '../../core/engine';
import { asCodedError, KefuError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { ConversationRef, OutboundMessage } from '../../core/model';
import { withFields } from '../../core/objects';
import { createSequentializer } from '../../core/sequentialize';
import type { BusinessHours } from './business-hours';
import { createHotState, type HotState, type QueuedEntry } from './hot-state';
import { compareQueue, DEFAULT_HANDLE_MS, estimateWaitMs, pickAgent } from './routing';
import { systemMessage } from './texts';
import type { AgentChannel, AgentLevel, AgentProfile, AgentView, EventListener, HandoffEvent, LevelPolicy, PresenceTimes, Ticket } from './types';

export interface DeskDeps {
  data: Repositories;
  /** The live agents list: read on every use, since `service.addAgent` appends to it at runtime. */
  agents: readonly AgentProfile[];
  businessHours: BusinessHours;
  times: PresenceTimes;
  /** Per-tier first-response targets and queue priority (expert.ts). */
  levels: Readonly<Record<AgentLevel, LevelPolicy>>;
  now: () => number;
  log: Logger;
  engine: () => Engine;
}

/** Waiting customers told their new place when the queue moves (the rest see it when they write). */
const NOTIFY_FIRST = 10;
/** Queued entries looked at per language when the head cannot go to any free agent (transferred away from them). */
const SCAN_PER_LOCALE = 50;
/** Runs of a locked change that lost a compare-and-set race before the conflict is the caller's. */
const LOCKED_ATTEMPTS = 6;

export function createDesk(deps: DeskDeps) {
  const { data, now, log } = deps;
  const seq = createSequentializer();
  const channels: AgentChannel[] = [];
  const listeners: EventListener[] = [];
  let events: Promise<void> = Promise.resolve();
  let hot: HotState = createHotState();

  /**
   * Runs a change under the desk lock. Every change reads its records from the store first, so when
   * another instance changed one in between (a compare-and-set conflict) it runs again on what is
   * stored now: a claim that lost the race then finds the conversation taken.
   */
  const locked = <T>(fn: () => Promise<T>): Promise<T> =>
    seq('desk', async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (err) {
          if (!isConflict(err) || attempt >= LOCKED_ATTEMPTS) throw err;
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt)); // out of step with the other writer
        }
      }
    });

  /** Events reach every agent channel in order; a failing channel is logged and does not stop the others. */
  function emit(event: HandoffEvent): void {
    const version = 'record' in event ? hot.versionOf(event.record.id) : undefined;
    for (const listener of listeners) listener(event, version);
    deliver(event, channels);
  }

  /** Another instance's event: the hot state takes it (unless it is older than what it holds), viewers see it. */
  function applyRemote(event: HandoffEvent, version: number | undefined): void {
    if ('record' in event) hot.apply(event.record, version);
    if (event.type === 'agent.status') {
      hot.statuses.set(event.agentId, event.status);
      const p = hot.presence.get(event.agentId);
      if (p && event.auto !== undefined) p.auto = event.auto;
    }
    if (event.type === 'ticket.created') {
      hot.ticketKeys.set(event.key, event.ticket.id);
      if (event.ticket.handoffId) hot.dequeue(event.ticket.handoffId); // the waiting record became this ticket
    }
    deliver(
      event,
      channels.filter((ch) => ch.mirrorsRemote),
    );
  }

  function deliver(event: HandoffEvent, to: readonly AgentChannel[]): void {
    events = events.then(async () => {
      for (const ch of to) {
        try {
          await ch.onEvent(event);
        } catch (err) {
          log.error({ agentChannel: ch.name, event: event.type, code: asCodedError(err).code }, 'agent channel failed to take an event');
        }
      }
    });
  }

  function agentViews(): AgentView[] {
    return deps.agents.map((a) => withFields(a, { status: hot.statuses.get(a.id) ?? a.status, load: hot.loads.get(a.id) ?? 0 }));
  }

  function avgHandleMs(): number {
    const times = hot.handleTimes;
    return times.length ? times.reduce((s, t) => s + t, 0) / times.length : DEFAULT_HANDLE_MS;
  }

  function onlineCapacity(agents: readonly AgentView[] = agentViews()): number {
    return agents.filter((a) => a.status === 'online').reduce((s, a) => s + a.capacity, 0);
  }

  /** From the real queue: free online slots take the first customers, the present agents' capacity the rest, at the recent handle time. */
  function waitFor(position: number): number {
    const agents = agentViews();
    const present = agents.filter((a) => a.status !== 'offline').reduce((s, a) => s + a.capacity, 0);
    const free = agents.filter((a) => a.status === 'online').reduce((s, a) => s + Math.max(0, a.capacity - a.load), 0);
    return estimateWaitMs(position, present, avgHandleMs(), free);
  }

  /** Saves a changed record (compare-and-set) and moves `v.version` on; another writer in between is a conflict. */
  async function save(v: Versioned<HandoffRecord>): Promise<void> {
    if ((await data.handoffs.update(v.value, v.version)) !== 'ok') {
      catchUp(v.value.id, await data.handoffs.get(v.value.id));
      throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Handoff "${v.value.key}" was changed elsewhere meanwhile; retry the action.`);
    }
    v.version += 1;
    hot.apply(v.value, v.version);
  }

  /** A notice to a customer: written to the outbox now (durable), sent in the background. */
  async function tell(ref: ConversationRef, message: OutboundMessage): Promise<void> {
    await deps.engine().push(ref, [message], { wait: false });
  }

  async function createTicket(r: HandoffRecord, cause: Ticket['cause'], id: string): Promise<Ticket> {
    const at = now();
    const ticket: Ticket = {
      id,
      key: r.key,
      ref: r.ref,
      handoffId: r.id,
      status: 'open',
      priority: r.priority,
      locale: r.locale,
      intent: r.intent,
      customer: r.customer,
      cause,
      transcript: r.transcript,
      history: [{ at, action: 'created', detail: cause }],
      createdAt: at,
      updatedAt: at,
    };
    await data.tickets.create(ticket);
    hot.ticketKeys.set(r.key, id); // the customer's next messages go to the ticket
    emit({ type: 'ticket.created', key: r.key, ticket, at });
    return ticket;
  }

  /**
   * Turns a waiting (or orphaned) record into a ticket, out of the active set. `v.version` 0: a new
   * record, stored as a ticket at once. The record changes first (compare-and-set), so when another
   * instance took it meanwhile no ticket is made; a number taken for nothing is only a gap.
   */
  async function ticketize(v: Versioned<HandoffRecord>, cause: Ticket['cause']): Promise<Ticket> {
    const id = `T-${String(await data.meta.nextSeq('ticket')).padStart(6, '0')}`;
    Object.assign(v.value, { state: 'ticket', ticketId: id, updatedAt: now() });
    v.value.queuePosition = undefined;
    v.value.offer = undefined;
    if (v.version === 0) {
      await data.handoffs.create(v.value);
      hot.apply(v.value, 1);
    } else await save(v);
    return createTicket(v.value, cause, id);
  }

  async function assign(v: Versioned<HandoffRecord>, agent: AgentView, by: 'routing' | 'claim' | 'transfer' | 'accept'): Promise<void> {
    const r = v.value;
    Object.assign(r, { state: 'assigned', agentId: agent.id, updatedAt: now() });
    r.assignedAt ??= now();
    r.queuePosition = undefined;
    r.offer = undefined;
    await save(v);
    emit({ type: 'handoff.assigned', key: r.key, record: r, at: now(), agentId: agent.id, by });
  }

  /** Back to the queue (an agent went offline, a transfer to a skill). */
  async function requeue(v: Versioned<HandoffRecord>, change: Partial<HandoffRecord>): Promise<void> {
    const r = v.value;
    Object.assign(r, change, { state: 'queued', updatedAt: now() });
    r.agentId = undefined;
    r.offer = undefined;
    await save(v);
  }

  /** Offers a waiting conversation to an agent (it stays queued, counted in their load, until they answer). */
  async function offer(v: Versioned<HandoffRecord>, agent: AgentView): Promise<void> {
    const r = v.value;
    const at = now();
    r.offer = { agentId: agent.id, at, expiresAt: at + deps.times.offerTimeoutMs };
    r.updatedAt = at;
    await save(v);
    emit({ type: 'handoff.offered', key: r.key, record: r, at, agentId: agent.id, expiresAt: r.offer.expiresAt });
  }

  /** Ends a standing offer without an assignment; a decliner (or one who let it expire while others could take it) is passed over next time. */
  async function withdrawOffer(v: Versioned<HandoffRecord>, why: 'declined' | 'expired' | 'agent-left', passOver: boolean): Promise<void> {
    const r = v.value;
    const agentId = r.offer?.agentId;
    if (!agentId) return;
    r.offer = undefined;
    if (passOver && !r.declinedBy?.includes(agentId)) r.declinedBy = [...(r.declinedBy ?? []), agentId];
    r.updatedAt = now();
    await save(v);
    emit({ type: 'handoff.offer_withdrawn', key: r.key, record: r, at: now(), agentId, why });
  }

  /** The hot state takes what the store holds for a handoff that was not what it expected. */
  function catchUp(id: string, stored: Versioned<HandoffRecord> | undefined): void {
    if (stored) hot.apply(stored.value, stored.version);
    else hot.dequeue(id);
  }

  /**
   * Runs a change to a record routing picked; when another instance changed the record first (a
   * compare-and-set conflict), the store has its state again, and the change is skipped (undefined).
   */
  async function unlessChangedElsewhere<T>(change: () => Promise<T>): Promise<T | undefined> {
    try {
      return await change();
    } catch (err) {
      if (!isConflict(err)) throw err;
      return undefined;
    }
  }

  /** The best waiting conversation some free agent can take now, with that agent. */
  function nextRoute(agents: AgentView[]): { entry: QueuedEntry; agent: AgentView } | undefined {
    let best: { entry: QueuedEntry; agent: AgentView } | undefined;
    for (const locale of hot.locales()) {
      let looked = 0;
      for (const entry of hot.byLocale(locale).values()) {
        if (best && compareQueue(entry, best.entry) > 0) break;
        if (entry.offeredTo) continue; // waiting for that agent's answer
        const agent = pickAgent(
          { locale: entry.locale, skill: entry.skill, ...(entry.tier ? { tier: entry.tier } : {}), ...(entry.level ? { level: entry.level } : {}) },
          agents,
          entry.notTo,
        );
        if (agent) {
          best = { entry, agent };
          break;
        }
        if (++looked >= SCAN_PER_LOCALE) break;
      }
    }
    return best;
  }

  interface DispatchOutcome {
    assigned: Map<string, AgentView>;
    offered: Map<string, AgentView>;
    tickets: Map<string, Ticket>;
  }

  /**
   * Routes the queue: with every agent offline (away still counts as present), or outside business
   * hours, waiting conversations become tickets; otherwise, while some free agent can take the
   * best waiting conversation, it does. Costs O(log n) per assignment. Caller holds the lock.
   * `inTurnKey` is answered by the turn itself (no notice).
   */
  async function dispatch(inTurnKey?: string): Promise<DispatchOutcome> {
    const out: DispatchOutcome = { assigned: new Map(), offered: new Map(), tickets: new Map() };
    const open = deps.businessHours(now());
    if (!open || !agentViews().some((a) => a.status !== 'offline')) {
      await ticketizeQueue(open ? 'no-agent' : 'closed', inTurnKey, out);
      return out;
    }
    for (let route = nextRoute(agentViews()); route; route = nextRoute(agentViews())) {
      const v = await data.handoffs.get(route.entry.id);
      if (v?.value.state !== 'queued') {
        catchUp(route.entry.id, v); // changed elsewhere (another instance): the hot state catches up
        continue;
      }
      const auto = route.agent.autoAccept === true;
      const done = await unlessChangedElsewhere(async () => {
        if (auto) await assign(v, route.agent, 'routing');
        else await offer(v, route.agent);
        return true;
      });
      if (!done) continue;
      (auto ? out.assigned : out.offered).set(v.value.key, route.agent);
      // Only an agent who really took the conversation is announced; an offer is not.
      if (auto && v.value.key !== inTurnKey) await tell(v.value.ref, systemMessage(v.value.locale, 'assigned', { agent: route.agent.name }));
    }
    await tellPositions(inTurnKey);
    return out;
  }

  async function ticketizeQueue(cause: Ticket['cause'], inTurnKey: string | undefined, out: DispatchOutcome): Promise<void> {
    for (const entry of [...hot.queue.values()]) {
      const v = await data.handoffs.get(entry.id);
      if (v?.value.state !== 'queued') {
        catchUp(entry.id, v);
        continue;
      }
      const ticket = await unlessChangedElsewhere(() => ticketize(v, cause));
      if (!ticket) continue;
      out.tickets.set(v.value.key, ticket);
      if (v.value.key !== inTurnKey) await tell(v.value.ref, systemMessage(v.value.locale, cause === 'closed' ? 'ticketClosed' : 'ticketNoAgent', { ticket: ticket.id }));
    }
  }

  /**
   * The first waiting customers' places are kept on their records, and they hear the new one when it
   * moved up; the others see theirs when they write. Costs O(NOTIFY_FIRST) reads, writes only changes.
   */
  async function tellPositions(inTurnKey?: string): Promise<void> {
    let position = 0;
    for (const entry of hot.queue.values()) {
      if (++position > NOTIFY_FIRST) break;
      const v = await data.handoffs.get(entry.id);
      if (v?.value.state !== 'queued' || v.value.queuePosition === position) continue;
      const movedUp = v.value.queuePosition !== undefined && position < v.value.queuePosition;
      v.value.queuePosition = position;
      const saved = await unlessChangedElsewhere(async () => {
        await save(v);
        return true;
      });
      if (!saved) continue; // another instance moved it meanwhile (claimed it, or noted the place itself)
      emit({ type: 'handoff.queue_changed', key: v.value.key, record: v.value, at: now(), position });
      if (movedUp && v.value.key !== inTurnKey) await tell(v.value.ref, systemMessage(v.value.locale, 'position', { position, minutes: minutes(waitFor(position)) }));
    }
  }

  return {
    ...deps,
    /** When this desk started: the last sign of life of agents never seen. */
    startedAt: now(),
    locked,
    emit,
    save,
    tell,
    assign,
    offer,
    withdrawOffer,
    requeue,
    catchUp,
    agentViews,
    avgHandleMs,
    onlineCapacity,
    waitFor,
    ticketize,
    dispatch,
    get hot(): HotState {
      return hot;
    },
    /** Replaces the hot state (loaded from the store when the plugin is registered). */
    useHotState(next: HotState): void {
      hot = next;
    },
    addChannel(ch: AgentChannel): void {
      channels.push(ch);
    },
    onEvent(listener: EventListener): void {
      listeners.push(listener);
    },
    applyRemote,
    profile: (id: string) => deps.agents.find((a) => a.id === id),
    /** Resolves when every event emitted so far reached the agent channels. */
    async eventsIdle(): Promise<void> {
      let seen: Promise<void>;
      do {
        seen = events;
        await seen;
      } while (seen !== events);
    },
  };
}

export type Desk = ReturnType<typeof createDesk>;

export const isConflict = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'KEFU_ERR_STORE_CONFLICT';

export function minutes(ms: number): number {
  return Math.max(1, Math.round(ms / 60_000));
}
