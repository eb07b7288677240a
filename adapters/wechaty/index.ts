/**
 * Personal WeChat accounts and groups through wechaty: the puppet (the protocol implementation) is
 * chosen by configuration. Direct messages are answered; in groups only messages that @-mention the
 * bot. Text and images in, text out (quick replies as numbered lines, answered by number). The
 * channel runtime (core/channel-runtime.ts) runs the turns, keeps the numbered menus in the session,
 * and the engine's durable outbox sends replies and pushes through `send`.
 * @example
 * const channel = createWechatyChannel({ puppetName: 'wechaty-puppet-service', puppetOptions: { token } });
 * engine.addChannel(channel); await channel.start(engine); // logs a QR code URL to scan
 */
import { type Message, qrcodeValueToImageUrl, type Wechaty, WechatyBuilder, type WechatyOptions } from 'wechaty';
import {
  type Channel,
  type ChannelHost,
  type ConversationRef,
  createChannelRuntime,
  isKefuError,
  KefuError,
  type Logger,
  type MenuItem,
  type OutboundMessage,
  silentLogger,
} from '../../core';
import { normalizeWechatyMessage } from './normalize';
import { renderText } from './render';
import { DEFAULT_RETRY, type RetryPolicy, sayWithRetry, type Target } from './send-with-retry';

type PuppetInstance = Exclude<WechatyOptions['puppet'], string | undefined>;

export interface WechatyChannelOptions {
  /** A puppet instance (tests: wechaty-puppet-mock), or… */
  puppet?: PuppetInstance;
  /** …a puppet module name (WECHATY_PUPPET), e.g. 'wechaty-puppet-service' or 'wechaty-puppet-wechat4u'. */
  puppetName?: string;
  /** Puppet options, e.g. `{ token }` (WECHATY_PUPPET_TOKEN). */
  puppetOptions?: Record<string, unknown>;
  /** The bot's name (WECHATY_NAME): wechaty keeps its login session under it. */
  name?: string;
  /** Channel name in conversation refs (default 'wechaty'). */
  channelName?: string;
  log?: Logger;
  now?: () => number;
  /** Messages older than this when they arrive are history replayed by the puppet, and ignored (default 300). */
  maxAgeSeconds?: number;
  /** Inline retries of one send (see send-with-retry.ts); longer waits are the engine outbox's. */
  retryBaseMs?: number;
  maxAttempts?: number;
}

export interface WechatyChannel extends Channel {
  start(engine: ChannelHost): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when the puppet is logged in and ready. */
  ready(): Promise<void>;
  /** The wechaty instance (after start). */
  readonly bot: Wechaty | undefined;
  /** The options a typed number currently stands for in this conversation (kept in its session). */
  menu(conversationId: string): Promise<readonly MenuItem[]>;
  /** Resolves when the messages received so far have been answered. */
  idle(): Promise<void>;
}

export function createWechatyChannel(opts: WechatyChannelOptions): WechatyChannel {
  const channelName = opts.channelName ?? 'wechaty';
  const log = (opts.log ?? silentLogger).child({ channel: channelName });
  const now = opts.now ?? Date.now;
  if (!opts.puppet && !opts.puppetName) throw new KefuError('KEFU_ERR_CONFIG_INVALID', 'createWechatyChannel needs a puppet instance or a puppet module name (WECHATY_PUPPET).');
  let bot: Wechaty | undefined;

  const say = async (target: Target, text: string): Promise<void> => {
    if (!bot) throw new Error('the wechaty bot is not started');
    const contact = await bot.Contact.find({ id: target.contactId });
    if (!contact) throw new Error('contact not found (not logged in, or no longer a friend)');
    if (!target.roomId) {
      await contact.say(text);
      return;
    }
    const room = await bot.Room.find({ id: target.roomId });
    if (!room) throw new Error('room not found (not logged in, or the bot left the group)');
    await room.say(text, contact); // mentions the customer in the group
  };
  const retry: RetryPolicy = {
    ...DEFAULT_RETRY,
    ...(opts.retryBaseMs === undefined ? {} : { retryBaseMs: opts.retryBaseMs }),
    ...(opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts }),
  };

  /** Sends messages in order; throws when the puppet keeps failing (every puppet error is worth another try later). */
  async function send(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void> {
    const target: Target = { contactId: ref.address?.contactId ?? ref.userId, roomId: ref.address?.roomId };
    for (const m of messages) await sayWithRetry(() => say(target, renderText(m)), retry);
  }
  const runtime = createChannelRuntime(
    { name: channelName, quickReplies: 'numbered', send, classifySendError: () => ({ kind: 'retry', code: 'KEFU_ERR_CHANNEL_SEND_FAILED' }) },
    { log, now },
  );

  async function onMessage(message: Message): Promise<void> {
    const room = message.room();
    const facts = {
      id: message.id,
      type: message.type(),
      text: room ? await message.mentionText() : message.text(),
      talkerId: message.talker().id,
      talkerName: message.talker().name() || undefined,
      roomId: room?.id,
      mentionedSelf: room ? await message.mentionSelf() : false,
      self: message.self(),
      ageSeconds: Math.max(0, (now() - message.date().getTime()) / 1000),
    };
    const n = normalizeWechatyMessage(facts, { channel: channelName, maxAgeSeconds: opts.maxAgeSeconds ?? 300 });
    if (n.type === 'ignored') return log.debug({ reason: n.reason }, 'wechaty message ignored');
    await runtime.receive(n.inbound);
  }

  const inFlight = new Set<Promise<void>>();
  const track = (message: Message) => {
    const p = onMessage(message)
      .catch((err: unknown) => {
        const code = isKefuError(err) ? err.code : 'KEFU_ERR_INTERNAL';
        log.error({ code, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'wechaty message failed');
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const idle = async () => {
    while (inFlight.size) await Promise.all([...inFlight]);
    await runtime.idle();
  };

  return {
    ...runtime.channel,
    get bot() {
      return bot;
    },
    async start(engine) {
      runtime.attach(engine);
      const options = {
        name: opts.name ?? 'kefu',
        ...(opts.puppet ? { puppet: opts.puppet } : { puppet: opts.puppetName }),
        ...(opts.puppetOptions ? { puppetOptions: opts.puppetOptions } : {}),
      } as WechatyOptions; // puppetName is checked by wechaty at start (unknown names throw there)
      bot = WechatyBuilder.build(options);
      bot.on('message', track);
      bot.on('scan', (qrcode, status) => log.info({ status, qr: qrcodeValueToImageUrl(qrcode) }, 'wechaty: scan the QR code with the bot account to log in'));
      bot.on('login', () => log.info({}, 'wechaty logged in'));
      bot.on('logout', () => log.warn({}, 'wechaty logged out'));
      bot.on('error', (err) => log.error({ code: 'KEFU_ERR_CHANNEL_SEND_FAILED', err: { name: err.name, message: err.message } }, 'wechaty error'));
      await bot.start();
    },
    async stop() {
      await idle();
      await bot?.stop();
      runtime.attach(undefined);
    },
    async ready() {
      if (!bot) throw new KefuError('KEFU_ERR_CHANNEL_NOT_STARTED', 'Call start(engine) before ready().');
      await bot.ready();
    },
    menu: (conversationId) => runtime.menu(conversationId),
    idle,
  };
}

export { normalizeWechatyMessage } from './normalize';
