/**
 * `createEngine()` wires a store, a classifier and dialogs into the one entry point channels call:
 * `engine.handle(message)`. Everything else (handoff, analytics) plugs in through `use`,
 * `addHook` and `register`.
 */
import { randomUUID } from 'node:crypto';
import type { IntentClassifier } from './classifier';
import { compose } from './compose';
import type { Middleware, TurnContext } from './context';
import type { Dialog } from './dialog';
import { KefuError } from './errors';
import { type HookName, HookRegistry, type HookSignatures } from './hooks';
import { type Logger, silentLogger } from './logger';
import { type ConversationRef, conversationKey, type InboundMessage, type Locale, type OutboundMessage, type TurnResult } from './model';
import { createDialogRegistry } from './run-dialog';
import { createSequentializer } from './sequentialize';
import { HISTORY_LIMIT, pushBounded, type SessionState } from './session';
import { loadSession, saveSession } from './session-io';
import { MemoryStore, type SessionStore } from './store';
import { handleTurn, type TurnDeps } from './turn';

/** The narrow view channels get: they hand messages in and nothing else. */
export interface TurnHandler {
  handle(message: InboundMessage): Promise<TurnResult>;
}

/** A platform connection. `send` delivers messages outside a turn (agent replies, queue updates). */
export interface Channel {
  readonly name: string;
  send(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void>;
  start?(engine: TurnHandler): Promise<void>;
  stop?(): Promise<void>;
}

/** A plugin: `register` receives the engine and its options, like Fastify's `register`. */
export interface Plugin<O = void> {
  readonly name: string;
  register(engine: Engine, opts: O): void | Promise<void>;
}

export interface EngineOptions {
  classifier: IntentClassifier;
  dialogs: readonly Dialog[];
  /** Defaults to an in-memory store (not durable). */
  store?: SessionStore<SessionState>;
  logger?: Logger;
  defaultLocale?: Locale;
  /** Turn attempts when a concurrent write wins the version check (default 5). */
  maxWriteAttempts?: number;
  now?: () => number;
  newId?: () => string;
}

export interface Engine extends TurnHandler {
  readonly store: SessionStore<SessionState>;
  readonly log: Logger;
  readonly now: () => number;
  use(mw: Middleware): Engine;
  addHook<N extends HookName>(name: N, fn: HookSignatures[N]): Engine;
  register<O>(plugin: Plugin<O>, opts: O): Promise<Engine>;
  addChannel(channel: Channel): Engine;
  channel(name: string): Channel | undefined;
  /** Sends messages to a conversation outside a turn, through its channel, and records them. */
  push(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void>;
  /** Changes a session outside a turn, in the conversation's queue, with the version check. */
  updateSession(ref: ConversationRef, change: (s: SessionState) => void): Promise<SessionState>;
  /** Stops taking messages, finishes in-flight turns, runs onClose hooks, closes the store. */
  close(): Promise<void>;
}

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
  const store = opts.store ?? new MemoryStore<SessionState>();
  const log = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  let closing = false;
  const deps: TurnDeps = {
    store,
    classifier: opts.classifier,
    dialogs: createDialogRegistry(opts.dialogs),
    pipeline: (ctx: TurnContext, inner) => compose(middleware, inner)(ctx),
    hooks,
    sequentialize,
    log,
    now,
    newId: opts.newId ?? randomUUID,
    defaultLocale: opts.defaultLocale ?? 'en',
    maxWriteAttempts: opts.maxWriteAttempts ?? 5,
  };

  const engine: Engine = {
    store,
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
      await plugin.register(engine, pluginOpts);
      return engine;
    },
    addChannel(channel) {
      channels.set(channel.name, channel);
      return engine;
    },
    channel: (name) => channels.get(name),
    async push(ref, messages) {
      const channel = channels.get(ref.channel);
      if (!channel) throw new KefuError('KEFU_ERR_CHANNEL_UNKNOWN', `No channel "${ref.channel}" is registered; add it with engine.addChannel() before pushing to it.`);
      await channel.send(ref, messages);
      await engine.updateSession(ref, (s) => {
        for (const m of messages) pushBounded(s.history, { from: m.from ?? 'bot', text: m.text, at: now() }, HISTORY_LIMIT);
      });
    },
    updateSession(ref, change) {
      const key = conversationKey(ref);
      return sequentialize(key, async () => {
        for (let attempt = 1; ; attempt++) {
          const loaded = await loadSession(store, key, ref, now());
          change(loaded.value);
          loaded.value.updatedAt = now();
          if ((await saveSession(store, key, loaded.value, loaded.version)) === 'ok') return loaded.value;
          if (attempt >= deps.maxWriteAttempts) throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Session ${key} kept changing during an update; retry it.`);
        }
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      await sequentialize.idle();
      await hooks.run('onClose');
      for (const c of channels.values()) await c.stop?.();
      await store.close();
    },
  };
  return engine;
}
