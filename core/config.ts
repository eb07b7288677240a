/**
 * All configuration, from the environment (and `.env`), validated once by one zod schema.
 * Every problem is reported together in one KEFU_ERR_CONFIG_INVALID, one line per variable;
 * the result is frozen. `.env.example` documents exactly these keys (a test checks it).
 */
import { z } from 'zod';
import { KefuError } from './errors';

const optionalString = z.string().min(1).optional();
const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  // server
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.url({ error: 'must be a URL such as https://bot.example.com' }).optional(),
  // storage
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, { error: 'must start with mongodb:// or mongodb+srv://' })
    .optional(),
  /** Idle sessions expire after this many days: the sessions' retention period (0 = never). */
  SESSION_TTL_DAYS: int(30, 0, 3650),
  /** Retention (docs/privacy.md): older records of each kind are deleted once a day; 0 keeps them until erased. */
  RETENTION_MESSAGES_DAYS: int(0, 0, 36_500),
  RETENTION_HANDOFFS_DAYS: int(0, 0, 36_500),
  RETENTION_TICKETS_DAYS: int(0, 0, 36_500),
  RETENTION_INBOX_DAYS: int(0, 0, 36_500),
  /** Daily copies of the SQLite store (docs/stores.md): the folder (unset: none), and how many of the newest are kept. */
  BACKUP_DIR: optionalString,
  BACKUP_KEEP: int(7, 1, 1000),
  KEFU_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`' })
    .optional(),
  /** Keys records were sealed with before KEFU_ENCRYPTION_KEY: they still open; `kefu keys rotate` moves them to the current key. */
  KEFU_ENCRYPTION_OLD_KEYS: z
    .string()
    .regex(/^\s*[0-9a-fA-F]{64}\s*(,\s*[0-9a-fA-F]{64}\s*)*$/, { error: 'must be a comma list of 64-hex-character keys (earlier values of KEFU_ENCRYPTION_KEY)' })
    .optional()
    .transform((v) => (v ? v.split(',').map((k) => k.trim()) : [])),
  /** After the daily audit, the day's reports go to: file (CSV in DATA_DIR/reports), slack (a summary post), both ("file,slack"), or nowhere (off). docs/reports.md */
  DAILY_REPORTS: z
    .string()
    .default('off')
    .transform((v) => (v.trim() === 'off' ? [] : [...new Set(v.split(',').map((t) => t.trim()))]))
    .pipe(z.array(z.enum(['file', 'slack'], { error: 'must be "off", "file", "slack" or "file,slack"' }))),
  /** When the daily automatic audit verifies the day before: "HH:MM" with an optional IANA zone (default UTC), or "off". */
  AUDIT_VERIFY_AT: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d( [A-Za-z_]+(\/[A-Za-z_+-]+)*)?)$/, { error: 'must be "off" or like "03:00", "03:00 UTC" or "03:00 Asia/Shanghai"' })
    .default('03:00 UTC'),
  // several instances (multi-instance mode)
  /** Turns on multi-instance mode: pushes, console events, limits, revocations and delivery leases go through this Redis. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' })
    .optional(),
  /** Prefix of every Redis key and channel (several deployments, or tests, on one Redis). */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, { error: 'must be 1-64 of A-Z a-z 0-9 : _ . -' })
    .default('kefu:'),
  /** Signs console sessions and event-stream tickets; required with REDIS_URL (every instance the same). */
  KEFU_SECRET: z.string().min(32, { error: 'must have at least 32 characters, e.g. from `openssl rand -hex 32`' }).optional(),
  // nlu and dialogs
  DEFAULT_LOCALE: z.enum(['en', 'zh']).default('en'),
  NLU_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  /** A/B experiments of bot versions (docs/experiments.md); none when unset. */
  EXPERIMENTS_FILE: optionalString,
  LOCALES_DIR: z.string().min(1).default('./locales'),
  // handoff
  HANDOFF_AFTER_FALLBACKS: int(2, 0, 20),
  HANDOFF_ANGER_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  BUSINESS_HOURS: z
    .string()
    .regex(/^(always|([0-7]-[0-7] )?\d{2}:\d{2}-\d{2}:\d{2}( [A-Za-z_]+\/[A-Za-z_]+)?)$/, { error: 'must be "always" or like "1-5 09:00-18:00 Asia/Shanghai"' })
    .default('always'),
  AGENTS_FILE: optionalString,
  /** Quality inspection (docs/quality.md): forbidden phrases, greetings, closings and weights as JSON over the built-in rules. */
  QA_RULES_FILE: optionalString,
  /** Deprecated: QA now uses the SLA_*_FIRST_RESPONSE_SECONDS targets; when set, it still replaces the agent tier's target for QA (a warning is logged). */
  QA_FIRST_RESPONSE_SLA_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  /** QA flags a customer message the agent answered later than this. */
  QA_REPLY_SLA_SECONDS: int(120, 1, 86_400),
  AGENT_AWAY_AFTER_SECONDS: int(120, 10, 86_400),
  AGENT_OFFLINE_AFTER_SECONDS: int(900, 30, 604_800),
  AGENT_DISCONNECT_GRACE_SECONDS: int(30, 0, 3600),
  HANDOFF_OFFER_TIMEOUT_SECONDS: int(30, 5, 3600),
  /** Agent tier's first-response target (SLA): from the request to the first agent reply; 0 = none. A breach alerts supervisors. */
  SLA_AGENT_FIRST_RESPONSE_SECONDS: int(60, 0, 86_400),
  /** Expert tier's first-response target: from an agent's escalation to the first expert reply; 0 = none. */
  SLA_EXPERT_FIRST_RESPONSE_SECONDS: int(300, 0, 604_800),
  TICKET_REOPEN_DAYS: int(7, 0, 365),
  // telegram
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('polling'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, { error: 'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram rule)' })
    .optional(),
  TELEGRAM_API_ROOT: z.url().optional(),
  // slack
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: z.url().optional(),
  SLACK_SUPPORT_CHANNEL: optionalString,
  /** Channel ID for supervisor alerts (missed first-response targets) and the daily Slack report; default SLACK_SUPPORT_CHANNEL. */
  SLACK_ALERTS_CHANNEL: optionalString,
  // wechat official account / wecom
  WECHAT_APP_ID: optionalString,
  WECHAT_APP_SECRET: optionalString,
  WECHAT_TOKEN: optionalString,
  WECHAT_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, { error: 'must be the 43-character EncodingAESKey from the WeChat console' })
    .optional(),
  WECHAT_API_BASE: z.url().optional(),
  // wechaty
  WECHATY_PUPPET: optionalString,
  WECHATY_PUPPET_TOKEN: optionalString,
  WECHATY_NAME: z.string().min(1).default('kefu'),
  // web chat / console
  WEB_CHAT_ENABLED: flag(true),
  /** Web chat messages a minute from one client address (0: no limit, e.g. for a load test from one machine). */
  WEB_RATE_LIMIT_PER_IP: int(600, 0, 1_000_000),
  /** Web chat messages a minute in one conversation (0: no limit). */
  WEB_RATE_LIMIT_PER_CONVERSATION: int(30, 0, 100_000),
  /** Escalations to a person a web client address may ask for per hour (0 = no limit). */
  WEB_ESCALATIONS_PER_IP_PER_HOUR: int(30, 0, 100_000),
  /** Escalations one conversation may ask for per hour, on every channel (0 = no limit). */
  ESCALATIONS_PER_CONVERSATION_PER_HOUR: int(10, 0, 10_000),
  /** Verifies the customer identities a shop's backend signs (HMAC-SHA256); without it every web customer is a visitor. */
  WEB_IDENTITY_SECRET: z.string().min(32, { error: 'must have at least 32 characters, e.g. from `openssl rand -hex 32`' }).optional(),
  CONSOLE_AGENTS: optionalString,
  /** Other origins (scheme://host[:port]) whose pages may POST to the console with its cookie and open its socket. */
  CONSOLE_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s?#]+$/, { error: 'must be a comma list of origins like https://support.example.com (no path)' }))),
  /** Which proxies' X-Forwarded-For/-Proto/-Host to believe: off (default), true, a hop count, or addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .regex(/^(false|true|\d{1,2}|[0-9a-zA-Z.:/,\s]+)$/, { error: 'must be false, true, a hop count, or a comma list of IP addresses, CIDRs or "loopback"' })
    .default('false'),
});

export type Config = z.output<typeof configSchema>;

/**
 * Parses `env` (default `process.env`) into a frozen config, or throws one KEFU_ERR_CONFIG_INVALID
 * listing every bad variable, e.g. `MONGODB_URI: must start with mongodb:// (got "localhost")`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const got = env[name];
      return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(redact(name, got))})`}`;
    });
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `Invalid configuration; fix these variables (see .env.example):\n  ${lines.join('\n  ')}`, { details: lines });
  }
  return deepFreeze(parsed.data);
}

function redact(name: string, value: string): string {
  return /TOKEN|SECRET|KEY|URI/.test(name) ? `${value.slice(0, 4)}…` : value;
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
