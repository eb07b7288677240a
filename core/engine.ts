/**
 * `createEngine()` wires the data, a classifier and dialogs into the one entry point channels call:
 * `engine.handle(message)`. Everything else (handoff, analytics) plugs in through `use`,
 * `addHook` and `register`.
 */
import { randomUUID } from 'node:crypto';
import type { IntentClassifier } from './classifier';
import { compose } from './compose';
import type { Middleware, TurnContext } from './context';
import { type CounterBuffer, createCounterBuffer } from './counter-buffer';
import { createMemoryData, type MessageInput, type Repositories, type StoredMessage } from './data';
import { createDelivery, type Delivery, type LaneLeases } from './delivery';
import type { Dialog } from './dialog';
import { KefuError } from './errors';
import { type HookName, HookRegistry, type HookSignatures } from './hooks';
import { type Logger, silentLogger } from './logger';
import { type ConversationRef, conversationKey, type InboundMessage, type Locale, type OutboundMessage, type TurnResult } from './model';
import { withFields } from './objects';
import type { SendVerdict } from './outbox';
import { createDialogRegistry } from './run-dialog';
import { createSequentializer } from './sequentialize';
import type { SessionState } from './session';
import { commitTurn, loadSession, withStoreRetry } from './session-io';
import { handleTurn, type ReplyRouting, type TurnDeps } from './turn';

/** The narrow view channels get: they hand messages in and nothing else. */
export interface TurnHandler {
  handle(message: InboundMessage): Promise<TurnResult>;
}

/**
 * What a channel that can answer inline (WeChat's passive reply) also gets: its replies are held in
 * the outbox for `inlineReplyMs`; it says whether they went out in the HTTP answer ('sent') or must
 * leave through the outbox now ('release'). Held replies nobody settles are sent when the hold ends.
 */
export interface InlineReplies {
  settleHeld(result: TurnResult, outcome: 'sent' | 'release'): Promise<void>;
}

/**
 * How a channel's messages reach the customer:
 *  - 'outbox': the engine's durable outbox sends turn replies and pushes through `send` (retried,
 *    in order, across restarts);
 *  - 'response': turn replies go back in the HTTP response; pushes are kept in the conversation's
 *    messages for the client to fetch, and `send` only tells connected clients (the web chat);
 *  - 'self' (default, kefu 0.1 adapters): the adapter sends turn replies itself; pushes use the outbox.
 */
export type DeliveryMode = 'outbox' | 'response' | 'self';

/** A platform connection. `send` delivers messages to a conversation (outbox items, pushes). */
export interface Channel {
  readonly name: string;
  readonly delivery?: DeliveryMode;
  /** 'outbox' channels that may answer inline first (WeChat's passive reply): replies wait this long before the outbox sends them. */
  readonly inlineReplyMs?: number;
  /** Sends messages; throws when the platform did not take them. 'response' channels resolve `{ live: true }` when a connected client got them. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most channels have nothing to report and resolve to nothing
  send(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void | { live: boolean }>;
  /** How a `send` error is retried (default: every error is transient). */
  classifySendError?(err: unknown): SendVerdict;
  start?(engine: TurnHandler): Promise<void>;
  stop?(): Promise<void>;
}

/** A plugin: `register` receives the engine and its options, like Fastify's `register`. */
export interface Plugin<O = void> {
  readonly name: string;
  /** Plugins this one cannot work without: they must be registered first (else KEFU_ERR_PLUGIN_ORDER). */
  readonly needs?: readonly string[];
  /**
   * Plugins that, when present, must run first (their middleware before this one's, their per-turn
   * state on the context by then): registering one of them after this one is KEFU_ERR_PLUGIN_ORDER.
   */
  readonly after?: readonly string[];
  register(engine: Engine, opts: O): void | Promise<void>;
}

export interface EngineOptions {
  classifier: IntentClassifier;
  dialogs: readonly Dialog[];
  /** Where sessions, messages and the rest live. Default: in memory (not durable). */
  data?: Repositories;
  logger?: Logger;
  defaultLocale?: Locale;
  /** Turn attempts when a concurrent write wins the version check (default 5). */
  maxWriteAttempts?: number;
  /** Outbox retry waits (see `createDelivery`). */
  retryDelaysMs?: readonly number[];
  /** Outbox lane leases shared with other instances (multi-instance mode). */
  leases?: LaneLeases;
  now?: () => number;
  newId?: () => string;
}

/** What `engine.push` stored, and whether it reached the customer yet. */
export interface PushResult {
  messages: StoredMessage[];
  /** 'sent': the platform (or a connected client) took it; 'queued': kept and retried or fetched later; 'failed': refused for good. */
  state: 'sent' | 'queued' | 'failed';
}

export interface Engine extends TurnHandler, InlineReplies {
  readonly data: Repositories;
  readonly delivery: Delivery;
  /** Counters summed in memory and written once a second (analytics, handoff totals). */
  readonly counters: CounterBuffer;
  readonly log: Logger;
  readonly now: () => number;
  use(mw: Middleware): Engine;
  addHook<N extends HookName>(name: N, fn: HookSignatures[N]): Engine;
  register<O>(plugin: Plugin<O>, opts: O): Promise<Engine>;
  addChannel(channel: Channel): Engine;
  channel(name: string): Channel | undefined;
  /**
   * Sends messages to a conversation outside a turn (agent replies, queue updates): stored in the
   * conversation's messages first (durable), then delivered. With `wait` (default) it resolves
   * after the first delivery attempt, with its outcome; without, right after the write.
   */
  push(ref: ConversationRef, messages: readonly PushMessage[], opts?: { wait?: boolean }): Promise<PushResult>;
  /**
   * Changes a session outside a turn, in the conversation's queue, with the version check. A
   * `change` that returns `false` changed nothing: no write (a read in the conversation's queue).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most changes return nothing; `false` means "nothing changed"
  updateSession(ref: ConversationRef, change: (s: SessionState) => void | false): Promise<SessionState>;
  /** Stops taking messages, finishes in-flight turns and deliveries, runs onClose hooks, closes the data. */
  close(): Promise<void>;
}

/**
 * A pushed message: an outbound message, or an internal note (`from: 'note'`, kept for staff, never
 * sent). `agentId` records which agent wrote an agent message or a note, and `desk` where ('console',
 * 'slack'); staff see them, customers never do.
 */
export type PushMessage = (OutboundMessage & { agentId?: string; desk?: string }) | (Omit<OutboundMessage, 'from'> & { from: 'note'; agentId?: string; desk?: string });

/**
 * @example
 * const engine = createEngine({ classifier, dialogs: [greeting, fallback] });
 * const { replies } = await engine.handle({ channel: 'web', conversationId: 'c1', userId: 'u1', text: 'hi' });
 */
export function createEngine(opts: EngineOptions): Engine {
  const hooks = new HookRegistry();
  const middleware: Middleware[] = [];
  const channels = new Map<string, Channel>();
  const sequentialize = createSequentializer();
  const data = opts.data ?? createMemoryData();
  const log = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  const newId = opts.newId ?? randomUUID;
  const delivery = createDelivery({
    data,
    channel: (name) => channels.get(name),
    log,
    now,
    ...(opts.retryDelaysMs ? { retryDelaysMs: opts.retryDelaysMs } : {}),
    ...(opts.leases ? { leases: opts.leases } : {}),
  });
  const counters = createCounterBuffer(() => data.counters, log);
  let closing = false;
  const registered = new Map<string, Plugin<never>>(); // by name, in the order they were registered
  const routing = (name: string): ReplyRouting => {
    const c = channels.get(name);
    return { outbox: c?.delivery === 'outbox', holdMs: c?.inlineReplyMs ?? 0 };
  };
  const deps: TurnDeps = {
    data,
    classifier: opts.classifier,
    dialogs: createDialogRegistry(opts.dialogs),
    pipeline: (ctx: TurnContext, inner) => compose(middleware, inner)(ctx),
    hooks,
    sequentialize,
    log,
    now,
    newId,
    defaultLocale: opts.defaultLocale ?? 'en',
    maxWriteAttempts: opts.maxWriteAttempts ?? 5,
    routing,
    // The turn's replies get their first try before handle() resolves, so a channel's turn ends with
    // its replies sent; a slow platform does not hold the turn longer than the budget (the outbox goes on).
    delivered: (key, held) => (held ? delivery.kick(key) : withinBudget(delivery.flush(key), INLINE_DELIVERY_BUDGET_MS)),
  };

  async function push(ref: ConversationRef, messages: readonly PushMessage[], pushOpts: { wait?: boolean } = {}): Promise<PushResult> {
    const channel = channels.get(ref.channel);
    if (!channel) throw new KefuError('KEFU_ERR_CHANNEL_UNKNOWN', `No channel "${ref.channel}" is registered; add it with engine.addChannel() before pushing to it.`);
    const viaOutbox = channel.delivery !== 'response';
    const at = now();
    const inputs = messages.map((m): MessageInput => withFields(m, { id: newId(), at, from: m.from ?? 'bot', ...(viaOutbox && m.from !== 'note' ? { deliver: true } : {}) }));
    const key = conversationKey(ref);
    const committed = await commitTurn(data, { key, ref, messages: inputs });
    const stored = committed.ok ? committed.messages : [];
    const outgoing = stored.filter((m) => m.from !== 'note');
    if (!outgoing.length) return { messages: stored, state: 'sent' };
    if (!viaOutbox) return { messages: stored, state: await notify(channel, ref, outgoing) };
    if (pushOpts.wait === false) {
      delivery.kick(key);
      return { messages: stored, state: 'queued' };
    }
    await delivery.flush(key);
    return { messages: stored, state: await stateOf(key, outgoing) };
  }

  /** A 'response' channel: tell connected clients; the messages are kept for the others to fetch. */
  async function notify(channel: Channel, ref: ConversationRef, stored: StoredMessage[]): Promise<'sent' | 'queued'> {
    try {
      const res = await channel.send(ref, stored.map(toPushed));
      return res?.live ? 'sent' : 'queued';
    } catch {
      return 'queued';
    }
  }

  async function stateOf(key: string, stored: StoredMessage[]): Promise<PushResult['state']> {
    const first = stored[0]?.seq ?? 0;
    const after = await data.messages.after(key, first - 1, Math.min(500, Math.max(1, stored.length)), 'staff');
    const states = after.filter((m) => stored.some((s) => s.seq === m.seq)).map((m) => m.delivery?.state);
    if (states.includes('failed')) return 'failed';
    return states.every((s) => s === 'sent') ? 'sent' : 'queued';
  }

  async function settleHeld(result: TurnResult, outcome: 'sent' | 'release'): Promise<void> {
    const held = (result.messages ?? []).filter((m) => m.delivery?.state === 'pending');
    const key = held[0]?.key;
    if (!key) return;
    const seqs = held.map((m) => m.seq);
    if (outcome === 'sent') return withStoreRetry('mark replies sent', () => data.messages.markSent(key, seqs, now()));
    await withStoreRetry('release held replies', () => data.messages.release(key, seqs, now()));
    await withinBudget(delivery.flush(key), INLINE_DELIVERY_BUDGET_MS);
  }

  const engine: Engine = {
    data,
    settleHeld,
    delivery,
    counters,
    log,
    now,
    async handle(message) {
      if (closing) throw new KefuError('KEFU_ERR_ENGINE_CLOSED', 'The engine is shutting down and takes no new messages; the platform should retry later.');
      return handleTurn(deps, message);
    },
    use(mw) {
      middleware.push(mw);
      return engine;
    },
    addHook(name, fn) {
      hooks.add(name, fn);
      return engine;
    },
    async register(plugin, pluginOpts) {
      checkPluginOrder(plugin, registered);
      await plugin.register(engine, pluginOpts);
      registered.set(plugin.name, plugin);
      return engine;
    },
    addChannel(channel) {
      channels.set(channel.name, channel);
      void delivery.resume(channel.name); // messages the outbox kept for this channel get a try now
      return engine;
    },
    channel: (name) => channels.get(name),
    push,
    updateSession(ref, change) {
      const key = conversationKey(ref);
      return sequentialize(key, async () => {
        for (let attempt = 1; ; attempt++) {
          const loaded = await loadSession(data, key, ref, now());
          if (change(loaded.value) === false) return loaded.value;
          loaded.value.updatedAt = now();
          if ((await commitTurn(data, { key, ref, session: { value: loaded.value, expectedVersion: loaded.version }, messages: [] })).ok) return loaded.value;
          if (attempt >= deps.maxWriteAttempts) throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Session ${key} kept changing during an update; retry it.`);
        }
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      await sequentialize.idle();
      await hooks.run('onClose');
      await counters.close();
      await delivery.stop();
      for (const c of channels.values()) await c.stop?.();
      await data.close();
    },
  };
  return engine;
}

/** How long a turn waits for its replies' first send attempt (outbox channels). */
const INLINE_DELIVERY_BUDGET_MS = 2000;

function withinBudget(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, budget]).finally(() => clearTimeout(timer));
}

/** A stored message as a connected client receives it (with its seq, the client's cursor). */
function toPushed(m: StoredMessage): OutboundMessage & { seq: number; id: string } {
  const from = m.from === 'agent' || m.from === 'system' ? m.from : 'bot';
  return {
    text: m.text,
    locale: m.locale ?? 'en',
    from,
    seq: m.seq,
    id: m.id,
    ...(m.quickReplies ? { quickReplies: m.quickReplies } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
  };
}

/** What a plugin declares about its order: `needs` registered before it, and no plugin registered already that should run after it. */
function checkPluginOrder(plugin: Plugin<never>, registered: ReadonlyMap<string, Plugin<never>>): void {
  const order = (message: string) => new KefuError('KEFU_ERR_PLUGIN_ORDER', message);
  if (registered.has(plugin.name)) throw order(`Plugin "${plugin.name}" is registered twice.`);
  const missing = (plugin.needs ?? []).filter((name) => !registered.has(name));
  if (missing.length) throw order(`Plugin "${plugin.name}" needs ${missing.map((m) => `"${m}"`).join(', ')} registered before it; register that first.`);
  const before = [...registered.values()].filter((p) => p.after?.includes(plugin.name)).map((p) => `"${p.name}"`);
  if (before.length) throw order(`Plugin "${plugin.name}" must be registered before ${before.join(', ')}, which runs after it; change the order.`);
}
