/**
 * Framework-neutral webhook shapes (structural, like grammY's framework adapters): adapters take a
 * request with its raw body (signatures are computed over raw bytes) and return a response; only
 * `server/` knows the HTTP framework.
 */
import type { Channel } from './engine';

export interface WebhookRequest {
  method: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: string | Buffer | object;
}

/** A channel that receives platform traffic over HTTP at `webhookPath`. */
export interface WebhookChannel extends Channel {
  readonly webhookPath: string;
  handleWebhook(req: WebhookRequest): Promise<WebhookResponse>;
}

export function isWebhookChannel(channel: Channel): channel is WebhookChannel {
  return typeof (channel as Partial<WebhookChannel>).handleWebhook === 'function' && typeof (channel as Partial<WebhookChannel>).webhookPath === 'string';
}

/** A JSON error response from a coded error. */
export function errorResponse(status: number, code: string, message: string): WebhookResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error: { code, message } } };
}

/** First value of a header, whatever its multiplicity. */
export function headerValue(req: Pick<WebhookRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
