/**
 * Webhook authenticity. Telegram sends the `secret_token` given to setWebhook in the
 * `X-Telegram-Bot-Api-Secret-Token` header of every update. The header carries no timestamp, so
 * unlike Slack there is no clock (and no `now` parameter); replays are caught by update_id dedupe.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Constant-time comparison of the received header with the configured secret. Both are hashed
 * first so that neither the length nor a common prefix leaks through timing.
 */
export function verifySecretToken(received: string | undefined, expected: string): boolean {
  if (received === undefined || expected === '') return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
