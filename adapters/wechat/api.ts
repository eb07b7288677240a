/**
 * The WeChat server API the adapter needs: an access_token (fetched with AppID/AppSecret, cached
 * until shortly before `expires_in`, refreshed once when WeChat says it is invalid or expired) and
 * POST calls such as the customer-service message `cgi-bin/message/custom/send`, retried with
 * exponential backoff on "busy"/rate errcodes, HTTP 5xx and network errors.
 */
import { z } from 'zod';
import { KefuError, type Logger } from '../../core';
import { TOKEN_ERRCODES, WechatApiError } from './errors';

export interface WechatApiOptions {
  /** Default https://api.weixin.qq.com (WECHAT_API_BASE). */
  apiBase?: string;
  appId: string;
  appSecret: string;
  log: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** First backoff delay; doubles each attempt (default 500 ms). */
  retryBaseMs?: number;
  /** Attempts per call, the first included (default 4). */
  maxAttempts?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export interface WechatApi {
  accessToken(): Promise<string>;
  /** POSTs JSON to `path` with the access_token; throws WechatApiError after the retries. */
  post(path: string, body: object): Promise<void>;
  /** Token fetches so far (diagnostics, tests). */
  readonly tokenFetches: number;
}

export const DEFAULT_API_BASE = 'https://api.weixin.qq.com';

const tokenReply = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() }),
  z.object({ errcode: z.coerce.number().int(), errmsg: z.string().optional() }),
]);
const callReply = z.object({ errcode: z.coerce.number().int().default(0), errmsg: z.string().optional() });

export function createWechatApi(opts: WechatApiOptions): WechatApi {
  const base = (opts.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retryBaseMs = opts.retryBaseMs ?? 500;
  const maxAttempts = opts.maxAttempts ?? 4;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let fetches = 0;

  async function fetchToken(): Promise<string> {
    fetches += 1;
    const url = `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(opts.appId)}&secret=${encodeURIComponent(opts.appSecret)}`;
    const { status, json } = await request(url, { method: 'GET' }, timeoutMs, 'access_token fetch');
    if (status >= 400) throw new WechatApiError('access_token fetch', { status });
    const parsed = tokenReply.safeParse(json);
    if (!parsed.success) throw new WechatApiError('access_token fetch', { status, errmsg: 'unexpected reply shape' });
    const reply = parsed.data;
    if ('errcode' in reply) {
      const err = new WechatApiError('access_token fetch', reply.errmsg === undefined ? { errcode: reply.errcode } : { errcode: reply.errcode, errmsg: reply.errmsg });
      if (err.transient) throw err;
      throw new KefuError(
        'KEFU_ERR_CHANNEL_AUTH',
        `WeChat refused the app credentials (errcode ${reply.errcode}). Check WECHAT_APP_ID and WECHAT_APP_SECRET, and that this server's IP is on the account's API allow list.`,
        { cause: err },
      );
    }
    const life = reply.expires_in;
    const margin = Math.min(300, Math.floor(life / 2)); // refresh 5 minutes early (or half-way for short lives)
    cached = { token: reply.access_token, refreshAt: now() + (life - margin) * 1000 };
    return reply.access_token;
  }

  async function accessToken(): Promise<string> {
    if (cached && now() < cached.refreshAt) return cached.token;
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function postOnce(path: string, body: object): Promise<void> {
    const token = await accessToken();
    const url = `${base}/${path.replace(/^\/+/, '')}?access_token=${encodeURIComponent(token)}`;
    const init = { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
    const { status, json } = await request(url, init, timeoutMs, path);
    if (status >= 400) throw new WechatApiError(path, { status });
    const reply = callReply.safeParse(json);
    if (!reply.success) throw new WechatApiError(path, { status, errmsg: 'unexpected reply shape' });
    if (reply.data.errcode === 0) return;
    if (TOKEN_ERRCODES.has(reply.data.errcode) && cached?.token === token) cached = undefined;
    throw new WechatApiError(path, reply.data.errmsg === undefined ? { errcode: reply.data.errcode } : { errcode: reply.data.errcode, errmsg: reply.data.errmsg });
  }

  async function post(path: string, body: object): Promise<void> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await postOnce(path, body);
      } catch (err) {
        if (!(err instanceof WechatApiError)) throw err;
        const tokenProblem = err.errcode !== undefined && TOKEN_ERRCODES.has(err.errcode);
        if (tokenProblem && !refreshed) {
          refreshed = true;
          opts.log.warn({ errcode: err.errcode }, 'wechat access_token rejected; refreshing it and retrying once');
          continue;
        }
        if (!err.transient || attempt >= maxAttempts) throw err;
        const delay = retryBaseMs * 2 ** (attempt - 1);
        opts.log.warn({ errcode: err.errcode, status: err.status, attempt, delayMs: delay }, 'wechat api call failed; retrying');
        await sleep(delay);
      }
    }
  }

  return {
    accessToken,
    post,
    get tokenFetches() {
      return fetches;
    },
  };
}

async function request(url: string, init: RequestInit, timeoutMs: number, what: string): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    throw new WechatApiError(what, { cause });
  }
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}
