/** Options of {@link createTelegramChannel}, checked once with zod: every problem in one KEFU_ERR_CONFIG_INVALID. */
import { z } from 'zod';
import { KefuError, type Logger } from '../../core';
import type { RetryPolicy } from './send-with-retry';

export interface TelegramChannelOptions {
  /** Bot token from @BotFather, `123456:ABC…`. */
  token: string;
  mode: 'webhook' | 'polling';
  /** Bot API server (default https://api.telegram.org); tests point it at a local server. */
  apiRoot?: string;
  /** Webhook mode: the secret Telegram sends in X-Telegram-Bot-Api-Secret-Token. Required there. */
  secretToken?: string;
  /** Path server/ mounts the webhook at (default /webhooks/telegram). */
  webhookPath?: string;
  /** Public https URL of the webhook; when set, `start()` registers it with setWebhook. */
  webhookUrl?: string;
  /** What `/start` becomes: a postback with this payload (default `intent:greeting`). */
  startPayload?: string;
  log?: Logger;
  /** Inline retries of one Bot API call; longer waits are the engine outbox's (its `retryDelaysMs`). */
  retry?: Partial<RetryPolicy>;
  /** Largest webhook body accepted (default 1 MiB; Telegram updates are a few KB). */
  maxBodyBytes?: number;
  now?: () => number;
}

const optionsSchema = z.object({
  token: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, { error: 'must look like 123456:ABC-DEF… (the token @BotFather gave you)' }),
  mode: z.enum(['webhook', 'polling']),
  apiRoot: z.url().optional(),
  secretToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, { error: 'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram rule)' })
    .optional(),
  webhookPath: z.string().startsWith('/').optional(),
  webhookUrl: z.url().optional(),
});

export type CheckedOptions = z.infer<typeof optionsSchema>;

export function checkOptions(options: TelegramChannelOptions): CheckedOptions {
  const parsed = optionsSchema.safeParse(options);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (options.mode === 'webhook' && !options.secretToken) problems.push('secretToken: required in webhook mode (set TELEGRAM_WEBHOOK_SECRET), or anyone could post fake updates');
  if (!parsed.success || problems.length) {
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `Invalid Telegram channel options:\n  ${problems.join('\n  ')}`, { details: problems });
  }
  return parsed.data;
}
