/** A WeChat API call that failed, with WeChat's errcode, and whether trying again can help. */
import { KefuError } from '../../core';

/** errcodes meaning "the access_token is invalid or expired": refresh it and retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
/** errcodes meaning "busy / rate limited": back off and retry. */
export const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45011]);

export class WechatApiError extends KefuError {
  readonly errcode: number | undefined;
  readonly status: number | undefined;
  readonly transient: boolean;

  constructor(what: string, detail: { errcode?: number; errmsg?: string; status?: number; cause?: unknown }) {
    const transient = isTransient(detail);
    const why =
      detail.errcode !== undefined
        ? `errcode ${detail.errcode}${detail.errmsg ? ` (${detail.errmsg.slice(0, 120)})` : ''}`
        : detail.status !== undefined
          ? `HTTP ${detail.status}`
          : `network error: ${detail.cause instanceof Error ? detail.cause.message : String(detail.cause)}`;
    super('KEFU_ERR_CHANNEL_SEND_FAILED', `WeChat ${what} failed: ${why}.${transient ? ' It is retried.' : ''}`, detail.cause === undefined ? {} : { cause: detail.cause });
    this.name = 'WechatApiError';
    this.errcode = detail.errcode;
    this.status = detail.status;
    this.transient = transient;
  }
}

function isTransient(d: { errcode?: number; status?: number }): boolean {
  if (d.errcode !== undefined) return TRANSIENT_ERRCODES.has(d.errcode);
  if (d.status !== undefined) return d.status === 429 || d.status >= 500;
  return true; // network error or timeout
}
