/**
 * The channel runtime: the part of every channel that is not about its platform, written once.
 * An adapter verifies the platform's request, normalizes it into an {@link InboundMessage}, and
 * hands it to `runtime.receive`; the runtime then
 *  - queues it behind the conversation's earlier messages (arrival order, retries included),
 *  - on a text-only channel, maps a typed "2" to the second option of the menu last shown there
 *    (kept in the session: see numbered-menus.ts),
 *  - runs the turn (`engine.handle`: re-delivered platform message ids are dropped there, from the
 *    ids kept in the session, so no adapter keeps its own map), retrying transient failures when
 *    the platform will not re-deliver,
 * and the engine's durable outbox delivers the replies through `runtime.channel.send`, which calls
 * the adapter's `send` (render + platform call) and, on text-only channels, records the menu shown.
 * The adapter's `classifySendError` tells the outbox which platform errors are permanent.
 */
import type { Channel, DeliveryMode, InlineReplies, TurnHandler } from './engine';
import { isKefuError, KefuError } from './errors';
import { type Logger, silentLogger } from './logger';
import { type ConversationRef, conversationKey, type InboundMessage, type OutboundMessage, type TurnResult } from './model';
import { couldAnswerMenu, liveMenu, type MenuItem, menuAfter, menuItems, resolveMenuAnswer } from './numbered-menus';
import { withFields } from './objects';
import type { SendVerdict } from './outbox';
import { createSequentializer } from './sequentialize';
import type { SessionState } from './session';

/**
 * What a platform adapter gives the runtime: the contract every adapter implements.
 * @example
 * const runtime = createChannelRuntime({
 *   name: 'smoke-signals',
 *   quickReplies: 'numbered', // no buttons: options go out as "1. Orders" lines
 *   async send(ref, messages) {
 *     for (const m of messages) await api.post(ref.conversationId, renderText(m)); // throws when refused
 *   },
 *   classifySendError: (err) => (err instanceof ApiError && err.status < 500 ? { kind: 'permanent', code: 'KEFU_ERR_CHANNEL_SEND_FAILED' } : { kind: 'retry' }),
 * });
 * const channel: Channel = { ...runtime.channel, start: async (engine) => runtime.attach(engine) };
 * engine.addChannel(channel);
 * // in the webhook, after verify + normalize:
 * const result = await runtime.receive(inbound);
 */
export interface PlatformAdapter {
  /** The channel name in conversation refs and keys ('telegram', 'wechat'). */
  readonly name: string;
  /**
   * 'buttons': the platform shows quick replies itself and a press comes back as a payload.
   * 'numbered': text only; the adapter renders options as numbered lines (`optionLine`) and the
   * runtime maps answers back to payloads.
   */
  readonly quickReplies: 'buttons' | 'numbered';
  /** How replies leave (default 'outbox'); see {@link DeliveryMode}. */
  readonly delivery?: DeliveryMode;
  /** 'outbox' channels that may answer inline first (WeChat's passive reply): see `Channel.inlineReplyMs`. */
  readonly inlineReplyMs?: number;
  /** Renders the messages and makes the platform calls, in order; throws when the platform did not take one. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most channels have nothing to report and resolve to nothing
  send(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void | { live: boolean }>;
  /** Which send errors are permanent (kept as failed) and which wait in the outbox (default: all wait). */
  classifySendError?(err: unknown): SendVerdict;
}

/** What the runtime needs of the engine: turns, plus held replies and session access where used. */
export interface ChannelHost extends TurnHandler, Partial<InlineReplies> {
  /** Needed by 'numbered' channels (the menu lives in the session); see `Engine.updateSession`. */
  // biome-ignore lint/suspicious/noConfusingVoidType: mirrors Engine.updateSession
  updateSession?(ref: ConversationRef, change: (s: SessionState) => void | false): Promise<SessionState>;
}

export interface ReceiveOptions {
  /**
   * Turn attempts when the engine fails transiently (a 503 other than shutting down). 1 (default)
   * where the platform re-delivers on an error answer; more where it never will (polling).
   */
  attempts?: number;
  /** The id of the tapped menu item, when the platform reports one (WeChat's bizmsgmenuid). */
  menuItemId?: string | undefined;
}

export interface ChannelRuntime {
  /** The engine-facing fields of the channel (name, delivery, send, classifySendError): spread them into the adapter's Channel. */
  readonly channel: Pick<Channel, 'name' | 'delivery' | 'inlineReplyMs' | 'send' | 'classifySendError'>;
  /** Connects the engine (in `start`), or disconnects it (undefined, in `stop`). */
  attach(host: ChannelHost | undefined): void;
  readonly attached: boolean;
  /** One normalized message through the turn; throws the engine's coded errors (the adapter maps them to its platform's answer). */
  receive(message: InboundMessage, opts?: ReceiveOptions): Promise<TurnResult>;
  /** Held replies (see `Channel.inlineReplyMs`): 'sent' when they went out inline, 'release' to let the outbox send them now. */
  settleHeld(ref: ConversationRef, result: TurnResult, outcome: 'sent' | 'release'): Promise<void>;
  /** Messages that reached the customer another way than `send` (a passive reply): their menu is recorded. */
  shown(ref: ConversationRef, messages: readonly OutboundMessage[]): void;
  /** The numbered options a typed number stands for now in this conversation ('numbered' channels). */
  menu(conversationId: string): Promise<readonly MenuItem[]>;
  /** Resolves when every message received and menu recorded so far has settled. */
  idle(): Promise<void>;
}

export interface ChannelRuntimeOptions {
  log?: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** First wait before a transient turn failure is retried; doubles each attempt. */
const TURN_RETRY_BASE_MS = 500;

export function createChannelRuntime(adapter: PlatformAdapter, opts: ChannelRuntimeOptions = {}): ChannelRuntime {
  const log = opts.log ?? silentLogger;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const numbered = adapter.quickReplies === 'numbered';
  const perConversation = createSequentializer();
  const pending = new Set<Promise<unknown>>();
  let host: ChannelHost | undefined;

  const track = (work: Promise<unknown>) => {
    const p = work.finally(() => pending.delete(p));
    pending.add(p);
  };

  function requireHost(): ChannelHost {
    if (!host) throw new KefuError('KEFU_ERR_CHANNEL_NOT_STARTED', `The ${adapter.name} channel is not started (or is stopping); the platform should retry later.`);
    return host;
  }

  function sessions(h: ChannelHost): NonNullable<ChannelHost['updateSession']> {
    if (!h.updateSession)
      throw new KefuError('KEFU_ERR_CONFIG_INVALID', `The ${adapter.name} channel shows numbered menus, kept in the session: start it with the engine (engine.updateSession).`);
    return h.updateSession.bind(h);
  }

  /** A typed answer to the menu shown becomes a press of that option (kind 'postback', its payload). */
  async function withMenuAnswer(h: ChannelHost, message: InboundMessage, itemId: string | undefined): Promise<InboundMessage> {
    const answer = { text: message.text ?? '', itemId };
    if (!numbered || (message.kind ?? 'text') !== 'text' || message.payload || !couldAnswerMenu(answer)) return message;
    let payload: string | undefined;
    await sessions(h)(refOf(message), (s) => {
      payload = resolveMenuAnswer(s.menu, answer, now());
      return false;
    });
    return payload ? withFields(message, { kind: 'postback' as const, payload }) : message;
  }

  async function handleWithRetry(h: ChannelHost, message: InboundMessage, attempts: number): Promise<TurnResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await h.handle(message);
      } catch (err) {
        const transient = isKefuError(err) && err.httpStatus === 503 && err.code !== 'KEFU_ERR_ENGINE_CLOSED';
        if (!transient || attempt >= attempts) throw err;
        log.warn({ code: err.code, channel: adapter.name, attempt }, 'turn failed; retrying');
        await sleep(TURN_RETRY_BASE_MS * 2 ** (attempt - 1));
      }
    }
  }

  /** Records the menu the customer now sees; in the conversation's queue, not awaited (a send inside a turn must not wait for it). */
  function shown(ref: ConversationRef, messages: readonly OutboundMessage[]): void {
    if (!numbered || !messages.length || !host) return;
    const write = sessions(host)(ref, (s) => {
      const next = menuAfter(s.menu, messages, now());
      if (!next) return false;
      if (next.menu) s.menu = next.menu;
      else delete s.menu;
      return undefined;
    });
    track(write.catch((err: unknown) => log.warn({ code: isKefuError(err) ? err.code : 'KEFU_ERR_INTERNAL', channel: adapter.name }, 'numbered menu not recorded')));
  }

  return {
    channel: {
      name: adapter.name,
      delivery: adapter.delivery ?? 'outbox',
      ...(adapter.inlineReplyMs === undefined ? {} : { inlineReplyMs: adapter.inlineReplyMs }),
      async send(ref, messages) {
        const res = await adapter.send(ref, messages);
        shown(ref, messages);
        return res;
      },
      classifySendError: (err) => adapter.classifySendError?.(err) ?? { kind: 'retry', code: 'KEFU_ERR_CHANNEL_SEND_FAILED' },
    },
    attach(next) {
      host = next;
    },
    get attached() {
      return host !== undefined;
    },
    async receive(message, receiveOpts = {}) {
      const h = requireHost();
      const work = perConversation(conversationKey(message), async () => {
        const inbound = await withMenuAnswer(h, message, receiveOpts.menuItemId);
        return handleWithRetry(h, inbound, receiveOpts.attempts ?? 1);
      });
      track(work.catch(() => undefined));
      return work;
    },
    async settleHeld(ref, result, outcome) {
      await requireHost().settleHeld?.(result, outcome);
      if (outcome === 'sent') shown(ref, result.replies);
    },
    shown,
    async menu(conversationId) {
      if (!numbered) return [];
      let items: MenuItem[] = [];
      // A read in the conversation's queue; the ref only names the session (nothing is written).
      await sessions(requireHost())({ channel: adapter.name, conversationId, userId: conversationId }, (s) => {
        items = menuItems(liveMenu(s.menu, now())?.options ?? []);
        return false;
      });
      return items;
    },
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}

function refOf(m: InboundMessage): ConversationRef {
  return { channel: m.channel, conversationId: m.conversationId, userId: m.userId, ...(m.address ? { address: m.address } : {}) };
}
