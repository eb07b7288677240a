/**
 * WeChat Official Account (and WeCom-style) callback channel: a {@link WebhookChannel} that verifies
 * and (in safe mode) decrypts WeChat's XML callbacks, runs the turn, and answers with a passive reply
 * when one fits in WeChat's 5-second window, else "success" plus customer-service API messages.
 * With the API, replies are held in the engine's durable outbox while the callback decides: sent in
 * the passive answer (marked sent), or released to the outbox, which sends them through the API
 * (`send`), retried across restarts. A process that dies mid-callback loses nothing: the hold ends
 * and the outbox sends them.
 * @example
 * const wechat = createWechatChannel({ token: 'xyz', appId: 'wx…', appSecret: '…', encodingAESKey: '…' });
 * engine.addChannel(wechat); await wechat.start(engine); // server/ mounts wechat.webhookPath
 */
import {
  type ConversationRef,
  errorResponse,
  type InlineReplies,
  isKefuError,
  KefuError,
  type Logger,
  type OutboundMessage,
  type SendVerdict,
  silentLogger,
  type TurnHandler,
  type TurnResult,
  type WebhookChannel,
  type WebhookRequest,
  type WebhookResponse,
} from '../../core';
import { createWechatApi, type WechatApi } from './api';
import { createWechatCipher } from './crypto';
import { CUSTOM_SEND_PATH, planReplies, type ReplyMode } from './deliver';
import { WechatApiError } from './errors';
import { createMenuStore, type MenuItem } from './menus';
import { type NormalizedCallback, normalizeWechatMessage } from './normalize';
import { customMessageBody, passiveReplyXml } from './render';
import { answerUrlVerification, type CallbackSecrets, openCallback, passiveAnswer, SUCCESS } from './webhook';

export interface WechatChannelOptions {
  /** The Token from the console's server configuration (WECHAT_TOKEN). */
  token: string;
  /** AppID (WeCom: CorpID); needed for safe mode and the API. */
  appId?: string | undefined;
  /** AppSecret; without it the channel can only answer passively. */
  appSecret?: string | undefined;
  /** 43-character EncodingAESKey; enables safe (encrypted) mode. */
  encodingAESKey?: string | undefined;
  apiBase?: string | undefined;
  name?: string;
  webhookPath?: string;
  /** Default 'auto' with API credentials, 'passive' without. See deliver.ts. */
  replyMode?: ReplyMode;
  /** How long a callback waits for its turn before answering "success" (default 4500 ms; WeChat waits 5 s). */
  replyBudgetMs?: number;
  /** Oldest accepted callback timestamp, in seconds from now (default 300). */
  maxAgeSeconds?: number;
  /** Payload of a `subscribe` event (default 'intent:greeting'). */
  subscribePayload?: string;
  maxBodyBytes?: number;
  log?: Logger;
  now?: () => number;
  /** API retry tuning: first backoff delay and attempts per call. */
  retryBaseMs?: number;
  maxAttempts?: number;
}

export interface WechatChannel extends WebhookChannel {
  start(engine: TurnHandler & InlineReplies): Promise<void>;
  stop(): Promise<void>;
  /** The user's current quick-reply options (what "1", "2"… stand for). */
  quickReplies(openId: string): readonly MenuItem[];
  /** Resolves when every reply sent in the background so far has been handed to WeChat (or the outbox). */
  idle(): Promise<void>;
}

const RECENT_CALLBACKS = 2000;

export function createWechatChannel(opts: WechatChannelOptions): WechatChannel {
  const name = opts.name ?? 'wechat';
  const log = (opts.log ?? silentLogger).child({ channel: name });
  const now = opts.now ?? Date.now;
  if (!opts.token) throw new KefuError('KEFU_ERR_CONFIG_INVALID', 'WECHAT_TOKEN is empty; copy the Token from the WeChat console (Settings → Basic configuration → Server).');
  if (opts.encodingAESKey && !opts.appId)
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', 'WECHAT_ENCODING_AES_KEY is set but WECHAT_APP_ID is not; safe mode needs the AppID (WeCom: the CorpID).');
  const secrets: CallbackSecrets = {
    token: opts.token,
    cipher: opts.encodingAESKey && opts.appId ? createWechatCipher(opts.encodingAESKey, opts.appId) : undefined,
    maxAgeSeconds: opts.maxAgeSeconds,
  };
  const api: WechatApi | undefined =
    opts.appId && opts.appSecret
      ? createWechatApi({
          appId: opts.appId,
          appSecret: opts.appSecret,
          apiBase: opts.apiBase,
          log,
          now,
          ...(opts.retryBaseMs === undefined ? {} : { retryBaseMs: opts.retryBaseMs }),
          ...(opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts }),
        })
      : undefined;
  const mode: ReplyMode = opts.replyMode ?? (api ? 'auto' : 'passive');
  if (mode !== 'passive' && !api)
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `WeChat replyMode "${mode}" needs WECHAT_APP_ID and WECHAT_APP_SECRET for the customer-service API.`);
  const budgetMs = opts.replyBudgetMs ?? 4500;
  const maxBodyBytes = opts.maxBodyBytes ?? 64 * 1024;
  const menus = createMenuStore({ now });
  const recent = new Map<string, Promise<WebhookResponse>>();
  const background = new Set<Promise<unknown>>();
  let engine: (TurnHandler & InlineReplies) | undefined;

  const track = (p: Promise<unknown>) => {
    const t = p.catch(() => undefined).finally(() => background.delete(t));
    background.add(t);
  };

  /** Replies of a turn that missed the passive window leave through the outbox (passive mode has no way to send them). */
  async function sendLate(result: TurnResult): Promise<void> {
    if (mode === 'passive') {
      if (result.replies.length) log.warn({ code: 'KEFU_ERR_CHANNEL_SEND_FAILED', replies: result.replies.length }, 'late reply not delivered: passive mode has no API');
      return;
    }
    await engine?.settleHeld(result, 'release');
  }

  /** Sends messages through the customer-service API, in order; throws WechatApiError when WeChat did not take one. */
  async function sendByApi(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void> {
    if (!api) throw new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', 'WeChat has no API credentials (set WECHAT_APP_ID and WECHAT_APP_SECRET); passive mode cannot push messages.');
    const openId = ref.address?.openId ?? ref.userId;
    const plan = planReplies('api', openId, messages, menus, false);
    for (const out of plan.api) await api.post(CUSTOM_SEND_PATH, customMessageBody(openId, out));
  }

  async function runTurn(n: Extract<NormalizedCallback, { type: 'message' }>, encrypted: boolean): Promise<WebhookResponse> {
    if (!engine) throw new KefuError('KEFU_ERR_CHANNEL_NOT_STARTED', `The ${name} channel is not started (or stopped); WeChat will retry.`);
    let inbound = n.inbound;
    const payload = inbound.kind === 'text' ? menus.resolve(n.openId, { menuItemId: n.menuItemId, text: inbound.text ?? '' }) : undefined;
    if (payload) inbound = { ...inbound, kind: 'postback', payload };
    const turn = engine.handle(inbound);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), budgetMs);
    });
    const first = await Promise.race([turn, late]).finally(() => clearTimeout(timer));
    if (first === 'late') {
      log.warn({ budgetMs }, 'wechat turn slower than the passive-reply budget; answering "success" and sending through the API');
      track(turn.then(sendLate).catch((err) => logTurnError(err, true)));
      return SUCCESS;
    }
    return answer(n, first, encrypted);
  }

  async function answer(n: Extract<NormalizedCallback, { type: 'message' }>, result: TurnResult, encrypted: boolean): Promise<WebhookResponse> {
    if (result.duplicate) return SUCCESS;
    const plan = planReplies(mode, n.openId, result.replies, menus, true);
    if (mode !== 'passive') await engine?.settleHeld(result, plan.passive ? 'sent' : 'release');
    if (!plan.passive) return SUCCESS;
    const at = now();
    return passiveAnswer(passiveReplyXml(plan.passive, { openId: n.openId, account: n.account, createTime: Math.floor(at / 1000) }), encrypted, secrets, at);
  }

  function logTurnError(err: unknown, late: boolean): void {
    const code = isKefuError(err) ? err.code : 'KEFU_ERR_INTERNAL';
    log.error({ code, late, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'wechat turn failed');
  }

  /** One callback, de-duplicated: WeChat retries up to 3 times; a retry gets the first answer. */
  function dedupe(key: string, run: () => Promise<WebhookResponse>): Promise<WebhookResponse> {
    const known = recent.get(key);
    if (known) return known;
    const p = run().catch((err: unknown) => {
      logTurnError(err, false);
      const status = isKefuError(err) ? err.httpStatus : 500;
      // A transient failure (store down, shutting down): let WeChat's retry run the turn again.
      if (status >= 500) {
        recent.delete(key);
        return errorResponse(503, isKefuError(err) ? err.code : 'KEFU_ERR_INTERNAL', 'Temporarily unable to process the message; WeChat will retry.');
      }
      return SUCCESS; // a message we can never process: do not make WeChat retry it
    });
    recent.set(key, p);
    if (recent.size > RECENT_CALLBACKS) recent.delete(recent.keys().next().value as string);
    return p;
  }

  async function handleWebhook(req: WebhookRequest): Promise<WebhookResponse> {
    try {
      const at = now();
      if (req.method === 'GET') return answerUrlVerification(req, secrets, at);
      if (req.method !== 'POST') return errorResponse(405, 'KEFU_ERR_HTTP_METHOD', `WeChat callbacks are GET (verification) or POST, not ${req.method}.`);
      if (req.rawBody.length > maxBodyBytes) {
        return errorResponse(413, 'KEFU_ERR_MESSAGE_TOO_LARGE', `WeChat callback body is ${req.rawBody.length} bytes; the limit is ${maxBodyBytes}.`);
      }
      const { fields, encrypted } = openCallback(req, secrets, at);
      const n = normalizeWechatMessage(fields, { channel: name, ...(opts.subscribePayload ? { subscribePayload: opts.subscribePayload } : {}) });
      if (n.type === 'ignored') {
        log.debug({ reason: n.reason }, 'wechat callback ignored');
        return SUCCESS;
      }
      return await dedupe(n.dedupeKey, () => runTurn(n, encrypted));
    } catch (err) {
      if (!isKefuError(err)) throw err;
      if (err.code === 'KEFU_ERR_ADAPTER_SIGNATURE') log.warn({ code: err.code }, 'wechat callback with a bad signature refused');
      else log.warn({ code: err.code }, 'wechat callback refused');
      return errorResponse(err.httpStatus, err.code, err.message);
    }
  }

  return {
    name,
    // Without the API only the passive answer exists: the channel sends its replies itself.
    delivery: mode === 'passive' ? 'self' : 'outbox',
    inlineReplyMs: budgetMs + 1000,
    webhookPath: opts.webhookPath ?? '/webhooks/wechat',
    handleWebhook,
    async start(e) {
      engine = e;
    },
    async stop() {
      await channelIdle();
      engine = undefined;
    },
    send: sendByApi,
    classifySendError: (err: unknown): SendVerdict =>
      err instanceof WechatApiError && err.transient
        ? { kind: 'retry', code: err.code }
        : { kind: 'permanent', code: err instanceof KefuError ? err.code : 'KEFU_ERR_CHANNEL_SEND_FAILED' },
    quickReplies: (openId) => menus.current(openId),
    idle: channelIdle,
  };

  async function channelIdle(): Promise<void> {
    while (background.size) await Promise.all([...background]);
  }
}

export { createWechatCipher, wechatSignature } from './crypto';
export type { ReplyMode } from './deliver';
export { normalizeWechatMessage } from './normalize';
export { verifyCallback } from './verify';
