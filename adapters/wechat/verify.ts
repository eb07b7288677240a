/**
 * Signature checks for WeChat callbacks, pure and with an injected clock (bolt's verify-request).
 * Plain mode: `signature` = sha1(sort(token, timestamp, nonce)). Safe mode: `msg_signature` =
 * sha1(sort(token, timestamp, nonce, Encrypt)), which also covers the ciphertext. Comparisons run in
 * constant time; a timestamp further than `maxAgeSeconds` from `now` is refused (replays).
 */
import { timingSafeEqual } from 'node:crypto';
import { KefuError } from '../../core';
import { wechatSignature } from './crypto';

export const DEFAULT_MAX_AGE_SECONDS = 300;

export interface CallbackQuery {
  signature?: string | undefined;
  msg_signature?: string | undefined;
  timestamp?: string | undefined;
  nonce?: string | undefined;
}

export interface VerifyInput {
  token: string;
  query: CallbackQuery;
  /** The ciphertext (the `Encrypt` element, or a WeCom `echostr`) when the request is encrypted. */
  encrypted?: string | undefined;
  /** Milliseconds since the epoch. */
  now: number;
  maxAgeSeconds?: number;
}

/** Throws KEFU_ERR_ADAPTER_SIGNATURE (401) unless the request is genuine and fresh. */
export function verifyCallback(input: VerifyInput): void {
  const { token, query } = input;
  const { timestamp, nonce } = query;
  if (!timestamp || !nonce) throw signatureError('the query lacks timestamp or nonce');
  if (!/^\d{1,12}$/.test(timestamp)) throw signatureError(`timestamp ${JSON.stringify(timestamp.slice(0, 20))} is not a number of seconds`);
  const skew = Math.abs(input.now / 1000 - Number(timestamp));
  const maxAge = input.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  if (skew > maxAge) throw signatureError(`timestamp is ${Math.round(skew)} s away from our clock (limit ${maxAge} s); a replay, or a wrong server clock`);

  if (input.encrypted !== undefined) {
    if (!query.msg_signature) throw signatureError('an encrypted request lacks msg_signature');
    if (!safeEqualHex(query.msg_signature, wechatSignature(token, timestamp, nonce, input.encrypted))) throw signatureError('msg_signature does not match');
    return;
  }
  if (!query.signature) throw signatureError('the query lacks signature');
  if (!safeEqualHex(query.signature, wechatSignature(token, timestamp, nonce))) throw signatureError('signature does not match');
}

function safeEqualHex(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function signatureError(why: string): KefuError {
  return new KefuError('KEFU_ERR_ADAPTER_SIGNATURE', `WeChat callback refused: ${why}. Check that WECHAT_TOKEN matches the Token set in the WeChat console.`);
}
