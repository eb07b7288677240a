/**
 * Human handoff: escalation, queue and routing, agents, tickets, CSAT. Channel-agnostic; agent
 * channels (Slack threads, the web console) implement {@link AgentChannel} and call the service.
 * Records live in the engine's data (`engine.data.handoffs`, `.tickets`); customer notices and
 * agent replies leave through the engine's durable outbox.
 * @example
 * const { service, plugin } = createHandoff({ agents: DEMO_AGENTS, businessHours: '1-5 09:00-18:00 Asia/Shanghai' });
 * await engine.register(plugin, undefined);
 * service.addAgentChannel(consoleChannel);
 */
import { pageLimit } from '../../core/data';
import type { Engine, Plugin } from '../../core/engine';
import { asCodedError, KefuError } from '../../core/errors';
import { type Logger, silentLogger } from '../../core/logger';
import { DEMO_AGENTS, parseAgents } from './agents';
import { parseBusinessHours } from './business-hours';
import { createConversationActions } from './conversation-actions';
import { createDesk, type Desk } from './desk';
import { createExpertActions, DEFAULT_LEVELS } from './expert';
import { agentStatusMeta, loadHotState, presenceFrom, type StoredStatus } from './hot-state';
import { createOfferActions } from './offers';
import { createPresence } from './presence';
import { computeMetrics, handoffsBetween } from './metrics';
import { createHandoffPlugin } from './plugin';
import { INTENT_SKILLS } from './routing';
import { failure, guard } from './results';
import { createSignals, isSignal, signalActions } from './signals';
import { createTicketActions } from './ticket-actions';
import type { AgentLevel, AgentProfile, AgentView, HandoffOptions, HandoffService, LevelPolicy, PresenceTimes } from './types';

export { DEMO_AGENTS, parseAgents, parseAgentsJson } from './agents';
export { type BusinessHours, parseBusinessHours } from './business-hours';
export type { HandoffSessionData } from './conversation-actions';
export { type CsatStats, type DurationStats, durationStats, type HandoffStats, handoffsBetween, METRICS_WINDOW_MS, summarizeHandoffs } from './metrics';
export { createOrderTree, type OrderTree } from './order-tree';
export type { HandoffTurnNote } from './plugin';
export { compareQueue, INTENT_SKILLS, pickAgent, priorityFor, type RouteRequest, skillForIntent, topicIntent } from './routing';
export { CANCEL_PAYLOAD, CSAT_PAYLOAD_PREFIX, isCancel, parseCsat } from './texts';
export type * from './types';
export { DEFAULT_LEVELS } from './expert';
export { type SlaTimes, slaClockStart } from './sla';
export { AGENT_LEVELS, STAFF_ROLES } from './types';

/** Presence and offer times unless `presence` says otherwise (the server sets them from config). */
export const DEFAULT_PRESENCE_TIMES: Readonly<PresenceTimes> = {
  awayAfterMs: 120_000,
  offlineAfterMs: 15 * 60_000,
  disconnectGraceMs: 30_000,
  offerTimeoutMs: 30_000,
  ticketReopenMs: 7 * 86_400_000,
};
const DEFAULT_TICK_MS = 5_000;

export function createHandoff(opts: HandoffOptions = {}): { service: HandoffService; plugin: Plugin<void> } {
  // The one live list: the desk reads it on every use, and `addAgent` appends to it at runtime.
  const agents: AgentProfile[] = parseAgents(opts.agents ?? DEMO_AGENTS, 'agents option');
  const businessHours = parseBusinessHours(opts.businessHours ?? 'always');
  let engine: Engine | undefined;
  let desk: Desk | undefined;

  const d = (): Desk => {
    if (!desk) throw new KefuError('KEFU_ERR_HANDOFF_NOT_REGISTERED', 'The handoff service was used before its plugin was registered; call `await engine.register(plugin)` first.');
    return desk;
  };
  const lazy =
    <A extends unknown[], R>(pick: (desk: Desk) => (...args: A) => R) =>
    (...args: A): R =>
      pick(d())(...args);
  const conv = (x: Desk) => createConversationActions(x);
  const tickets = (x: Desk) => createTicketActions(x);
  const signals = createSignals(() => d().log); // typing and seen: shown, never stored (signals.ts)

  const presence = (x: Desk) => createPresence(x);
  const offers = (x: Desk) => createOfferActions(x);
  const times: PresenceTimes = { ...DEFAULT_PRESENCE_TIMES, ...opts.presence };
  const levels: Record<AgentLevel, LevelPolicy> = {
    agent: { ...DEFAULT_LEVELS.agent, ...opts.levels?.agent },
    expert: { ...DEFAULT_LEVELS.expert, ...opts.levels?.expert },
  };
  const expert = (x: Desk) => createExpertActions(x);
  let ticker: ReturnType<typeof setInterval> | undefined;

  const service: HandoffService = {
    claim: lazy((x) => conv(x).claim),
    reply: lazy((x) => conv(x).reply),
    note: lazy((x) => conv(x).note),
    resolve: lazy((x) => conv(x).resolve),
    transfer: lazy((x) => conv(x).transfer),
    escalateToExpert: lazy((x) => expert(x).escalateToExpert),
    listTickets: lazy((x) => tickets(x).listTickets),
    getTicket: lazy((x) => tickets(x).getTicket),
    updateTicket: lazy((x) => tickets(x).updateTicket),
    answerTicket: lazy((x) => tickets(x).answerTicket),
    setTicketLink: lazy((x) => tickets(x).setTicketLink),
    findTicketByLink: lazy((x) => tickets(x).findTicketByLink),
    ...signalActions(d, signals),
    setAgentStatus: lazy((x) => presence(x).setAgentStatus),
    heartbeat: lazy((x) => presence(x).heartbeat),
    presenceLost: lazy((x) => presence(x).presenceLost),
    accept: lazy((x) => offers(x).accept),
    decline: lazy((x) => offers(x).decline),
    async tick() {
      const x = d();
      await presence(x).sweepPresence();
      await offers(x).expireOffers();
      await expert(x).checkSla();
    },
    setLink: (key, name, value, opts = {}) =>
      guard(async () => {
        const x = d();
        return x.locked(async () => {
          const v = await x.data.handoffs.active(key);
          if (!v) return failure('KEFU_ERR_HANDOFF_NOT_FOUND', `No active handoff for conversation "${key}".`);
          if (opts.recordId !== undefined && v.value.id !== opts.recordId)
            return failure('KEFU_ERR_HANDOFF_NOT_FOUND', `Handoff ${opts.recordId} of conversation "${key}" has ended.`);
          v.value.links[name] = value;
          await x.save(v);
          return { ok: true as const, record: v.value };
        });
      }),
    findByLink: async (name, value) => (await d().data.handoffs.byLink(name, value))?.value,
    findAgentByHandle: (channel, handle) => agents.find((a) => a.handles?.[channel] === handle),
    agents: async () => d().agentViews(),
    addAgent: (profile) =>
      guard(async () => {
        const x = d();
        const [agent] = parseAgents([profile], `new agent "${String(profile?.id)}"`) as [AgentProfile];
        return x.locked(async () => {
          if (!x.profile(agent.id)) {
            const stored = await x.data.meta.get<StoredStatus>(agentStatusMeta(agent.id));
            x.hot.statuses.set(agent.id, stored?.value.status ?? agent.status);
            x.hot.presence.set(agent.id, presenceFrom(stored?.value));
            agents.push(agent);
            await x.dispatch(); // an agent who starts online may take waiting conversations now
          }
          return { ok: true as const, agent: x.agentViews().find((a) => a.id === agent.id) as AgentView };
        });
      }),
    async queue(req = {}) {
      const x = d();
      const page = await x.data.handoffs.queue(req);
      let fallback = 0;
      const items = page.items.map((record) => {
        fallback += 1;
        const position = x.hot.position(record.id) ?? fallback;
        return { record, position, estimatedWaitMs: x.waitFor(position) };
      });
      return page.next ? { items, next: page.next } : { items };
    },
    queueSize: () => d().hot.queue.size,
    list: (filter, req = {}) => d().data.handoffs.list(filter, req),
    async get(key) {
      const x = d();
      // The hot state knows every conversation with an active handoff (a superset): the others skip that query.
      const active = x.hot.isActive(key) ? await x.data.handoffs.active(key) : undefined;
      return (active ?? (await x.data.handoffs.latest(key)))?.value;
    },
    async transcript(key, o = {}) {
      const limit = pageLimit({ limit: o.limit ?? 100 });
      if (o.after !== undefined) return d().data.messages.after(key, o.after, limit, 'staff');
      return d().data.messages.before(key, o.before, limit, 'staff');
    },
    addAgentChannel: (ch) => {
      d().addChannel(ch);
      signals.addChannel(ch);
    },
    onEvent: (listener) => {
      d().onEvent(listener);
      signals.addListener(listener);
    },
    applyRemote: (event, version) => (isSignal(event) ? signals.show(event) : d().applyRemote(event, version)),
    async metrics() {
      await engine?.counters.flush();
      return computeMetrics(d());
    },
    records: (range) => handoffsBetween(d(), range.from, range.to),
    flushOutbox: async () => {
      if (!engine) return 0;
      return engine.delivery.retryAll();
    },
    async idle() {
      const x = d();
      await engine?.delivery.idle();
      await x.eventsIdle();
      await engine?.counters.flush();
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
      ...(opts.escalationLimit ? { escalationLimit: opts.escalationLimit } : {}),
    },
    {
      async attach(e) {
        engine = e;
        const log: Logger = opts.logger ?? e.log ?? silentLogger;
        const x = createDesk({ data: e.data, agents, businessHours, times, levels, now: opts.now ?? e.now, log, engine: () => e });
        x.useHotState(await loadHotState(e.data, agents));
        desk = x;
        const every = opts.tickMs ?? DEFAULT_TICK_MS;
        if (every > 0) {
          ticker = setInterval(() => void service.tick().catch((err: unknown) => log.error({ code: asCodedError(err).code }, 'handoff tick failed')), every);
          ticker.unref();
        }
      },
      async close() {
        if (ticker) clearInterval(ticker);
        await desk?.eventsIdle();
      },
    },
  );
  return { service, plugin };
}
