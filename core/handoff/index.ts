/**
 * Human handoff: escalation, queue and routing, agents, tickets, CSAT. Channel-agnostic; agent
 * channels (Slack threads, the web console) implement {@link AgentChannel} and call the service.
 * @example
 * const { service, plugin } = createHandoff({ agents: DEMO_AGENTS, businessHours: '1-5 09:00-18:00 Asia/Shanghai' });
 * await engine.register(plugin, undefined);
 * service.addAgentChannel(consoleChannel);
 */
import type { Engine, Plugin } from '../engine';
import { KefuError } from '../errors';
import { type Logger, silentLogger } from '../logger';
import type { SessionStore } from '../store';
import { DEMO_AGENTS, parseAgents } from './agents';
import { parseBusinessHours } from './business-hours';
import { createConversationActions } from './conversation-actions';
import { createDesk, type Desk } from './desk';
import { computeMetrics } from './metrics';
import { createOutbox } from './outbox';
import { type CounterDelta, createHandoffPlugin } from './plugin';
import { createRepo } from './repo';
import { compareQueue, estimateWaitMs, INTENT_SKILLS } from './routing';
import { failure, guard, knownAgent, isFailure } from './results';
import { createTicketActions } from './ticket-actions';
import type { AgentStatus, HandoffOptions, HandoffService } from './types';

export { DEMO_AGENTS, parseAgents, parseAgentsJson } from './agents';
export { type BusinessHours, parseBusinessHours } from './business-hours';
export type { HandoffSessionData } from './conversation-actions';
export { type CsatStats, type DurationStats, durationStats, type HandoffStats, summarizeHandoffs } from './metrics';
export { compareQueue, INTENT_SKILLS, pickAgent, priorityFor, type RouteRequest, skillForIntent, topicIntent } from './routing';
export { CANCEL_PAYLOAD, CSAT_PAYLOAD_PREFIX, isCancel, parseCsat } from './texts';
export type * from './types';

const STATUSES: readonly AgentStatus[] = ['online', 'away', 'offline'];
const COUNTER_FLUSH_MS = 1000;

export function createHandoff(opts: HandoffOptions = {}): { service: HandoffService; plugin: Plugin<void> } {
  const agents = parseAgents(opts.agents ?? DEMO_AGENTS, 'agents option');
  const businessHours = parseBusinessHours(opts.businessHours ?? 'always');
  const now = opts.now ?? Date.now;
  let log: Logger = opts.logger ?? silentLogger;
  let engine: Engine | undefined;
  let desk: Desk | undefined;
  let delta: CounterDelta = { turns: 0, conversations: 0, botTurns: 0, escalatedConversations: 0 };
  let flushTimer: NodeJS.Timeout | undefined;

  const engineOrThrow = (): Engine => {
    if (!engine) throw new KefuError('KEFU_ERR_HANDOFF_NOT_REGISTERED', 'Register the handoff plugin on an engine (engine.register(plugin)) before delivering messages.');
    return engine;
  };
  const build = (store: SessionStore<unknown>): Desk => {
    const repo = createRepo(store);
    const outbox = createOutbox({ repo, push: (ref, msgs) => engineOrThrow().push(ref, msgs), now, log, retryDelaysMs: opts.retryDelaysMs ?? [1000, 5000, 30_000, 120_000] });
    return createDesk({ repo, outbox, agents, businessHours, now, log });
  };
  if (opts.store) desk = build(opts.store);
  const d = (): Desk => {
    if (!desk)
      throw new KefuError(
        'KEFU_ERR_HANDOFF_NOT_REGISTERED',
        'The handoff service was used before its plugin was registered; call engine.register(plugin) first or pass `store` to createHandoff.',
      );
    return desk;
  };

  async function flushCounters(): Promise<void> {
    const pending = delta;
    delta = { turns: 0, conversations: 0, botTurns: 0, escalatedConversations: 0 };
    if (!pending.turns || !desk) return;
    await desk.locked(() =>
      d().repo.updateCounters((c) => {
        c.turns += pending.turns;
        c.conversations += pending.conversations;
        c.botTurns += pending.botTurns;
        c.escalatedConversations += pending.escalatedConversations;
      }),
    );
  }

  const lazy =
    <A extends unknown[], R>(pick: (desk: Desk) => (...args: A) => R) =>
    (...args: A): R =>
      pick(d())(...args);
  const conv = (x: Desk) => createConversationActions(x, engineOrThrow);
  const tickets = (x: Desk) => createTicketActions(x);

  const service: HandoffService = {
    claim: lazy((x) => conv(x).claim),
    reply: lazy((x) => conv(x).reply),
    note: lazy((x) => conv(x).note),
    resolve: lazy((x) => conv(x).resolve),
    transfer: lazy((x) => conv(x).transfer),
    listTickets: lazy((x) => tickets(x).listTickets),
    getTicket: lazy((x) => tickets(x).getTicket),
    updateTicket: lazy((x) => tickets(x).updateTicket),
    answerTicket: lazy((x) => tickets(x).answerTicket),
    setAgentStatus: (agentId, status) =>
      guard(async () => {
        const x = d();
        const agent = knownAgent(x, agentId);
        if (isFailure(agent)) return agent;
        if (!STATUSES.includes(status)) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `status must be one of ${STATUSES.join(', ')} (got "${status}").`);
        const view = await x.locked(async () => {
          await x.repo.saveAgentStatus(agentId, status);
          x.emit({ type: 'agent.status', agentId, status, at: now() });
          if (status === 'offline') {
            // Conversations of an agent who left go back to the queue (or become tickets).
            for (const r of await x.repo.allActive()) {
              if (r.state !== 'assigned' || r.agentId !== agentId) continue;
              r.transfers.push({ from: agentId, at: now() });
              Object.assign(r, { state: 'queued', updatedAt: now() });
              r.agentId = undefined;
              await x.repo.saveActive(r);
            }
          }
          await x.dispatch();
          return (await x.agentViews()).find((a) => a.id === agentId);
        });
        void x.outbox.drain();
        return { ok: true as const, agent: view ?? { ...agent, status, load: 0 } };
      }),
    setLink: (key, name, value) =>
      guard(async () => {
        const x = d();
        return x.locked(async () => {
          const r = await x.repo.active(key);
          if (!r) return failure('KEFU_ERR_HANDOFF_NOT_FOUND', `No active handoff for conversation "${key}".`);
          r.links[name] = value;
          await x.repo.saveActive(r);
          return { ok: true as const, record: r };
        });
      }),
    async findByLink(name, value) {
      const x = d();
      const active = (await x.repo.allActive()).find((r) => r.links[name] === value);
      return active ?? (await x.repo.allDone()).reverse().find((r) => r.links[name] === value);
    },
    findAgentByHandle: (channel, handle) => agents.find((a) => a.handles?.[channel] === handle),
    agents: () => d().agentViews(),
    async queue() {
      const x = d();
      const active = await x.repo.allActive();
      const capacity = x.onlineCapacity(await x.agentViews(active));
      const handle = await x.avgHandleMs();
      return active
        .filter((r) => r.state === 'queued')
        .sort(compareQueue)
        .map((record, i) => ({ record, position: i + 1, estimatedWaitMs: estimateWaitMs(i + 1, capacity, handle) }));
    },
    active: async () => (await d().repo.allActive()).sort(compareQueue),
    async get(key) {
      const x = d();
      return (await x.repo.active(key)) ?? (await x.repo.lastDone(key))?.record;
    },
    addAgentChannel: (ch) => d().addChannel(ch),
    async metrics() {
      await flushCounters();
      return computeMetrics(d());
    },
    async records(range) {
      const x = d();
      const all = [...(await x.repo.allActive()), ...(await x.repo.allDone())];
      return all.filter((r) => r.requestedAt >= range.from && r.requestedAt < range.to).sort((a, b) => a.requestedAt - b.requestedAt || (a.key < b.key ? -1 : 1));
    },
    flushOutbox: () => d().outbox.drain(true),
    async idle() {
      const x = d();
      await x.outbox.idle();
      await x.eventsIdle();
      await flushCounters();
    },
  };

  const plugin = createHandoffPlugin(
    d,
    {
      afterFallbacks: opts.afterFallbacks ?? 2,
      angerThreshold: opts.angerThreshold ?? 0.6,
      rules: opts.rules ?? [],
      priorityTiers: opts.priorityTiers ?? ['vip'],
      intentSkills: { ...INTENT_SKILLS, ...opts.intentSkills },
    },
    {
      attach(e) {
        engine = e;
        if (!opts.logger) log = e.log;
        desk ??= build(e.store as SessionStore<unknown>);
      },
      countTurn(c) {
        delta.turns += c.turns;
        delta.conversations += c.conversations;
        delta.botTurns += c.botTurns;
        delta.escalatedConversations += c.escalatedConversations;
        if (!flushTimer) {
          flushTimer = setTimeout(() => {
            flushTimer = undefined;
            void flushCounters().catch((err: unknown) => log.warn({ err: String(err) }, 'handoff counters not saved'));
          }, COUNTER_FLUSH_MS);
          flushTimer.unref();
        }
      },
      async close() {
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = undefined;
        await flushCounters();
        const x = d();
        x.outbox.stop();
        await x.outbox.idle();
        await x.eventsIdle();
      },
    },
  );
  return { service, plugin };
}
