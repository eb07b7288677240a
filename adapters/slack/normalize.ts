/**
 * Slack payloads → core {@link InboundMessage}. Pure and zod-checked. Customers reach the bot by
 * direct message (`message` in an `im`) or by mentioning it in a channel (`app_mention`; the
 * thread is then the conversation). Button presses arrive as `block_actions` and become `payload`
 * messages. Everything else (edits, deletions, joins, other bots, our own posts) is ignored with a
 * reason, never an error.
 */
import { z } from 'zod';
import type { Attachment, InboundMessage, Result } from '../../core';

export const SLACK_CHANNEL = 'slack';
/** Prefix of our quick-reply buttons' `action_id` (`kefu_qr:<index>`). */
export const QUICK_REPLY_ACTION = 'kefu_qr';

/** Message subtypes a person writes; all others are edits, deletions, joins, bots, system notes. */
const USER_SUBTYPES = new Set(['file_share', 'thread_broadcast', 'me_message']);

const slackFile = z.looseObject({
  id: z.string().min(1).max(64),
  name: z.string().max(512).optional(),
  mimetype: z.string().max(128).optional(),
  url_private: z.string().max(2048).optional(),
  /** `tombstone` (deleted) and `hidden_by_limit` (free plan) files carry no content. */
  mode: z.string().optional(),
});

const messageEvent = z.looseObject({
  type: z.enum(['message', 'app_mention']),
  channel: z.string().min(1).max(64),
  channel_type: z.string().optional(),
  user: z.string().max(64).optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  hidden: z.boolean().optional(),
  text: z.string().optional(),
  ts: z.string().min(1).max(32),
  thread_ts: z.string().max(32).optional(),
  files: z.array(slackFile).optional(),
});

const eventEnvelope = z.looseObject({ event_id: z.string().min(1).max(128), team_id: z.string().optional(), event: messageEvent });

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1).max(128),
  user: z.looseObject({ id: z.string().min(1).max(64) }),
  team: z.looseObject({ id: z.string() }).nullable().optional(),
  container: z.looseObject({ channel_id: z.string().min(1).max(64).optional(), message_ts: z.string().max(32).optional() }),
  channel: z.looseObject({ id: z.string().min(1).max(64) }).optional(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string().max(255),
        value: z.string().max(2000).optional(),
        text: z.looseObject({ text: z.string() }).optional(),
      }),
    )
    .min(1),
});

export interface NormalizeOptions {
  /** The bot's own user id (from `auth.test`), to strip its mention and skip its messages. */
  botUserId?: string;
  /** Channels that belong to the agent side (the support channel): never customer conversations. */
  agentChannels?: ReadonlySet<string>;
}

/** A direct-message channel id starts with D. */
export function isDirectChannel(channel: string): boolean {
  return channel.startsWith('D');
}

/** An Events API `event_callback` body → an inbound message, or the reason it is not one. */
export function normalizeSlackEvent(body: unknown, opts: NormalizeOptions = {}): Result<InboundMessage, string> {
  const parsed = eventEnvelope.safeParse(body);
  if (!parsed.success) return { ok: false, error: `not a message event (${parsed.error.issues[0]?.path.join('.') ?? 'body'})` };
  const { event, event_id: eventId, team_id: teamId } = parsed.data;
  if (event.bot_id || event.subtype === 'bot_message') return { ok: false, error: 'bot message' };
  if (!event.user) return { ok: false, error: 'no user' };
  if (opts.botUserId && event.user === opts.botUserId) return { ok: false, error: 'own message' };
  if (event.hidden || (event.subtype && !USER_SUBTYPES.has(event.subtype))) return { ok: false, error: `subtype ${event.subtype ?? 'hidden'}` };
  if (opts.agentChannels?.has(event.channel)) return { ok: false, error: 'agent channel' };
  const direct = isDirectChannel(event.channel);
  if (event.type === 'message' && !direct) return { ok: false, error: 'channel message without mention' };
  if (event.type === 'app_mention' && direct) return { ok: false, error: 'mention in a direct message (the message event carries it)' };

  const text = slackTextToPlain(event.text ?? '', opts.botUserId);
  const attachments = (event.files ?? []).filter((f) => f.mode !== 'tombstone' && f.mode !== 'hidden_by_limit').map(toAttachment);
  const kind = text ? 'text' : attachments.some((a) => a.kind === 'image') ? 'image' : attachments.length ? 'file' : 'unsupported';
  const threadTs = direct ? event.thread_ts : (event.thread_ts ?? event.ts);
  return {
    ok: true,
    value: {
      channel: SLACK_CHANNEL,
      conversationId: direct ? event.channel : `${event.channel}:${threadTs}`,
      userId: event.user,
      platformMessageId: eventId,
      kind,
      text,
      attachments: attachments.slice(0, 10),
      address: address(event.channel, threadTs, teamId),
    },
  };
}

/** A `block_actions` payload from one of our quick-reply buttons → a `payload` message. */
export function normalizeBlockAction(body: unknown): Result<InboundMessage, string> {
  const parsed = blockActions.safeParse(body);
  if (!parsed.success) return { ok: false, error: `not a block action (${parsed.error.issues[0]?.path.join('.') ?? 'body'})` };
  const p = parsed.data;
  const action = p.actions[0];
  const channel = p.container.channel_id ?? p.channel?.id;
  if (!action || !channel) return { ok: false, error: 'action without a channel' };
  if (!action.action_id.startsWith(`${QUICK_REPLY_ACTION}:`)) return { ok: false, error: 'not a quick reply' };
  if (!action.value) return { ok: false, error: 'quick reply without a value' };
  const direct = isDirectChannel(channel);
  const root = p.message?.thread_ts ?? p.message?.ts ?? p.container.message_ts;
  const threadTs = direct ? p.message?.thread_ts : root;
  if (!direct && !root) return { ok: false, error: 'channel action without a message' };
  return {
    ok: true,
    value: {
      channel: SLACK_CHANNEL,
      conversationId: direct ? channel : `${channel}:${root}`,
      userId: p.user.id,
      // Slack does not retry interactive payloads, but the trigger id is unique per press.
      platformMessageId: `action:${p.trigger_id}`,
      kind: 'postback',
      text: (action.text?.text ?? '').slice(0, 200),
      payload: action.value.slice(0, 256),
      address: address(channel, threadTs, p.team?.id),
    },
  };
}

function address(channel: string, threadTs: string | undefined, team: string | undefined): Record<string, string> {
  return { channel, ...(threadTs ? { thread_ts: threadTs } : {}), ...(team ? { team } : {}) };
}

function toAttachment(f: z.infer<typeof slackFile>): Attachment {
  const mime = f.mimetype ?? '';
  const kind = mime.startsWith('image/') ? 'image' : mime.startsWith('audio/') ? 'audio' : mime.startsWith('video/') ? 'video' : 'file';
  return {
    kind,
    mediaId: f.id,
    ...(f.url_private ? { url: f.url_private } : {}),
    ...(f.name ? { name: f.name.slice(0, 512) } : {}),
    ...(mime ? { mimeType: mime.slice(0, 128) } : {}),
  };
}

/**
 * Slack's message formatting → plain text: drops the bot's own mention, turns `<@U1>` into `@U1`,
 * `<#C1|general>` into `#general`, `<https://x|label>` into `label (https://x)` (just `x` when Slack
 * auto-linked the text `x`), and unescapes `&lt; &gt; &amp;`.
 */
export function slackTextToPlain(text: string, botUserId?: string): string {
  let out = text;
  if (botUserId) out = out.split(`<@${botUserId}>`).join(' ');
  out = out
    .replace(/<([@#!])([A-Z0-9^]+)\|([^>]*)>/g, (_m, sigil: string, id: string, label: string) => (sigil === '!' ? `@${label || id}` : `${sigil}${label || id}`))
    .replace(/<([@#])([A-Z0-9]+)>/g, '$1$2')
    .replace(/<!([a-z]+)>/g, '@$1')
    .replace(/<![^<>|]+\|([^<>]+)>/g, '$1')
    .replace(/<([^<>|]+)\|([^<>]+)>/g, (_m, url: string, label: string) => (url.replace(/^(https?:\/\/|mailto:|tel:)/, '') === label ? label : `${label} (${url})`))
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return out.replace(/[ \t]{2,}/g, ' ').trim();
}
