/**
 * A local Slack Web API (https://api.slack.com/web) for tests: `POST /api/<method>` with a form or
 * JSON body and `Authorization: Bearer <token>` (or a `token` field), answering like Slack: HTTP 200
 * with `{ok:true,…}` or `{ok:false,error}` (wrong token → `invalid_auth`). It records every call and
 * can answer the next calls of a method with 429 + `Retry-After` or 500.
 * Events sent the other way (Slack → app) are in `slack-events.ts`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackApiCall {
  method: string;
  args: Record<string, unknown>;
  /** HTTP status answered (200, 429, 500). */
  status: number;
  /** The `error` of an `{ok:false}` answer. */
  error?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: unknown[];
}

export interface SlackUserRecord {
  id: string;
  real_name?: string;
  locale?: string;
}

export interface LocalSlackServer {
  /** Base URL for the WebClient's `slackApiUrl` (ends with `/api/`). */
  readonly apiUrl: string;
  readonly token: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  /** Calls answered `{ok:true}`, optionally of one method. */
  calls(method?: string): SlackApiCall[];
  /** Every request received for a method, failed ones included. */
  attempts(method?: string): number;
  /** Answers the next `times` calls of `method` with HTTP `status` (429 carries `Retry-After`). */
  fail(method: string, status: 429 | 500, times: number, retryAfterSeconds?: number): void;
  /** Answers the next `times` calls of `method` with HTTP 200 `{ok:false,error}`. */
  failWith(method: string, error: string, times: number): void;
  setUser(user: SlackUserRecord): void;
  setFile(id: string, file: Record<string, unknown>): void;
  /** Messages as they stand now (chat.update applied), in posting order. */
  messages(channel?: string): PostedMessage[];
  /** Resolves once `count` calls of `method` succeeded (rejects after `ms`). */
  waitFor(method: string, count: number, ms?: number): Promise<SlackApiCall[]>;
  close(): Promise<void>;
}

type Handler = (args: Record<string, unknown>) => Record<string, unknown>;

export async function startSlackServer(opts: { token?: string; botUserId?: string; botId?: string; teamId?: string } = {}): Promise<LocalSlackServer> {
  const token = opts.token ?? 'xoxb-test-token';
  const botUserId = opts.botUserId ?? 'UBOT';
  const botId = opts.botId ?? 'BBOT';
  const teamId = opts.teamId ?? 'T0001';
  const log: SlackApiCall[] = [];
  const failures = new Map<string, Array<{ status: 429 | 500; retryAfter?: number } | { error: string }>>();
  const users = new Map<string, SlackUserRecord>();
  const files = new Map<string, Record<string, unknown>>();
  const posted: PostedMessage[] = [];
  let seq = 0;
  const nextTs = () => `${1_700_000_000 + Math.floor(++seq / 1000)}.${String(seq % 1000).padStart(6, '0')}`;

  const handlers: Record<string, Handler> = {
    'auth.test': () => ({ ok: true, url: 'https://kefu-test.slack.com/', team: 'kefu', user: 'kefu', team_id: teamId, user_id: botUserId, bot_id: botId }),
    'chat.postMessage': (a) => {
      const channel = str(a.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const blocks = Array.isArray(a.blocks) ? a.blocks : [];
      if (!str(a.text) && !blocks.length) return { ok: false, error: 'no_text' };
      const msg: PostedMessage = { channel, ts: nextTs(), text: str(a.text) ?? '', blocks, ...(str(a.thread_ts) ? { thread_ts: str(a.thread_ts) } : {}) };
      posted.push(msg);
      return { ok: true, channel, ts: msg.ts, message: { type: 'message', user: botUserId, bot_id: botId, ...msg } };
    },
    'chat.update': (a) => {
      const msg = posted.find((m) => m.channel === str(a.channel) && m.ts === str(a.ts));
      if (!msg) return { ok: false, error: 'message_not_found' };
      msg.text = str(a.text) ?? msg.text;
      if (Array.isArray(a.blocks)) msg.blocks = a.blocks;
      return { ok: true, channel: msg.channel, ts: msg.ts, text: msg.text };
    },
    'chat.getPermalink': (a) => {
      const msg = posted.find((m) => m.channel === str(a.channel) && m.ts === str(a.message_ts));
      if (!msg) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel: msg.channel, permalink: `https://kefu-test.slack.com/archives/${msg.channel}/p${msg.ts.replace('.', '')}` };
    },
    'chat.postEphemeral': (a) => (str(a.channel) && str(a.user) ? { ok: true, message_ts: nextTs() } : { ok: false, error: 'channel_not_found' }),
    'reactions.add': (a) => (str(a.channel) && str(a.timestamp) && str(a.name) ? { ok: true } : { ok: false, error: 'invalid_arguments' }),
    'users.info': (a) => {
      const user = users.get(str(a.user) ?? '');
      if (!user) return { ok: false, error: 'user_not_found' };
      const { locale, ...rest } = user;
      return { ok: true, user: { ...rest, name: user.id.toLowerCase(), profile: { real_name: user.real_name ?? '' }, ...(a.include_locale && locale ? { locale } : {}) } };
    },
    'conversations.info': (a) => {
      const id = str(a.channel) ?? '';
      return id ? { ok: true, channel: { id, is_im: id.startsWith('D'), is_channel: id.startsWith('C') } } : { ok: false, error: 'channel_not_found' };
    },
    'files.info': (a) => {
      const file = files.get(str(a.file) ?? '');
      return file ? { ok: true, file } : { ok: false, error: 'file_not_found' };
    },
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
    const args = parseBody(req.headers['content-type'], await readBody(req));
    const auth = req.headers.authorization?.replace(/^Bearer /, '') ?? str(args.token);
    const planned = failures.get(method)?.shift();
    const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      log.push({ method, args, status, ...(typeof body.error === 'string' ? { error: body.error } : {}) });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (planned && 'status' in planned) {
      return send(
        planned.status,
        { ok: false, error: planned.status === 429 ? 'ratelimited' : 'internal_error' },
        planned.status === 429 ? { 'retry-after': String(planned.retryAfter ?? 1) } : {},
      );
    }
    if (!auth) return send(200, { ok: false, error: 'not_authed' });
    if (auth !== token) return send(200, { ok: false, error: 'invalid_auth' });
    if (planned) return send(200, { ok: false, error: planned.error });
    const handler = handlers[method];
    return send(200, handler ? handler(args) : { ok: false, error: 'unknown_method' });
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const okCalls = (method?: string) => log.filter((c) => c.status === 200 && !c.error && (!method || c.method === method));

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    token,
    botUserId,
    botId,
    teamId,
    calls: okCalls,
    attempts: (method) => log.filter((c) => !method || c.method === method).length,
    fail(method, status, times, retryAfterSeconds) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ status, ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}) });
      failures.set(method, list);
    },
    failWith(method, error, times) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ error });
      failures.set(method, list);
    },
    setUser: (user) => void users.set(user.id, user),
    setFile: (id, file) => void files.set(id, { id, ...file }),
    messages: (channel) => posted.filter((m) => !channel || m.channel === channel),
    async waitFor(method, count, ms = 10_000) {
      const end = Date.now() + ms;
      while (okCalls(method).length < count) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${count} ${method} call(s); saw ${okCalls(method).length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return okCalls(method);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** What the customer sees of a posted message: text (unescaped), button labels, images. */
export function seen(m: PostedMessage): { text: string; buttons: string[]; image?: boolean } {
  const blocks = m.blocks as Array<{ type?: string; elements?: Array<{ type?: string; text?: { text?: string } }> }>;
  const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'button').map((e) => e.text?.text ?? ''));
  const image = blocks.some((b) => b.type === 'image');
  return { text: m.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'), buttons, ...(image ? { image } : {}) };
}

/** Finds the posted message carrying a button with this payload. */
export function buttonFor(messages: PostedMessage[], payload: string): { message: PostedMessage; actionId: string; label: string } {
  for (const message of [...messages].reverse()) {
    for (const block of message.blocks as Array<{ type?: string; elements?: Array<{ action_id?: string; value?: string; text?: { text?: string } }> }>) {
      const el = block.type === 'actions' ? block.elements?.find((e) => e.value === payload) : undefined;
      if (el?.action_id) return { message, actionId: el.action_id, label: el.text?.text ?? '' };
    }
  }
  throw new Error(`no posted button with payload ${payload}`);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Form bodies carry objects (blocks, attachments) as JSON strings, as the WebClient sends them. */
function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
