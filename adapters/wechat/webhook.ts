/**
 * The HTTP side of a WeChat callback, pure apart from the cipher: URL verification (GET) and
 * turning a POST into verified, decrypted message fields; and the passive answer going back.
 */
import { randomBytes } from 'node:crypto';
import { KefuError, type WebhookRequest, type WebhookResponse } from '../../core';
import { type WechatCipher, wechatSignature } from './crypto';
import { type CallbackQuery, verifyCallback } from './verify';
import { buildWechatXml, parseWechatXml } from './xml';

export interface CallbackSecrets {
  token: string;
  cipher?: WechatCipher | undefined;
  maxAgeSeconds?: number | undefined;
}

export const SUCCESS: WebhookResponse = { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'success' };

function queryOf(req: WebhookRequest): CallbackQuery & { echostr?: string | undefined } {
  const q = req.query;
  return { signature: q.signature, msg_signature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce, echostr: q.echostr };
}

/** GET: the console's "verify server URL". Answers echostr (decrypted for WeCom-style msg_signature). */
export function answerUrlVerification(req: WebhookRequest, secrets: CallbackSecrets, now: number): WebhookResponse {
  const query = queryOf(req);
  if (!query.echostr) throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', 'WeChat URL verification without echostr; this URL answers WeChat callbacks only.');
  const base = { token: secrets.token, query, now, ...(secrets.maxAgeSeconds ? { maxAgeSeconds: secrets.maxAgeSeconds } : {}) };
  let echo = query.echostr;
  if (query.msg_signature) {
    verifyCallback({ ...base, encrypted: echo });
    if (!secrets.cipher) throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', 'An encrypted echostr arrived but WECHAT_ENCODING_AES_KEY is not set.');
    echo = secrets.cipher.decrypt(echo);
  } else {
    verifyCallback(base);
  }
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: echo };
}

/**
 * POST: checks `signature` (when sent) before reading the body, then `msg_signature` over the
 * ciphertext when the body is encrypted, and returns the message fields.
 */
export function openCallback(req: WebhookRequest, secrets: CallbackSecrets, now: number): { fields: Record<string, unknown>; encrypted: boolean } {
  const query = queryOf(req);
  const base = { token: secrets.token, query, now, ...(secrets.maxAgeSeconds ? { maxAgeSeconds: secrets.maxAgeSeconds } : {}) };
  if (query.signature || !query.msg_signature) verifyCallback(base); // the plain check; throws when neither signature is sent
  const outer = parseWechatXml(req.rawBody.toString('utf8'));
  const encrypt = outer.Encrypt;
  if (encrypt === undefined) {
    if (!query.signature) verifyCallback(base); // only msg_signature, but nothing encrypted: throws
    return { fields: outer, encrypted: false };
  }
  if (typeof encrypt !== 'string' || !encrypt) throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', 'WeChat callback has an empty or nested <Encrypt> element.');
  verifyCallback({ ...base, encrypted: encrypt });
  if (!secrets.cipher)
    throw new KefuError(
      'KEFU_ERR_ADAPTER_PAYLOAD',
      'An encrypted WeChat message arrived but WECHAT_ENCODING_AES_KEY is not set; set it (and WECHAT_APP_ID), or switch the console to plain mode.',
    );
  return { fields: parseWechatXml(secrets.cipher.decrypt(encrypt)), encrypted: true };
}

/** The HTTP answer carrying a passive reply document, encrypted when the request was. */
export function passiveAnswer(xml: string, encrypted: boolean, secrets: CallbackSecrets, now: number): WebhookResponse {
  const headers = { 'content-type': 'application/xml; charset=utf-8' };
  if (!encrypted || !secrets.cipher) return { status: 200, headers, body: xml };
  const timestamp = Math.floor(now / 1000);
  const nonce = randomBytes(8).toString('hex');
  const enc = secrets.cipher.encrypt(xml);
  const signature = wechatSignature(secrets.token, String(timestamp), nonce, enc);
  return { status: 200, headers, body: buildWechatXml({ Encrypt: enc, MsgSignature: signature, TimeStamp: timestamp, Nonce: nonce }) };
}
