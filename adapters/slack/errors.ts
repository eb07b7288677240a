/**
 * Slack Web API failures → coded kefu errors. The WebClient already retried 429 (after
 * `Retry-After`) and 5xx; what reaches here is either permanent (a Slack `{ok:false,error}` such as
 * `invalid_auth` or `channel_not_found`) or transient after retries (HTTP 5xx, network).
 */
import { KefuError } from '../../core';

/** `{ok:false}` errors that mean the token is wrong, revoked or lacks access. */
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope', 'not_allowed_token_type']);
/** `{ok:false}` errors Slack documents as temporary. */
const TRANSIENT_ERRORS = new Set(['ratelimited', 'fatal_error', 'internal_error', 'service_unavailable', 'request_timeout']);

export interface SlackFailure {
  error: KefuError;
  /** Worth retrying later (outbox); false for errors that will not change by waiting. */
  transient: boolean;
  /** Slack's own error string (`invalid_auth`) or HTTP status, for logs. */
  reason: string;
}

export function classifySlackError(err: unknown, method: string): SlackFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown; message?: unknown };
  if (e.code === 'slack_webapi_platform_error') {
    const reason = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
    if (AUTH_ERRORS.has(reason)) {
      const error = new KefuError(
        'KEFU_ERR_CHANNEL_AUTH',
        `Slack refused ${method} with "${reason}": check SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token, xoxb-…) and the bot scopes (chat:write, im:history, app_mentions:read, users:read).`,
        { cause: err },
      );
      return { error, transient: false, reason };
    }
    const transient = TRANSIENT_ERRORS.has(reason);
    return { error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', `Slack ${method} failed with "${reason}".`, { cause: err }), transient, reason };
  }
  if (e.code === 'slack_webapi_http_error') {
    const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
    return {
      error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', `Slack ${method} kept answering HTTP ${status} after retries.`, { cause: err }),
      transient: true,
      reason: `http_${status}`,
    };
  }
  if (e.code === 'slack_webapi_request_error' || e.code === 'slack_webapi_rate_limited_error') {
    return {
      error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', `Slack ${method} could not be reached or stayed rate limited after retries.`, { cause: err }),
      transient: true,
      reason: String(e.code),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  // The WebClient signals "still rate limited after every retry" with a plain Error.
  if (/rate limit was exceeded/i.test(message)) {
    return { error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', `Slack ${method} stayed rate limited after retries.`, { cause: err }), transient: true, reason: 'ratelimited' };
  }
  return { error: new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', `Slack ${method} failed: ${message}`, { cause: err }), transient: false, reason: 'unexpected' };
}
