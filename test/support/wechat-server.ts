/**
 * A local stand-in for WeChat, speaking its documented protocol over real HTTP:
 *  - the API server: `GET /cgi-bin/token` (counts calls, can expire or revoke tokens) and
 *    `POST /cgi-bin/message/custom/send` (records messages; can answer errcode 45009/-1/40001 or 500);
 *  - the callback side: builds signed (plain) and encrypted (safe mode) callback XML the way WeChat
 *    does and POSTs it to the adapter's webhook, and opens (decrypts, checks) passive replies.
 * The crypto here is written from WeChat's documentation, apart from the adapter's, so a shared
 * mistake would have to be made twice.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import Fastify from 'fastify';
import type { WebhookChannel } from '../../core';
import { webhookRoutes } from '../../server/routes/webhooks';

export interface CustomMessage {
  touser: string;
  msgtype: string;
  text?: { content: string };
  image?: { media_id: string };
  msgmenu?: { head_content: string; list: { id: string; content: string }[]; tail_content?: string };
}

export type SendFailure = 'rate' | 'busy' | 'http500' | 'invalid-token' | 'out-of-window';

export interface WechatServer {
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  /** Messages accepted by custom/send, in order. */
  readonly messages: CustomMessage[];
  tokenCalls(): number;
  sendAttempts(): number;
  /** Tokens issued so far stop working with errcode 42001 (expired). */
  expireTokens(): void;
  /** The next `times` custom/send calls fail this way. */
  failSends(kind: SendFailure, times: number): void;
  close(): Promise<void>;
}

const FAILURE_REPLY: Record<Exclude<SendFailure, 'http500'>, { errcode: number; errmsg: string }> = {
  rate: { errcode: 45009, errmsg: 'reach max api daily quota limit' },
  busy: { errcode: -1, errmsg: 'system error' },
  'invalid-token': { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' },
  'out-of-window': { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' },
};

export async function startWechatServer(opts: { appId?: string; appSecret?: string; tokenTtlSeconds?: number } = {}): Promise<WechatServer> {
  const appId = opts.appId ?? 'wx5823bf96d3bd56c7';
  const appSecret = opts.appSecret ?? 'test-app-secret';
  const messages: CustomMessage[] = [];
  const live = new Set<string>();
  const expired = new Set<string>();
  const failures: SendFailure[] = [];
  let tokens = 0;
  let attempts = 0;

  const json = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      tokens += 1;
      const q = url.searchParams;
      if (q.get('grant_type') !== 'client_credential') return json(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
      if (q.get('appid') !== appId) return json(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
      if (q.get('secret') !== appSecret) return json(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
      const token = `ACCESS_TOKEN_${tokens}_${randomBytes(4).toString('hex')}`;
      live.add(token);
      return json(res, 200, { access_token: token, expires_in: opts.tokenTtlSeconds ?? 7200 });
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') {
      attempts += 1;
      const token = url.searchParams.get('access_token') ?? '';
      if (expired.has(token)) return json(res, 200, { errcode: 42001, errmsg: 'access_token expired' });
      if (!live.has(token)) return json(res, 200, { errcode: 40001, errmsg: 'invalid credential' });
      const failure = failures.shift();
      if (failure === 'http500') return json(res, 500, { errmsg: 'internal error' });
      if (failure) return json(res, 200, FAILURE_REPLY[failure]);
      let body: CustomMessage;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CustomMessage;
      } catch {
        return json(res, 200, { errcode: 47001, errmsg: 'data format error' });
      }
      if (!body.touser || !['text', 'image', 'msgmenu'].includes(body.msgtype) || !(body.msgtype in body)) return json(res, 200, { errcode: 47001, errmsg: 'data format error' });
      messages.push(body);
      return json(res, 200, { errcode: 0, errmsg: 'ok' });
    }
    json(res, 404, { errcode: 404, errmsg: 'not found' });
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    messages,
    tokenCalls: () => tokens,
    sendAttempts: () => attempts,
    expireTokens() {
      for (const t of live) expired.add(t);
    },
    failSends(kind, times) {
      for (let i = 0; i < times; i++) failures.push(kind);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------- the callback side

export interface CallbackSecrets {
  token: string;
  appId: string;
  /** Set for safe (encrypted) mode. */
  encodingAESKey?: string;
}

export const sha1Signature = (...parts: string[]): string => createHash('sha1').update(parts.sort().join('')).digest('hex');

export type XmlValue = string | number | bigint;

/** WeChat's message XML: strings in CDATA, numbers bare. */
export function wechatXml(fields: Record<string, XmlValue>): string {
  return `<xml>${Object.entries(fields)
    .map(([k, v]) => (typeof v === 'string' ? `<${k}><![CDATA[${v}]]></${k}>` : `<${k}>${v}</${k}>`))
    .join('')}</xml>`;
}

function aesKey(encodingAESKey: string): Buffer {
  return Buffer.from(`${encodingAESKey}=`, 'base64');
}

/** random(16) + msg_len(4, network order) + msg + appid, PKCS#7 to 32, AES-256-CBC, base64. */
export function wechatEncrypt(secrets: CallbackSecrets, message: string): string {
  const key = aesKey(secrets.encodingAESKey ?? '');
  const msg = Buffer.from(message);
  const len = Buffer.from([(msg.length >>> 24) & 255, (msg.length >>> 16) & 255, (msg.length >>> 8) & 255, msg.length & 255]);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(secrets.appId)]);
  const padLen = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.from(new Array(padLen).fill(padLen))]);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]).toString('base64');
}

export function wechatDecrypt(secrets: CallbackSecrets, encrypted: string): { message: string; appId: string } {
  const key = aesKey(secrets.encodingAESKey ?? '');
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  const padded = Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
  const plain = padded.subarray(0, padded.length - (padded[padded.length - 1] ?? 0));
  const len = plain.readUInt32BE(16);
  return { message: plain.subarray(20, 20 + len).toString(), appId: plain.subarray(20 + len).toString() };
}

export interface BuiltCallback {
  query: Record<string, string>;
  body: string;
}

/** Signs (and in safe mode encrypts) a message XML the way WeChat's servers do. */
export function buildCallback(secrets: CallbackSecrets, xml: string, opts: { openId?: string; now?: number; nonce?: string } = {}): BuiltCallback {
  const timestamp = String(Math.floor((opts.now ?? Date.now()) / 1000));
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const query: Record<string, string> = { signature: sha1Signature(secrets.token, timestamp, nonce), timestamp, nonce };
  if (opts.openId) query.openid = opts.openId;
  if (!secrets.encodingAESKey) return { query, body: xml };
  const encrypt = wechatEncrypt(secrets, xml);
  const toUser = /<ToUserName><!\[CDATA\[(.*?)\]\]><\/ToUserName>/.exec(xml)?.[1] ?? '';
  return {
    query: { ...query, encrypt_type: 'aes', msg_signature: sha1Signature(secrets.token, timestamp, nonce, encrypt) },
    body: wechatXml({ ToUserName: toUser, Encrypt: encrypt }),
  };
}

const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true });

/**
 * Reads an answer to a callback as WeChat would: "success"/empty, or a passive reply (decrypted and
 * its MsgSignature checked in safe mode). Throws when the answer would be refused by WeChat.
 */
export function openPassiveReply(secrets: CallbackSecrets, body: string): Record<string, unknown> | 'success' {
  if (body === '' || body === 'success') return 'success';
  const outer = (xmlParser.parse(body) as { xml?: Record<string, unknown> }).xml;
  if (!outer) throw new Error(`the answer is neither "success" nor XML: ${body.slice(0, 80)}`);
  if (!('Encrypt' in outer)) return outer;
  const { Encrypt, MsgSignature, TimeStamp, Nonce } = outer as Record<string, string>;
  if (MsgSignature !== sha1Signature(secrets.token, String(TimeStamp), String(Nonce), String(Encrypt))) throw new Error('passive reply MsgSignature does not match');
  const { message, appId } = wechatDecrypt(secrets, String(Encrypt));
  if (appId !== secrets.appId) throw new Error(`passive reply encrypted for ${appId}, not ${secrets.appId}`);
  const inner = (xmlParser.parse(message) as { xml?: Record<string, unknown> }).xml;
  if (!inner) throw new Error('encrypted passive reply is not XML');
  return inner;
}

/** POSTs (or GETs) a callback to `url` with its query string, as WeChat does. */
export async function deliverCallback(url: string, call: BuiltCallback, method: 'POST' | 'GET' = 'POST'): Promise<{ status: number; body: string }> {
  const target = `${url}?${new URLSearchParams(call.query).toString()}`;
  const res = await fetch(target, method === 'POST' ? { method, headers: { 'content-type': 'text/xml' }, body: call.body } : { method });
  return { status: res.status, body: await res.text() };
}

/** Serves a channel's webhook the way server/ does (Fastify + the raw-body webhook routes). */
export async function mountWebhook(channel: WebhookChannel): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  await app.register(webhookRoutes, { channels: [channel] });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}${channel.webhookPath}`, close: () => app.close() };
}

export interface CallbackAnswer {
  status: number;
  body: string;
  /** The opened answer for a 200: "success" or the passive reply's fields. */
  reply?: Record<string, unknown> | 'success';
}

/** A WeChat user writing to the account: each call is one signed (and maybe encrypted) callback. */
export interface WechatUser {
  readonly openId: string;
  text(content: string, extra?: Record<string, XmlValue>): Promise<CallbackAnswer>;
  image(): Promise<CallbackAnswer>;
  location(): Promise<CallbackAnswer>;
  event(event: string, eventKey?: string): Promise<CallbackAnswer>;
  /** Any message fields (ToUserName, FromUserName and CreateTime are filled in). */
  send(fields: Record<string, XmlValue>): Promise<CallbackAnswer>;
  /** The previous callback again, byte for byte (a WeChat retry). */
  resend(): Promise<CallbackAnswer>;
  /** Passive replies received so far, opened. */
  readonly passiveReplies: Record<string, unknown>[];
}

let msgSeq = 24_000_000_000_000_000n;

export function createWechatUser(opts: { url: string; secrets: CallbackSecrets; openId?: string; account?: string; now?: () => number }): WechatUser {
  const openId = opts.openId ?? `oUser_${randomBytes(6).toString('hex')}`;
  const account = opts.account ?? 'gh_kefu_test';
  const now = opts.now ?? Date.now;
  const passiveReplies: Record<string, unknown>[] = [];
  let last: BuiltCallback | undefined;

  const post = async (call: BuiltCallback): Promise<CallbackAnswer> => {
    last = call;
    const res = await deliverCallback(opts.url, call);
    if (res.status !== 200) return res;
    const reply = openPassiveReply(opts.secrets, res.body);
    if (reply !== 'success') passiveReplies.push(reply);
    return { ...res, reply };
  };
  const send = (fields: Record<string, XmlValue>) => {
    const xml = wechatXml({ ToUserName: account, FromUserName: openId, CreateTime: Math.floor(now() / 1000), ...fields });
    return post(buildCallback(opts.secrets, xml, { openId, now: now() }));
  };
  const nextId = () => (msgSeq += 1n);
  return {
    openId,
    passiveReplies,
    send,
    text: (content, extra = {}) => send({ MsgType: 'text', Content: content, MsgId: nextId(), ...extra }),
    image: () => send({ MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/test.jpg', MediaId: `media_${nextId()}`, MsgId: nextId() }),
    location: () => send({ MsgType: 'location', Location_X: 23.134521, Location_Y: 113.358803, Scale: 20, Label: 'somewhere', MsgId: nextId() }),
    event: (event, eventKey) => send({ MsgType: 'event', Event: event, ...(eventKey === undefined ? {} : { EventKey: eventKey }) }),
    resend() {
      if (!last) throw new Error('nothing was sent yet');
      return post(last);
    },
  };
}
