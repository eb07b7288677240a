/**
 * Bot API method implementations of the local Telegram server, with Telegram's documented checks
 * and error texts (chat not found, message text is empty, BUTTON_DATA_INVALID, query too old...).
 */
import type { ServerResponse } from 'node:http';

export interface Chat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  first_name?: string;
  title?: string;
  is_forum?: boolean;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** A message the bot sent, as Telegram returns it (and later embeds in callback queries). */
export interface BotMessage {
  message_id: number;
  from: { id: number; is_bot: true; first_name: string; username: string };
  chat: Chat;
  date: number;
  message_thread_id?: number;
  text?: string;
  caption?: string;
  photo?: Array<{ file_id: string; file_unique_id: string; width: number; height: number }>;
  document?: { file_id: string; file_unique_id: string; file_name?: string };
  reply_markup?: { inline_keyboard: InlineButton[][] };
}

export interface TgFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  bytes: Buffer;
}

export type ApiResult = { ok: true; result: unknown } | { ok: false; error_code: number; description: string };

export interface MethodContext {
  botUser: BotMessage['from'];
  chats: Map<number, Chat>;
  blocked: Set<number>;
  files: Map<string, TgFile>;
  messages: BotMessage[];
  /** callback_query id → answered? */
  callbackQueries: Map<string, { answered: boolean; text?: string }>;
  messageIds: Map<number, number>;
  setWebhook(url: string | undefined, secretToken?: string): void;
  dropPending(): void;
  hasWebhook(): boolean;
  webhookUrl(): string;
  pendingCount(): number;
  takeUpdates(offset: number, limit: number): Array<Record<string, unknown>>;
  waitForUpdate(seconds: number, res: ServerResponse): Promise<void>;
}

type Method = (params: Record<string, unknown>, ctx: MethodContext, res: ServerResponse) => ApiResult | Promise<ApiResult>;

const ok = (result: unknown): ApiResult => ({ ok: true, result });
const bad = (description: string, code = 400): ApiResult => ({ ok: false, error_code: code, description });
const truthy = (v: unknown) => v === true || v === 'true' || v === '1';
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;

function findChat(params: Record<string, unknown>, ctx: MethodContext): Chat | ApiResult {
  const raw = params.chat_id;
  if (raw === undefined || raw === '') return bad('Bad Request: chat_id is empty');
  const id = Number(raw);
  const chat = Number.isInteger(id) ? ctx.chats.get(id) : undefined;
  if (!chat) return bad('Bad Request: chat not found');
  if (ctx.blocked.has(id)) return bad('Forbidden: bot was blocked by the user', 403);
  return chat;
}

function checkKeyboard(raw: unknown): { inline_keyboard: InlineButton[][] } | undefined | ApiResult {
  if (raw === undefined) return undefined;
  let markup: unknown = raw;
  if (typeof raw === 'string') {
    try {
      markup = JSON.parse(raw);
    } catch {
      return bad("Bad Request: can't parse reply keyboard markup JSON object");
    }
  }
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) return bad('Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  for (const row of rows as unknown[][]) {
    for (const b of row as Array<Partial<InlineButton>>) {
      if (typeof b.text !== 'string' || !b.text) return bad('Bad Request: text buttons are unallowed in the inline keyboard');
      if (b.url === undefined) {
        const n = typeof b.callback_data === 'string' ? Buffer.byteLength(b.callback_data) : 0;
        if (n < 1 || n > 64) return bad('Bad Request: BUTTON_DATA_INVALID');
      }
    }
  }
  return markup as { inline_keyboard: InlineButton[][] };
}

function isResult(v: unknown): v is ApiResult {
  return typeof v === 'object' && v !== null && 'ok' in v;
}

/** Common part of the send methods: chat, keyboard, thread; then stores and returns the message. */
function send(params: Record<string, unknown>, ctx: MethodContext, content: Partial<BotMessage>): ApiResult {
  const chat = findChat(params, ctx);
  if (isResult(chat)) return chat;
  const markup = checkKeyboard(params.reply_markup);
  if (isResult(markup)) return markup;
  const messageId = (ctx.messageIds.get(chat.id) ?? 0) + 1;
  ctx.messageIds.set(chat.id, messageId);
  const message: BotMessage = { message_id: messageId, from: ctx.botUser, chat, date: Math.floor(Date.now() / 1000), ...content };
  if (params.message_thread_id !== undefined) message.message_thread_id = Number(params.message_thread_id);
  if (markup) message.reply_markup = markup;
  ctx.messages.push(message);
  return ok(message);
}

/** A file argument: a known file_id, an http(s) URL, or an uploaded multipart file. */
function fileArg(value: unknown, ctx: MethodContext, what: string): { id: string } | ApiResult {
  if (value && typeof value === 'object' && 'filename' in value) return { id: `upload-${ctx.files.size + ctx.messages.length + 1}` };
  if (typeof value !== 'string' || !value) return bad(`Bad Request: there is no ${what} in the request`);
  if (/^https?:\/\//.test(value) || ctx.files.has(value)) return { id: ctx.files.has(value) ? value : `url-${Buffer.from(value).toString('base64url').slice(0, 24)}` };
  return bad('Bad Request: wrong file identifier/HTTP URL specified');
}

function caption(params: Record<string, unknown>): { caption?: string } | ApiResult {
  if (params.caption === undefined) return {};
  const c = String(params.caption);
  return c.length > 1024 ? bad('Bad Request: message caption is too long') : { caption: c };
}

export const METHODS: Record<string, Method> = {
  getMe: (_p, ctx) => ok({ ...ctx.botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),
  async getUpdates(p, ctx, res) {
    if (ctx.hasWebhook()) return bad("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 409);
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const timeout = Math.max(0, Number(p.timeout ?? 0));
    let found = ctx.takeUpdates(offset, limit);
    if (!found.length && timeout > 0) {
      await ctx.waitForUpdate(timeout, res);
      found = ctx.takeUpdates(offset, limit);
    }
    return ok(found);
  },
  setWebhook(p, ctx) {
    const url = typeof p.url === 'string' ? p.url : '';
    if (url && !URL.canParse(url)) return bad('Bad Request: bad webhook: Failed to resolve host: Name or service not known');
    const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
    if (secret !== undefined && !SECRET.test(secret)) return bad('Bad Request: secret token contains unallowed characters');
    if (truthy(p.drop_pending_updates)) ctx.dropPending();
    ctx.setWebhook(url || undefined, secret);
    return ok(true);
  },
  deleteWebhook(p, ctx) {
    if (truthy(p.drop_pending_updates)) ctx.dropPending();
    ctx.setWebhook(undefined);
    return ok(true);
  },
  getWebhookInfo: (_p, ctx) => ok({ url: ctx.webhookUrl(), has_custom_certificate: false, pending_update_count: ctx.pendingCount() }),
  sendMessage(p, ctx) {
    const text = typeof p.text === 'string' ? p.text : p.text === undefined ? '' : String(p.text);
    if (!text.trim()) return bad('Bad Request: message text is empty');
    if (text.length > 4096) return bad('Bad Request: message is too long');
    return send(p, ctx, { text });
  },
  sendPhoto(p, ctx) {
    const file = fileArg(p.photo, ctx, 'photo');
    if (isResult(file)) return file;
    const cap = caption(p);
    if (isResult(cap)) return cap;
    const sizes = [90, 320, 800].map((w, i) => ({ file_id: `${file.id}-${i}`, file_unique_id: `${file.id}-u${i}`, width: w, height: w }));
    return send(p, ctx, { photo: sizes, ...cap });
  },
  sendDocument(p, ctx) {
    const file = fileArg(p.document, ctx, 'document');
    if (isResult(file)) return file;
    const cap = caption(p);
    if (isResult(cap)) return cap;
    return send(p, ctx, { document: { file_id: file.id, file_unique_id: `${file.id}-u` }, ...cap });
  },
  answerCallbackQuery(p, ctx) {
    const q = ctx.callbackQueries.get(String(p.callback_query_id ?? ''));
    if (!q || q.answered) return bad('Bad Request: query is too old and response timeout expired or query ID is invalid');
    q.answered = true;
    if (p.text !== undefined) q.text = String(p.text);
    return ok(true);
  },
  getFile(p, ctx) {
    const f = ctx.files.get(String(p.file_id ?? ''));
    if (!f) return bad('Bad Request: invalid file_id');
    return ok({ file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, file_path: f.file_path });
  },
};
