/**
 * A local Telegram Bot API server for tests (https://core.telegram.org/bots/api), on 127.0.0.1:0.
 * `POST|GET /bot<token>/<method>` with JSON, urlencoded or multipart bodies; answers
 * `{ok:true,result}` or `{ok:false,error_code,description,parameters?}`; 401 for a wrong token.
 * Methods: getMe, getUpdates (long poll, offset/limit/timeout, 409 while a webhook is set),
 * setWebhook, deleteWebhook, getWebhookInfo, sendMessage, sendPhoto, sendDocument,
 * answerCallbackQuery, getFile (+ GET /file/bot<token>/<path>). Records every call, can inject
 * failures (429 with retry_after, 5xx, 403), and delivers updates as Telegram does: POSTed to the
 * webhook with X-Telegram-Bot-Api-Secret-Token, or queued for getUpdates.
 * Deviation from Telegram: webhooks may be plain http:// on any port (Telegram wants https).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseApiBody } from './telegram-server-body';
import { type BotMessage, type Chat, METHODS, type MethodContext, type TgFile } from './telegram-server-methods';

export type { BotMessage, Chat } from './telegram-server-methods';

export const SEND_METHODS = ['sendMessage', 'sendPhoto', 'sendDocument'] as const;

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** HTTP status the server answered with. */
  status: number;
}

export interface Delivery {
  updateId: number;
  /** Status of the webhook POST; undefined when the update was queued for getUpdates. */
  status?: number;
  body?: string;
}

export interface Failure {
  status: number;
  times: number;
  retryAfter?: number;
  methods?: readonly string[];
  description?: string;
}

export interface TelegramServer {
  /** The apiRoot to give telegraf: `http://127.0.0.1:<port>`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string };
  calls(method?: string): RecordedCall[];
  /** Messages the bot sent successfully (sendMessage/sendPhoto/sendDocument), in order. */
  botMessages(chatId?: number): BotMessage[];
  /** Send attempts received, failed ones included. */
  sendAttempts(): number;
  /** The next `times` calls of `methods` (default: the send methods) fail with `status`. */
  failNext(failure: Failure): void;
  /** Sends to this chat answer 403 "bot was blocked by the user" from now on. */
  blockChat(chatId: number): void;
  /** Makes a chat known (Telegram knows every chat that wrote to the bot). */
  knowChat(chat: Chat): void;
  /** Adds an update (an object with one update field, e.g. `{message}`); returns how it was delivered. */
  pushUpdate(update: Record<string, unknown>): Promise<Delivery>;
  /**
   * Delivers a pushed update again with the same update_id: webhook mode POSTs it again (Telegram's
   * retry); polling mode returns it once more from getUpdates whatever the offset, as after a bot
   * crash that lost the confirming getUpdates.
   */
  redeliver(updateId: number): Promise<Delivery>;
  /** Stores a file so getFile and the file download work; returns its file_id. */
  addFile(bytes: Buffer, filePath: string): string;
  webhook(): { url: string; secretToken?: string } | undefined;
  /** Telegram knows a callback query before the bot answers it (the user pressed a button). */
  registerCallbackQuery(id: string): void;
  /** Whether (and with what text) the bot answered a callback query. */
  callbackAnswer(id: string): { answered: boolean; text?: string } | undefined;
  newMessageId(chatId: number): number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

export async function startTelegramServer(opts: { token?: string; botUsername?: string } = {}): Promise<TelegramServer> {
  const token = opts.token ?? '123456:TEST-token_abcdefghijklmnopqrstuvw';
  const botUser = { id: Number(token.split(':')[0]), is_bot: true as const, first_name: 'Kefu Test', username: opts.botUsername ?? 'kefu_test_bot' };
  const calls: RecordedCall[] = [];
  const failures: Failure[] = [];
  const updates = new Map<number, Record<string, unknown>>();
  const queue: Array<Record<string, unknown>> = [];
  /** Re-deliveries in polling mode: returned once whatever the offset (the bot's confirmation was lost). */
  const again: Array<Record<string, unknown>> = [];
  const waiters = new Set<{ wake: () => void }>();
  let nextUpdateId = 700_000_001;
  let hook: { url: string; secretToken?: string } | undefined;

  const ctx: MethodContext = {
    botUser,
    chats: new Map(),
    blocked: new Set(),
    files: new Map<string, TgFile>(),
    messages: [],
    callbackQueries: new Map(),
    messageIds: new Map(),
    setWebhook(url, secretToken) {
      hook = url ? { url, ...(secretToken ? { secretToken } : {}) } : undefined;
    },
    dropPending() {
      queue.length = 0;
      again.length = 0;
    },
    hasWebhook: () => hook !== undefined,
    pendingCount: () => queue.length + again.length,
    webhookUrl: () => hook?.url ?? '',
    takeUpdates: (offset, limit) => {
      if (offset > 0) while (queue.length && Number(queue[0]?.update_id) < offset) queue.shift();
      const resent = again.splice(0, limit);
      return [...resent, ...queue.slice(0, limit - resent.length)];
    },
    waitForUpdate(seconds, res) {
      return new Promise<void>((resolve) => {
        const waiter = { wake: () => done() };
        const timer = setTimeout(() => done(), seconds * 1000);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          res.off('close', done);
          resolve();
        };
        waiters.add(waiter);
        res.on('close', done);
      });
    },
  };

  const takeFailure = (method: string): Failure | undefined => {
    const f = failures.find((x) => (x.methods ?? SEND_METHODS).includes(method));
    if (!f) return undefined;
    f.times -= 1;
    if (f.times <= 0) failures.splice(failures.indexOf(f), 1);
    return f;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const found = [...ctx.files.values()].find((f) => f.file_path === file[2]);
      if (file[1] !== token || !found) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(found.bytes);
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, reqToken = '', method = ''] = m;
    let params: Record<string, unknown>;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await parseApiBody(req)) };
    } catch (err) {
      return json(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${(err as Error).message}` });
    }
    const record = (status: number) => calls.push({ method, params, status });
    if (reqToken !== token) {
      record(401);
      return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const impl = METHODS[method];
    if (!impl) {
      record(404);
      return json(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
    const failure = takeFailure(method);
    if (failure) {
      record(failure.status);
      if (failure.status >= 500) return json(res, failure.status, { ok: false, error_code: failure.status, description: failure.description ?? 'Internal Server Error' });
      const retry = failure.status === 429 ? { parameters: { retry_after: failure.retryAfter ?? 1 } } : {};
      const description = failure.description ?? (failure.status === 429 ? `Too Many Requests: retry after ${failure.retryAfter ?? 1}` : 'Bad Request');
      return json(res, failure.status, { ok: false, error_code: failure.status, description, ...retry });
    }
    const out = await impl(params, ctx, res);
    record(out.ok ? 200 : out.error_code);
    json(res, out.ok ? 200 : out.error_code, out);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => json(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${err.message}` }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const deliver = async (update: Record<string, unknown>, redelivery: boolean): Promise<Delivery> => {
    const updateId = Number(update.update_id);
    if (!hook) {
      if (redelivery) again.push(update);
      else queue.push(update);
      for (const w of [...waiters]) w.wake();
      return { updateId };
    }
    const { status, body } = await postJson(hook.url, update, hook.secretToken);
    return { updateId, status, body };
  };

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botUser,
    calls: (method) => calls.filter((c) => method === undefined || c.method === method),
    botMessages: (chatId) => ctx.messages.filter((msg) => chatId === undefined || msg.chat.id === chatId),
    sendAttempts: () => calls.filter((c) => (SEND_METHODS as readonly string[]).includes(c.method)).length,
    failNext: (failure) => void failures.push({ ...failure }),
    blockChat: (chatId) => void ctx.blocked.add(chatId),
    knowChat: (chat) => void ctx.chats.set(chat.id, chat),
    async pushUpdate(body) {
      const update = { update_id: nextUpdateId++, ...body };
      updates.set(update.update_id, update);
      return deliver(update, false);
    },
    async redeliver(updateId) {
      const update = updates.get(updateId);
      if (!update) throw new Error(`no update ${updateId} was pushed`);
      return deliver(update, true);
    },
    addFile(bytes, filePath) {
      const id = `AgAC${Buffer.from(filePath).toString('base64url')}`;
      ctx.files.set(id, { file_id: id, file_unique_id: `u${ctx.files.size + 1}`, file_size: bytes.length, file_path: filePath, bytes });
      return id;
    },
    webhook: () => hook,
    registerCallbackQuery: (id) => void ctx.callbackQueries.set(id, { answered: false }),
    callbackAnswer: (id) => ctx.callbackQueries.get(id),
    newMessageId(chatId) {
      const n = (ctx.messageIds.get(chatId) ?? 0) + 1;
      ctx.messageIds.set(chatId, n);
      return n;
    },
    async close() {
      for (const w of [...waiters]) w.wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** POSTs an update the way Telegram does (one connection per delivery, no keep-alive). */
function postJson(url: string, body: unknown, secretToken?: string): Promise<{ status: number; body: string }> {
  const data = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), connection: 'close' };
  if (secretToken) headers['x-telegram-bot-api-secret-token'] = secretToken;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(data);
  });
}
