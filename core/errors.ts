/**
 * Every error kefu raises on purpose is a {@link KefuError} with a stable `KEFU_ERR_<AREA>_<WHAT>`
 * code from {@link ERROR_CODES}. Codes are never reused; `docs/errors.md` documents each one
 * (a test checks that).
 */
export const ERROR_CODES = {
  KEFU_ERR_CONFIG_INVALID: { httpStatus: 500, summary: 'A configuration variable has a bad value.' },
  KEFU_ERR_MESSAGE_INVALID: { httpStatus: 400, summary: 'An inbound message does not match the message model.' },
  KEFU_ERR_MESSAGE_TOO_LARGE: { httpStatus: 413, summary: 'An inbound message text is longer than allowed.' },
  KEFU_ERR_WEB_AUTH: { httpStatus: 401, summary: 'A web chat request for a conversation without its conversation token (or the event stream without a valid ticket).' },
  KEFU_ERR_INIT_TARGET_NOT_EMPTY: { httpStatus: 400, summary: 'kefu init was given a folder that is not empty.' },
  KEFU_ERR_ERASE_ACTIVE_HANDOFF: { httpStatus: 409, summary: 'A conversation with a person on it cannot be erased until its handoff ends.' },
  KEFU_ERR_ERASE_CUSTOMER_INVALID: { httpStatus: 400, summary: 'An erasure by customer named an id that is not <channel>:<user id>.' },
  KEFU_ERR_PLUGIN_ORDER: { httpStatus: 500, summary: 'A plugin was registered before a plugin it needs, or twice.' },
  KEFU_ERR_CLUSTER_UNAVAILABLE: { httpStatus: 503, summary: 'Redis (REDIS_URL, multi-instance mode) did not answer.' },
  KEFU_ERR_WEB_IDENTITY: { httpStatus: 401, summary: 'A web chat identity whose WEB_IDENTITY_SECRET signature does not match, that is malformed, or expired.' },
  KEFU_ERR_RATE_LIMITED: { httpStatus: 429, summary: 'Too many messages from this address or in this conversation; retry after the Retry-After seconds.' },
  KEFU_ERR_HTTP_BODY_INVALID: { httpStatus: 400, summary: 'An HTTP request body is not valid JSON or has the wrong shape.' },
  KEFU_ERR_HTTP_CONTENT_TYPE: { httpStatus: 415, summary: 'An HTTP request has an unsupported content type.' },
  KEFU_ERR_HTTP_REQUEST_INVALID: { httpStatus: 400, summary: 'An HTTP request is malformed: its request line, a header, its body framing or the percent-encoding of its URL.' },
  KEFU_ERR_HTTP_HEADERS_TOO_LARGE: { httpStatus: 431, summary: 'An HTTP request line and headers (cookies and URL included) are over 16 KiB.' },
  KEFU_ERR_HTTP_URL_TOO_LONG: { httpStatus: 414, summary: 'A path segment of an HTTP request URL (an id) is over 512 characters.' },
  KEFU_ERR_HTTP_TIMEOUT: { httpStatus: 408, summary: 'An HTTP request did not arrive completely in time.' },
  KEFU_ERR_STORE_CONFLICT: { httpStatus: 503, summary: 'A session write kept conflicting with concurrent writes.' },
  KEFU_ERR_STORE_UNAVAILABLE: { httpStatus: 503, summary: 'The session store could not be reached.' },
  KEFU_ERR_STORE_CLOSED: { httpStatus: 503, summary: 'The session store was used after close().' },
  KEFU_ERR_DIALOG_UNKNOWN: { httpStatus: 500, summary: 'A dialog id was referenced that is not registered.' },
  KEFU_ERR_DIALOG_DUPLICATE: { httpStatus: 500, summary: 'Two dialogs were registered with the same id.' },
  KEFU_ERR_DIALOG_FAILED: { httpStatus: 500, summary: 'A dialog threw while handling a turn.' },
  KEFU_ERR_DIALOG_TEXT_MISSING: { httpStatus: 500, summary: 'A dialog asked for a text key that it does not define.' },
  KEFU_ERR_HOOK_UNKNOWN: { httpStatus: 500, summary: 'A hook name outside HOOKS was used.' },
  KEFU_ERR_MIDDLEWARE_NEXT_TWICE: { httpStatus: 500, summary: 'A middleware called next() more than once.' },
  KEFU_ERR_NLU_MODEL_MISSING: { httpStatus: 503, summary: 'The classifier was used before it was trained or loaded.' },
  KEFU_ERR_NLU_CORPUS_INVALID: { httpStatus: 500, summary: 'An intent corpus file is malformed.' },
  KEFU_ERR_CHANNEL_UNKNOWN: { httpStatus: 500, summary: 'A message was pushed to a channel that is not registered.' },
  KEFU_ERR_CHANNEL_SEND_FAILED: { httpStatus: 502, summary: 'A platform refused or failed to deliver a message.' },
  KEFU_ERR_ADAPTER_SIGNATURE: { httpStatus: 401, summary: 'A webhook request had a missing or wrong signature or token.' },
  KEFU_ERR_ADAPTER_PAYLOAD: { httpStatus: 400, summary: 'A webhook payload could not be parsed.' },
  KEFU_ERR_ENGINE_CLOSED: { httpStatus: 503, summary: 'A message arrived after the engine started shutting down.' },
  KEFU_ERR_INTERNAL: { httpStatus: 500, summary: 'An unexpected error; see the log line with the same turnId.' },
  KEFU_ERR_STORE_VALUE_INVALID: { httpStatus: 500, summary: 'A value could not be stored as JSON, or a stored value is not valid JSON.' },
  KEFU_ERR_STORE_DECRYPT_FAILED: { httpStatus: 500, summary: 'An encrypted stored value could not be decrypted: wrong key, or the data was altered.' },
  KEFU_ERR_STORE_OPTIONS_INVALID: { httpStatus: 500, summary: 'A store was created or called with a bad option (table or collection name, key, limit).' },
  KEFU_ERR_DIALOG_DATA_INVALID: { httpStatus: 500, summary: 'A data file a dialog reads (e.g. the demo order book) is missing fields or malformed.' },
  KEFU_ERR_HANDOFF_NOT_FOUND: { httpStatus: 404, summary: 'No handoff (queued, assigned or finished) exists for this conversation key.' },
  KEFU_ERR_HANDOFF_RESOLVED: { httpStatus: 409, summary: 'An agent acted on a conversation whose handoff was already resolved, cancelled or turned into a ticket.' },
  KEFU_ERR_HANDOFF_NOT_ASSIGNED: { httpStatus: 409, summary: 'An agent acted on a conversation that is not assigned to them.' },
  KEFU_ERR_HANDOFF_TAKEN: { httpStatus: 409, summary: 'An agent claimed a conversation another agent already has.' },
  KEFU_ERR_HANDOFF_OFFER_GONE: { httpStatus: 409, summary: 'An agent accepted or declined an offer that no longer stands (expired, declined, or taken by another agent).' },
  KEFU_ERR_HANDOFF_INPUT_INVALID: { httpStatus: 400, summary: 'An agent action had bad input (empty text, unknown status, bad transfer target).' },
  KEFU_ERR_HANDOFF_AGENTS_INVALID: { httpStatus: 500, summary: 'The agents list (AGENTS_FILE) is missing, not JSON, or does not match the agent schema.' },
  KEFU_ERR_HANDOFF_NO_EXPERT: { httpStatus: 409, summary: 'An agent escalated to the expert queue, but no agent has level "expert".' },
  KEFU_ERR_HANDOFF_EXPERT_ONLY: { httpStatus: 403, summary: 'An agent who is not an expert tried to take a conversation escalated to the experts.' },
  KEFU_ERR_AGENT_UNKNOWN: { httpStatus: 404, summary: 'An agent id is not in the agents list.' },
  KEFU_ERR_AGENT_UNAVAILABLE: { httpStatus: 409, summary: 'A transfer targeted an agent who is not online or has no free capacity.' },
  KEFU_ERR_TICKET_NOT_FOUND: { httpStatus: 404, summary: 'No ticket has this id.' },
  KEFU_ERR_HANDOFF_NOT_REGISTERED: { httpStatus: 500, summary: 'The handoff service was used before its plugin was registered on an engine.' },
  KEFU_ERR_CONSOLE_AUTH: { httpStatus: 401, summary: 'An agent console request had no valid session token (or a wrong login).' },
  KEFU_ERR_CONSOLE_FORBIDDEN: { httpStatus: 403, summary: 'The role does not allow this console action (another agent’s conversation or ticket, reports, staff).' },
  KEFU_ERR_CONSOLE_CSRF: { httpStatus: 403, summary: 'A console request sent with the session cookie (or the console WebSocket) came from another origin, or named none.' },
  KEFU_ERR_STAFF_INPUT_INVALID: { httpStatus: 400, summary: 'A staff account change had bad input (id taken or malformed, password under 12 characters, unknown role).' },
  KEFU_ERR_STAFF_NOT_FOUND: { httpStatus: 404, summary: 'No staff account has this id.' },
  KEFU_ERR_CHANNEL_AUTH: { httpStatus: 502, summary: 'A platform rejected the bot credentials (wrong or revoked token); the channel cannot start or send.' },
  KEFU_ERR_HTTP_METHOD: { httpStatus: 405, summary: 'A webhook was called with an HTTP method it does not accept.' },
  KEFU_ERR_HTTP_NOT_FOUND: { httpStatus: 404, summary: 'No route (or WebSocket) answers this path.' },
  KEFU_ERR_CHANNEL_NOT_STARTED: { httpStatus: 503, summary: 'A webhook arrived before its channel was started (or after it stopped); the platform should retry later.' },
  KEFU_ERR_ADAPTER_DECRYPT: { httpStatus: 400, summary: 'An encrypted webhook payload (WeChat safe mode) could not be decrypted, or was encrypted for another app id.' },
  KEFU_ERR_ANALYTICS_RANGE_INVALID: { httpStatus: 400, summary: 'An analytics query had a bad date range (not YYYY-MM-DD, from after to, or longer than 366 days).' },
  KEFU_ERR_ANALYTICS_OPTIONS_INVALID: { httpStatus: 500, summary: 'Analytics was created with a bad option (unknown time zone, bad inbox limit).' },
  KEFU_ERR_INBOX_NOT_FOUND: { httpStatus: 404, summary: 'No entry of the unrecognised-messages inbox has this id.' },
  KEFU_ERR_INBOX_INPUT_INVALID: { httpStatus: 400, summary: 'An inbox action had bad input (an intent name that is not a valid intent id).' },
  KEFU_ERR_INBOX_LABEL_UNKNOWN: { httpStatus: 400, summary: 'An inbox label named an intent the bot does not know, without asking to create it (newIntent).' },
  KEFU_ERR_AUDIT_CHAIN_BROKEN: { httpStatus: 500, summary: 'The audit log hash chain does not verify: an entry was edited, deleted, reordered or truncated.' },
  KEFU_ERR_PAGE_INVALID: { httpStatus: 400, summary: 'A paged list was asked for with a bad limit or a cursor it did not give out.' },
  KEFU_ERR_STORE_MIGRATION_FAILED: { httpStatus: 500, summary: 'A database migration at start-up failed; the database was left as it was before that migration.' },
  KEFU_ERR_KB_INVALID: { httpStatus: 400, summary: 'A knowledge base entry (locales/<lang>/faq.json or a console edit) is malformed.' },
  KEFU_ERR_KB_NOT_FOUND: { httpStatus: 404, summary: 'No knowledge base entry has this intent in this language.' },
  KEFU_ERR_KB_CONFLICT: { httpStatus: 409, summary: 'A knowledge base edit was based on an older version of the entry, or created an entry that exists.' },
  KEFU_ERR_CANNED_INVALID: { httpStatus: 400, summary: 'A canned response (console) has a bad shortcut or no text, or there are too many.' },
  KEFU_ERR_CANNED_NOT_FOUND: { httpStatus: 404, summary: 'No canned response has this shortcut.' },
  KEFU_ERR_CANNED_CONFLICT: { httpStatus: 409, summary: 'A canned response with this shortcut exists already.' },
  KEFU_ERR_QA_RULES_INVALID: { httpStatus: 500, summary: 'The QA rules file (QA_RULES_FILE) is not JSON, does not match its schema, or has a bad regular expression.' },
  KEFU_ERR_QA_NOT_FOUND: { httpStatus: 404, summary: 'No QA result has this id (a handoff that was not scored, or not resolved).' },
  KEFU_ERR_QA_NOT_FLAGGED: { httpStatus: 409, summary: 'A QA confirm or dismiss named a conversation that raised no flags.' },
  KEFU_ERR_QA_RANGE_INVALID: { httpStatus: 400, summary: 'A QA query had a bad date range (not YYYY-MM-DD, from after to, or longer than 92 days).' },
  KEFU_ERR_EXPERIMENTS_INVALID: { httpStatus: 400, summary: 'An experiment (EXPERIMENTS_FILE or a console create) is unreadable or does not match the experiment schema.' },
  KEFU_ERR_EXPERIMENT_NOT_FOUND: { httpStatus: 404, summary: 'No experiment has this id, or it has no variant with this id.' },
  KEFU_ERR_EXPERIMENT_CONFLICT: {
    httpStatus: 409,
    summary: 'An experiment action does not fit its state (already stopped or rolled out, an id that exists, a concurrent change).',
  },
  KEFU_ERR_STORY_INVALID: { httpStatus: 500, summary: 'A conversation story file (kefu test) is not valid YAML/JSON or does not match the story format.' },
  KEFU_ERR_STORY_NOT_FOUND: { httpStatus: 500, summary: 'kefu test found no story files at the paths it was given.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every deliberate kefu error. `code` is stable across releases. */
export class KefuError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  /** Extra machine-readable detail (e.g. the list of config issues). */
  readonly details?: readonly string[];

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; details?: readonly string[] } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KefuError';
    this.code = code;
    this.httpStatus = ERROR_CODES[code].httpStatus;
    if (opts.details) this.details = opts.details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: readonly string[] } {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** A dialog threw: wraps the original error with the turn it happened in (grammY's BotError). */
export class DialogError extends KefuError {
  readonly dialogId: string;
  readonly turnId: string;
  constructor(cause: unknown, dialogId: string, turnId: string) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    super('KEFU_ERR_DIALOG_FAILED', `Dialog "${dialogId}" failed in turn ${turnId}: ${inner}`, { cause });
    this.name = 'DialogError';
    this.dialogId = dialogId;
    this.turnId = turnId;
  }
}

/** Turns anything thrown into a KefuError, keeping the original as `cause`. */
export function asCodedError(err: unknown): KefuError {
  if (err instanceof KefuError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new KefuError('KEFU_ERR_INTERNAL', `Unexpected error: ${message}`, { cause: err });
}

/**
 * A store call that failed by a defect (a JavaScript TypeError, RangeError…: a statement given the
 * wrong parameters, a bug in a repository) as KEFU_ERR_INTERNAL, so it is not retried as an outage;
 * undefined for anything else (the database's or the driver's own errors).
 */
export function storeDefect(err: unknown, what: string, where: string): KefuError | undefined {
  if (!(err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError)) return undefined;
  return new KefuError('KEFU_ERR_INTERNAL', `${where} could not ${what}: ${err.name}: ${err.message} (a defect, not an outage: retrying will not help).`, { cause: err });
}

export function isKefuError(err: unknown, code?: ErrorCode): err is KefuError {
  return err instanceof KefuError && (code === undefined || err.code === code);
}
