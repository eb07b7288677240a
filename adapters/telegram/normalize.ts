/**
 * Telegram `Update` (unknown JSON) → core `InboundMessage`. Pure: the bot identity, the callback
 * data map and the /start payload come in through {@link NormalizeContext}.
 * - message: text, photo (largest size), document → text / image / file; other content a person
 *   sends (sticker, location, voice…) → 'unsupported'; service messages → ignored.
 * - callback_query → 'postback' with the quick reply's payload (the caller answers the query).
 * - groups: only messages that mention the bot, reply to it, or are commands; one conversation per member.
 * - every other update type (edited_message, channel_post, my_chat_member…) → ignored.
 * `platformMessageId` is the update_id, so core drops Telegram's re-deliveries.
 */
import { type Attachment, type InboundMessage, KefuError, type Locale, MAX_TEXT_LENGTH } from '../../core';
import { TELEGRAM_TEXTS } from './texts';
import { SERVICE_FIELDS, type TgCallbackQuery, type TgChat, type TgEntity, type TgMessage, type TgUpdate, type TgUser, updateSchema } from './update-schema';

export interface NormalizeContext {
  bot: { id: number; username?: string };
  /** callback_data → payload; undefined for a short id this process does not know (see callback-data.ts). */
  decodeCallbackData(data: string): string | undefined;
  /** What `/start` becomes: a postback with this payload (default `intent:greeting`). */
  startPayload: string;
}

/** Where replies of a conversation go. */
export interface TelegramTarget {
  chatId: string;
  /** Forum topic (message_thread_id) of a supergroup, when the message came from one. */
  threadId?: string;
}

export type NormalizedUpdate =
  | { type: 'turn'; updateId: number; inbound: InboundMessage; target: TelegramTarget; callback?: { id: string }; truncatedFrom?: number }
  | { type: 'ignored'; updateId: number; reason: string; callback?: { id: string; text?: string } };

/** Validates the update envelope and the parts we read; throws KEFU_ERR_ADAPTER_PAYLOAD naming each problem. */
export function parseUpdate(raw: unknown): TgUpdate {
  const parsed = updateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'update'}: ${i.message}`);
  throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', `Telegram update is invalid: ${details.join('; ')}. Expected a Bot API Update object with a numeric update_id.`, { details });
}

export function normalizeUpdate(raw: unknown, ctx: NormalizeContext): NormalizedUpdate {
  const update = parseUpdate(raw);
  if (update.message) return normalizeMessage(update.update_id, update.message, ctx);
  if (update.callback_query) return normalizeCallback(update.update_id, update.callback_query, ctx);
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
  return { type: 'ignored', updateId: update.update_id, reason: `update type ${kind} is not handled` };
}

function normalizeMessage(updateId: number, msg: TgMessage, ctx: NormalizeContext): NormalizedUpdate {
  const ignored = (reason: string): NormalizedUpdate => ({ type: 'ignored', updateId, reason });
  if (msg.chat.type === 'channel' || !msg.from) return ignored('channel post or anonymous sender');
  if (msg.from.is_bot) return ignored('message from a bot');
  const content = readContent(msg);
  if (!content) return ignored('service message');
  let { text } = content;
  const entities = msg.entities ?? msg.caption_entities ?? [];
  const group = msg.chat.type !== 'private';
  if (group) {
    if (!addressedToBot(msg, text, entities, ctx.bot)) return ignored('group message not addressed to the bot');
    text = stripMention(text, ctx.bot.username);
  }
  const command = readCommand(text, entities, ctx.bot.username);
  if (command === 'other-bot') return ignored('command for another bot');
  const base = conversation(updateId, msg.chat, msg.from, msg.is_topic_message ? msg.message_thread_id : undefined);
  const receivedAt = msg.date * 1000;
  if (command?.name === 'start') {
    return { ...base, inbound: { ...base.inbound, kind: 'postback', text: '', payload: ctx.startPayload, receivedAt } };
  }
  if (command) text = `/${command.name}${command.rest}`;
  const clipped = clip(text);
  return {
    ...base,
    inbound: { ...base.inbound, kind: content.kind, text: clipped, attachments: content.attachments, receivedAt },
    ...(clipped.length < text.length ? { truncatedFrom: text.length } : {}),
  };
}

function normalizeCallback(updateId: number, q: TgCallbackQuery, ctx: NormalizeContext): NormalizedUpdate {
  const locale = localeOf(q.from);
  if (q.data === undefined) return { type: 'ignored', updateId, reason: 'callback query without data (game)', callback: { id: q.id } };
  const chat: TgChat = q.message?.chat ?? { id: q.from.id, type: 'private' };
  if (chat.type === 'channel') return { type: 'ignored', updateId, reason: 'button on a channel post', callback: { id: q.id } };
  const label = q.message?.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === q.data)?.text;
  const payload = ctx.decodeCallbackData(q.data);
  const base = conversation(updateId, chat, q.from, q.message?.is_topic_message ? q.message.message_thread_id : undefined);
  const withCallback = { ...base, callback: { id: q.id } };
  if (payload !== undefined) return { ...withCallback, inbound: { ...base.inbound, kind: 'postback', payload, text: clip(label ?? '') } };
  // A short id from before a restart: the label is what the customer meant, so it goes in as their words.
  if (label) return { ...withCallback, inbound: { ...base.inbound, kind: 'text', text: clip(label) } };
  return { type: 'ignored', updateId, reason: 'button expired', callback: { id: q.id, text: TELEGRAM_TEXTS[locale ?? 'en'].buttonExpired } };
}

/** Private chats are one conversation; in groups each member has their own (own slots, own locale). */
function conversation(updateId: number, chat: TgChat, from: TgUser, threadId: number | undefined) {
  const chatId = String(chat.id);
  const thread = threadId === undefined ? undefined : String(threadId);
  const conversationId = chat.type === 'private' ? chatId : [chatId, thread, String(from.id)].filter(Boolean).join(':');
  const locale = localeOf(from);
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').slice(0, 256);
  const target: TelegramTarget = thread ? { chatId, threadId: thread } : { chatId };
  const inbound: InboundMessage = {
    channel: 'telegram',
    conversationId,
    userId: String(from.id),
    platformMessageId: String(updateId),
    address: { ...target, chatType: chat.type },
    ...(locale ? { locale } : {}),
    ...(name ? { profile: { name } } : {}),
  };
  return { type: 'turn' as const, updateId, target, inbound };
}

type Content = { kind: 'text' | 'image' | 'file' | 'unsupported'; text: string; attachments: Attachment[] };

function readContent(msg: TgMessage): Content | undefined {
  const text = msg.text ?? msg.caption ?? '';
  if (msg.photo) {
    const largest = msg.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    return { kind: 'image', text, attachments: [{ kind: 'image', mediaId: largest.file_id, mimeType: 'image/jpeg' }] };
  }
  if (msg.document) {
    const image = msg.document.mime_type?.startsWith('image/') === true;
    return { kind: image ? 'image' : 'file', text, attachments: [fileAttachment(image ? 'image' : 'file', msg.document)] };
  }
  if (msg.text !== undefined) return { kind: 'text', text, attachments: [] };
  if (Object.keys(msg).some((k) => SERVICE_FIELDS.has(k))) return undefined;
  const media = msg.voice ?? msg.audio ?? msg.video ?? msg.video_note ?? msg.animation;
  const kind = msg.voice || msg.audio ? 'audio' : 'video';
  return { kind: 'unsupported', text, attachments: media ? [fileAttachment(kind, media)] : [] };
}

function fileAttachment(kind: Attachment['kind'], f: { file_id: string; file_name?: string | undefined; mime_type?: string | undefined }): Attachment {
  return { kind, mediaId: f.file_id, ...(f.file_name ? { name: f.file_name.slice(0, 512) } : {}), ...(f.mime_type ? { mimeType: f.mime_type.slice(0, 128) } : {}) };
}

function addressedToBot(msg: TgMessage, text: string, entities: readonly TgEntity[], bot: NormalizeContext['bot']): boolean {
  if (msg.reply_to_message?.from?.id === bot.id) return true;
  const handle = bot.username ? `@${bot.username.toLowerCase()}` : undefined;
  return entities.some((e) => {
    const slice = sliceEntity(text, e).toLowerCase();
    if (e.type === 'text_mention') return e.user?.id === bot.id;
    if (e.type === 'mention') return slice === handle;
    return e.type === 'bot_command' && e.offset === 0 && (!slice.includes('@') || (handle !== undefined && slice.endsWith(handle)));
  });
}

function readCommand(text: string, entities: readonly TgEntity[], username: string | undefined): { name: string; rest: string } | 'other-bot' | undefined {
  const entity = entities.find((e) => e.type === 'bot_command' && e.offset === 0);
  const token = entity ? sliceEntity(text, entity) : /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text)?.[0];
  if (!token || !text.startsWith(token)) return undefined;
  const [name = '', target] = token.slice(1).split('@');
  if (target && username && target.toLowerCase() !== username.toLowerCase()) return 'other-bot';
  return { name: name.toLowerCase(), rest: text.slice(token.length) };
}

/** Telegram entity offsets count UTF-16 code units, as JS strings do. */
function sliceEntity(text: string, e: TgEntity): string {
  return text.slice(e.offset, e.offset + e.length);
}

function stripMention(text: string, username: string | undefined): string {
  if (!username) return text;
  return text
    .replace(new RegExp(`(^|\\s)@${username}\\b`, 'gi'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function localeOf(user: TgUser): Locale | undefined {
  const lang = user.language_code?.toLowerCase();
  if (lang?.startsWith('zh')) return 'zh';
  if (lang?.startsWith('en')) return 'en';
  return undefined;
}

/** Telegram texts may be 4096 characters; core takes MAX_TEXT_LENGTH. Cut without splitting a surrogate pair. */
function clip(text: string): string {
  if (text.length <= MAX_TEXT_LENGTH) return text;
  const code = text.charCodeAt(MAX_TEXT_LENGTH - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_TEXT_LENGTH - 1 : MAX_TEXT_LENGTH);
}
