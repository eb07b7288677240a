/**
 * The webhook endpoint Telegram POSTs updates to. Order of checks: method → secret token (constant
 * time; nothing of an unauthenticated request is read further) → size → JSON → update schema →
 * the turn. Answers 200 once the turn is saved (replies go through the outbox, so a slow or
 * rate-limited send never makes Telegram re-deliver); a 5xx makes Telegram retry later, and the
 * update_id dedupe in core answers that retry once.
 */
import { asCodedError, errorResponse, headerValue, type Logger, type WebhookRequest, type WebhookResponse } from '../../core';
import { SECRET_HEADER, verifySecretToken } from './verify';

export interface WebhookHandlerOptions {
  secretToken: string;
  maxBodyBytes: number;
  log: Logger;
  /** Validates and processes one parsed update; throws coded errors. */
  handle(update: unknown): Promise<void>;
}

export function createWebhookHandler(opts: WebhookHandlerOptions): (req: WebhookRequest) => Promise<WebhookResponse> {
  return async (req) => {
    if (req.method !== 'POST') {
      const res = errorResponse(405, 'KEFU_ERR_HTTP_METHOD', `Telegram webhooks take POST only, got ${req.method}.`);
      return { ...res, headers: { ...res.headers, allow: 'POST' } };
    }
    if (!verifySecretToken(headerValue(req, SECRET_HEADER), opts.secretToken)) {
      opts.log.warn({ code: 'KEFU_ERR_ADAPTER_SIGNATURE', hasHeader: headerValue(req, SECRET_HEADER) !== undefined }, 'telegram webhook rejected');
      return errorResponse(
        401,
        'KEFU_ERR_ADAPTER_SIGNATURE',
        'Missing or wrong X-Telegram-Bot-Api-Secret-Token; it must equal the secret_token given to setWebhook (TELEGRAM_WEBHOOK_SECRET).',
      );
    }
    if (req.rawBody.length > opts.maxBodyBytes) {
      return errorResponse(413, 'KEFU_ERR_MESSAGE_TOO_LARGE', `Update body is ${req.rawBody.length} bytes; the limit is ${opts.maxBodyBytes}.`);
    }
    let update: unknown;
    try {
      update = JSON.parse(req.rawBody.toString('utf8'));
    } catch (err) {
      return errorResponse(400, 'KEFU_ERR_ADAPTER_PAYLOAD', `Update body is not valid JSON (${(err as Error).message}). Telegram sends one Update object as application/json.`);
    }
    try {
      await opts.handle(update);
      return { status: 200 };
    } catch (err) {
      const coded = asCodedError(err);
      if (coded.httpStatus >= 500) {
        opts.log.error({ code: coded.code, err: { name: coded.name, message: coded.message } }, 'telegram update failed; Telegram will retry it');
        const message = coded.code === 'KEFU_ERR_INTERNAL' ? 'Internal error; see the server log.' : coded.message;
        return errorResponse(coded.httpStatus, coded.code, message);
      }
      return errorResponse(coded.httpStatus, coded.code, coded.message);
    }
  };
}
