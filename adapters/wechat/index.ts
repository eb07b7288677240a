/**
 * WeChat Official Account (and WeCom-style) callback channel: a {@link WebhookChannel} that verifies
 * and (in safe mode) decrypts WeChat's XML callbacks, runs the turn, and answers with a passive reply
 * when one fits in WeChat's 5-second window, else "success" plus customer-service API messages.
 * With the API, replies are held in the engine's durable outbox while the callback decides: sent in
 * the passive answer (marked sent), or released to the outbox, which sends them through the API
 * (`send`), retried across restarts. A process that dies mid-callback loses nothing: the hold ends
 * and the outbox sends them. The channel runtime (core/channel-runtime.ts) runs the turns, drops
 * WeChat's retries (by MsgId, in core) and keeps the numbered quick-reply menus in the session.
 * @example
 * const wechat = createWechatChannel({ token: 'xyz', appId: 'wx…', appSecret: '…', encodingAESKey: '…' });
 * engine.addChannel(wechat); await wechat.start(engine); // server/ mounts wechat.webhookPath
 */
import {
  type ChannelHost,
  type ConversationRef,
  createChannelRuntime,
  errorResponse,
  isKefuError,
  KefuError,
  type Logger,
  type MenuItem,
  type OutboundMessage,
  type SendVerdict,
  silentLogger,
  type TurnResult,
  type WebhookChannel,
  type WebhookRequest,
  type WebhookResponse,
} from '../../core';
import { createWechatApi, type WechatApi } from './api';
import { createWechatCipher } from './crypto';
import { CUSTOM_SEND_PATH, planReplies, type ReplyMode } from './deliver';
import { WechatApiError } from './errors';
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
  start(engine: ChannelHost): Promise<void>;
  stop(): Promise<void>;
  /** The user's current quick-reply options (what "1", "2"… stand for), kept in the conversation's session. */
  menu(openId: string): Promise<readonly MenuItem[]>;
  /** Resolves when every reply sent in the background so far has been handed to WeChat (or the outbox). */
  idle(): Promise<void>;
}

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
  const background = new Set<Promise<unknown>>();

  const track = (p: Promise<unknown>) => {
    const t = p.catch(() => undefined).finally(() => background.delete(t));
    background.add(t);
  };

  /** Sends messages through the customer-service API, in order; throws WechatApiError when WeChat did not take one. */
  async function sendByApi(ref: ConversationRef, messages: readonly OutboundMessage[]): Promise<void> {
    if (!api) throw new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', 'WeChat has no API credentials (set WECHAT_APP_ID and WECHAT_APP_SECRET); passive mode cannot push messages.');
    const openId = ref.address?.openId ?? ref.userId;
    for (const out of planReplies('api', messages, false).api) await api.post(CUSTOM_SEND_PATH, customMessageBody(openId, out));
  }

  const runtime = createChannelRuntime(
    {
      name,
      quickReplies: 'numbered',
      // Without the API only the passive answer exists: the channel sends its replies itself.
      delivery: mode === 'passive' ? 'self' : 'outbox',
      inlineReplyMs: budgetMs + 1000,
      send: sendByApi,
      classifySendError: (err: unknown): SendVerdict =>
        err instanceof WechatApiError && err.transient
          ? { kind: 'retry', code: err.code }
          : { kind: 'permanent', code: err instanceof KefuError ? err.code : 'KEFU_ERR_CHANNEL_SEND_FAILED' },
    },
    { log, now },
  );

  /** Replies of a turn that missed the passive window leave through the outbox (passive mode has no way to send them). */
  async function sendLate(ref: ConversationRef, result: TurnResult): Promise<void> {
    if (mode === 'passive') {
      if (result.replies.length) log.warn({ code: 'KEFU_ERR_CHANNEL_SEND_FAILED', replies: result.replies.length }, 'late reply not delivered: passive mode has no API');
      return;
    }
    await runtime.settleHeld(ref, result, 'release');
  }

  async function runTurn(n: Message, encrypted: boolean): Promise<WebhookResponse> {
    const turn = runtime.receive(n.inbound, { menuItemId: n.menuItemId });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), budgetMs);
    });
    const first = await Promise.race([turn, late]).finally(() => clearTimeout(timer));
    if (first === 'late') {
      log.warn({ budgetMs }, 'wechat turn slower than the passive-reply budget; answering "success" and sending through the API');
      track(turn.then((result) => sendLate(refOf(n), result)).catch((err) => logTurnError(err, true)));
      return SUCCESS;
    }
    return answer(n, first, encrypted);
  }

  /**
   * The HTTP answer to a turn: its passive reply, or "success" with the replies released to the
   * outbox. A re-delivery (dropped by the engine as a duplicate) means WeChat did not get the first
   * answer (it does not retry after "success"): it gets the first passive reply again, or "success".
   */
  async function answer(n: Message, result: TurnResult, encrypted: boolean): Promise<WebhookResponse> {
    const replies = result.duplicate ? (result.previousReplies ?? []) : result.replies;
    const plan = planReplies(mode, replies, true);
    if (!result.duplicate && mode !== 'passive') await runtime.settleHeld(refOf(n), result, plan.passive ? 'sent' : 'release');
    if (!result.duplicate && mode === 'passive') runtime.shown(refOf(n), replies);
    if (!plan.passive) return SUCCESS;
    const at = now();
    return passiveAnswer(passiveReplyXml(plan.passive, { openId: n.openId, account: n.account, createTime: Math.floor(at / 1000) }), encrypted, secrets, at);
  }

  function logTurnError(err: unknown, late: boolean): void {
    const code = isKefuError(err) ? err.code : 'KEFU_ERR_INTERNAL';
    log.error({ code, late, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'wechat turn failed');
  }

  /** A failed turn: a transient failure (store down, shutting down) makes WeChat retry; one that can never work is answered "success". */
  function failedAnswer(err: unknown): WebhookResponse {
    logTurnError(err, false);
    const status = isKefuError(err) ? err.httpStatus : 500;
    if (status >= 500) return errorResponse(503, isKefuError(err) ? err.code : 'KEFU_ERR_INTERNAL', 'Temporarily unable to process the message; WeChat will retry.');
    return SUCCESS;
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
      // WeChat retries a callback up to 3 times; the engine drops the repeats by MsgId (kept in the session).
      return await runTurn(n, encrypted).catch(failedAnswer);
    } catch (err) {
      if (!isKefuError(err)) throw err;
      if (err.code === 'KEFU_ERR_ADAPTER_SIGNATURE') log.warn({ code: err.code }, 'wechat callback with a bad signature refused');
      else log.warn({ code: err.code }, 'wechat callback refused');
      return errorResponse(err.httpStatus, err.code, err.message);
    }
  }

  async function channelIdle(): Promise<void> {
    while (background.size) await Promise.all([...background]);
    await runtime.idle();
  }

  return {
    ...runtime.channel,
    webhookPath: opts.webhookPath ?? '/webhooks/wechat',
    handleWebhook,
    async start(engine) {
      runtime.attach(engine);
    },
    async stop() {
      await channelIdle();
      runtime.attach(undefined);
    },
    menu: (openId) => runtime.menu(openId),
    idle: channelIdle,
  };
}

type Message = Extract<NormalizedCallback, { type: 'message' }>;

function refOf(n: Message): ConversationRef {
  return { channel: n.inbound.channel, conversationId: n.inbound.conversationId, userId: n.inbound.userId, ...(n.inbound.address ? { address: n.inbound.address } : {}) };
}

export { createWechatCipher, wechatSignature } from './crypto';
export type { ReplyMode } from './deliver';
export { normalizeWechatMessage } from './normalize';
export { verifyCallback } from './verify';
