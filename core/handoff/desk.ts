/**
 * The handoff desk: the state every action shares (store, agents, outbox, event bus) and the
 * routing step that assigns waiting conversations. All record changes run under one lock, and
 * code holding it never waits on a conversation (no `engine.push` or `updateSession` inside), so
 * turns and agent actions cannot deadlock.
 */
import { asCodedError } from '../errors';
import type { Logger } from '../logger';
import { createSequentializer } from '../sequentialize';
import type { BusinessHours } from './business-hours';
import type { Outbox } from './outbox';
import type { Repo } from './repo';
import { compareQueue, DEFAULT_HANDLE_MS, estimateWaitMs, pickAgent } from './routing';
import { systemMessage } from './texts';
import type { AgentChannel, AgentProfile, AgentView, HandoffEvent, HandoffRecord, Ticket, TranscriptEntry } from './types';

export const TRANSCRIPT_LIMIT = 300;

export interface DeskDeps {
  repo: Repo;
  outbox: Outbox;
  agents: readonly AgentProfile[];
  businessHours: BusinessHours;
  now: () => number;
  log: Logger;
}

export function createDesk(deps: DeskDeps) {
  const { repo, outbox, now, log } = deps;
  const seq = createSequentializer();
  const channels: AgentChannel[] = [];
  let events: Promise<void> = Promise.resolve();

  const locked = <T>(fn: () => Promise<T>): Promise<T> => seq('desk', fn);

  /** Events reach every agent channel in order; a failing channel is logged and does not stop the others. */
  function emit(event: HandoffEvent): void {
    events = events.then(async () => {
      for (const ch of channels) {
        try {
          await ch.onEvent(event);
        } catch (err) {
          log.error({ agentChannel: ch.name, event: event.type, code: asCodedError(err).code }, 'agent channel failed to take an event');
        }
      }
    });
  }

  async function agentViews(active?: HandoffRecord[]): Promise<AgentView[]> {
    const records = active ?? (await repo.allActive());
    const views: AgentView[] = [];
    for (const a of deps.agents) {
      const load = records.filter((r) => r.state === 'assigned' && r.agentId === a.id).length;
      views.push({ ...a, status: (await repo.agentStatus(a.id)) ?? a.status, load });
    }
    return views;
  }

  async function avgHandleMs(): Promise<number> {
    const times = (await repo.counters()).handleTimes;
    return times.length ? times.reduce((s, t) => s + t, 0) / times.length : DEFAULT_HANDLE_MS;
  }

  function onlineCapacity(agents: readonly AgentView[]): number {
    return agents.filter((a) => a.status === 'online').reduce((s, a) => s + a.capacity, 0);
  }

  async function createTicket(r: HandoffRecord, cause: Ticket['cause']): Promise<Ticket> {
    const counters = await repo.updateCounters((c) => {
      c.ticketSeq += 1;
    });
    const at = now();
    const ticket: Ticket = {
      id: `T-${String(counters.ticketSeq).padStart(6, '0')}`,
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
    await repo.saveTicket(ticket);
    emit({ type: 'ticket.created', key: r.key, ticket, at });
    return ticket;
  }

  /** Turns a waiting (or orphaned) record into a ticket and moves it out of the active set. */
  async function ticketize(r: HandoffRecord, cause: Ticket['cause']): Promise<Ticket> {
    const ticket = await createTicket(r, cause);
    Object.assign(r, { state: 'ticket', ticketId: ticket.id, updatedAt: now() });
    await repo.finish(r);
    return ticket;
  }

  /** Customer notices from routing, sent via the outbox (except for the conversation in the current turn). */
  async function tell(r: HandoffRecord, inTurnKey: string | undefined, msg: ReturnType<typeof systemMessage>): Promise<void> {
    if (r.key === inTurnKey) return;
    await outbox.enqueue(r.ref, [msg]);
  }

  interface DispatchOutcome {
    assigned: Map<string, AgentView>;
    tickets: Map<string, Ticket>;
    positions: Map<string, { position: number; waitMs: number }>;
  }

  /**
   * Routes the queue: with every agent offline (away still counts as present), or outside business hours, waiting conversations become
   * tickets; otherwise each, in priority order, goes to the best free agent, and those left are told
   * their new position. Caller holds the lock. `inTurnKey` is answered by the turn itself.
   */
  async function dispatch(inTurnKey?: string): Promise<DispatchOutcome> {
    const out: DispatchOutcome = { assigned: new Map(), tickets: new Map(), positions: new Map() };
    const active = await repo.allActive();
    const agents = await agentViews(active);
    const queued = active.filter((r) => r.state === 'queued').sort(compareQueue);
    const open = deps.businessHours(now());
    if (!open || !agents.some((a) => a.status !== 'offline')) {
      for (const r of queued) {
        const ticket = await ticketize(r, open ? 'no-agent' : 'closed');
        out.tickets.set(r.key, ticket);
        await tell(r, inTurnKey, systemMessage(r.locale, open ? 'ticketNoAgent' : 'ticketClosed', { ticket: ticket.id }));
      }
      return out;
    }
    const waiting: HandoffRecord[] = [];
    for (const r of queued) {
      const req = { locale: r.locale, skill: r.skill, ...(r.customer.tier ? { tier: r.customer.tier } : {}) };
      const agent = pickAgent(req, agents, r.transfers.at(-1)?.from);
      if (!agent) {
        waiting.push(r);
        continue;
      }
      agent.load += 1;
      Object.assign(r, { state: 'assigned', agentId: agent.id, assignedAt: now(), updatedAt: now() });
      r.queuePosition = undefined;
      await repo.saveActive(r);
      out.assigned.set(r.key, agent);
      emit({ type: 'handoff.assigned', key: r.key, record: r, at: now(), agentId: agent.id, by: 'routing' });
      await tell(r, inTurnKey, systemMessage(r.locale, 'assigned', { agent: agent.name }));
    }
    const handle = await avgHandleMs();
    const capacity = onlineCapacity(agents);
    for (const [i, r] of waiting.entries()) {
      const position = i + 1;
      const waitMs = estimateWaitMs(position, capacity, handle);
      out.positions.set(r.key, { position, waitMs });
      if (r.queuePosition === position) continue;
      const movedUp = r.queuePosition !== undefined && position < r.queuePosition;
      r.queuePosition = position;
      r.updatedAt = now();
      await repo.saveActive(r);
      emit({ type: 'handoff.queue_changed', key: r.key, record: r, at: now(), position });
      if (movedUp) await tell(r, inTurnKey, systemMessage(r.locale, 'position', { position, minutes: minutes(waitMs) }));
    }
    return out;
  }

  return {
    ...deps,
    locked,
    emit,
    agentViews,
    avgHandleMs,
    onlineCapacity,
    createTicket,
    ticketize,
    dispatch,
    addChannel(ch: AgentChannel): void {
      channels.push(ch);
    },
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

export function minutes(ms: number): number {
  return Math.max(1, Math.round(ms / 60_000));
}

export function pushTranscript(r: HandoffRecord, entry: TranscriptEntry): void {
  r.transcript.push(entry);
  if (r.transcript.length > TRANSCRIPT_LIMIT) r.transcript.splice(0, r.transcript.length - TRANSCRIPT_LIMIT);
}
