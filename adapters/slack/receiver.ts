/**
 * A bolt `Receiver` fed by kefu's framework-neutral webhook (`handle(req)`): verify the signature,
 * parse the envelope, answer `url_verification`, then hand the body to `app.processEvent`.
 *
 * Acknowledging: the HTTP answer waits for the turn only while it is quick. As soon as the turn
 * saved (or after `ackBudgetMs`, well inside Slack's 3 s) Slack gets its 200, so a slow turn never
 * triggers Slack's retries. A turn that *fails* before the answer went out gets a 500 so Slack
 * redelivers the event (core drops the copy if the first one did get through); a turn that fails
 * after the 200 is retried by the channel itself.
 */
import { randomUUID } from 'node:crypto';
import type { App, Receiver } from '@slack/bolt';
import { errorResponse, headerValue, type KefuError, isKefuError, type Logger, type WebhookRequest, type WebhookResponse } from '../../core';
import { parseSlackRequest } from './parse-request';
import { SIGNATURE_MESSAGES, verifySlackSignature } from './verify';

/** Slack gives up after the third retry of an event. */
export const SLACK_MAX_RETRIES = 3;
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export interface SlackReceiverOptions {
  signingSecret: string;
  log: Logger;
  now: () => number;
  /** Longest the HTTP answer waits for the turn (default 2000 ms; Slack wants an answer within 3 s). */
  ackBudgetMs?: number;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
}

/** One HTTP delivery, as the listeners see it through `context.kefuDelivery`. */
export interface Delivery {
  readonly id: string;
  /** True once Slack got its answer; failures after that are the channel's to retry. */
  responded: boolean;
  /** Slack redelivers this request if we answer 5xx (Events API, before its last retry). */
  readonly slackRetries: boolean;
  failure?: KefuError;
}

export interface SlackReceiver extends Receiver {
  handle(req: WebhookRequest): Promise<WebhookResponse>;
  /** The open delivery with this id; undefined once Slack got its answer. */
  delivery(id: unknown): Delivery | undefined;
  /** Resolves when every event handed to bolt so far was processed. */
  idle(): Promise<void>;
}

export function createSlackReceiver(opts: SlackReceiverOptions): SlackReceiver {
  const budget = opts.ackBudgetMs ?? 2000;
  const maxBytes = opts.maxBodyBytes ?? 1024 * 1024;
  const deliveries = new Map<string, Delivery>();
  const inflight = new Set<Promise<void>>();
  let app: App | undefined;
  let started = false;

  async function dispatch(req: WebhookRequest, body: Record<string, unknown>, slackRetries: boolean): Promise<WebhookResponse> {
    if (!app) throw new Error('receiver used before bolt called init()');
    const retryNum = Number.parseInt(headerValue(req, 'x-slack-retry-num') ?? '', 10);
    const retryReason = headerValue(req, 'x-slack-retry-reason');
    const delivery: Delivery = { id: randomUUID(), responded: false, slackRetries: slackRetries && !(retryNum >= SLACK_MAX_RETRIES) };
    deliveries.set(delivery.id, delivery);
    let ackBody: unknown;
    // Listener errors go to app.error; what reaches this catch is bolt choking on the payload's shape.
    let unreadable = false;
    const processing = app
      .processEvent({
        body,
        ack: async (response?: unknown) => {
          ackBody = response;
        },
        ...(Number.isFinite(retryNum) ? { retryNum } : {}),
        ...(retryReason ? { retryReason } : {}),
        customProperties: { kefuDelivery: delivery.id },
      })
      .catch((err: unknown) => {
        opts.log.error({ code: isKefuError(err) ? err.code : 'KEFU_ERR_INTERNAL', errName: (err as Error)?.name }, 'slack event processing failed');
        unreadable = !isKefuError(err);
      });
    inflight.add(processing);
    void processing.finally(() => inflight.delete(processing));

    const finished = await settlesWithin(processing, budget);
    delivery.responded = true;
    deliveries.delete(delivery.id);
    if (finished && delivery.failure) {
      opts.log.warn({ code: delivery.failure.code, retryNum: Number.isFinite(retryNum) ? retryNum : 0 }, 'slack turn failed; answering 500 so Slack redelivers');
      return errorResponse(500, delivery.failure.code, 'The message could not be processed yet; Slack will redeliver it.');
    }
    if (finished && unreadable) return errorResponse(400, 'KEFU_ERR_ADAPTER_PAYLOAD', 'Slack request could not be processed: a field has an unexpected shape.');
    if (ackBody === undefined || ackBody === '') return { status: 200 };
    return typeof ackBody === 'string' ? { status: 200, body: ackBody } : { status: 200, headers: JSON_TYPE, body: ackBody as object };
  }

  return {
    init(a: App) {
      app = a;
    },
    async start() {
      started = true;
    },
    async stop() {
      started = false;
      while (inflight.size) await Promise.all([...inflight]);
    },
    delivery: (id) => (typeof id === 'string' ? deliveries.get(id) : undefined),
    async idle() {
      while (inflight.size) await Promise.all([...inflight]);
    },
    async handle(req) {
      if (req.method !== 'POST') return errorResponse(405, 'KEFU_ERR_HTTP_METHOD', `Slack sends POST requests; got ${req.method}.`);
      if (req.rawBody.length > maxBytes) {
        return errorResponse(413, 'KEFU_ERR_MESSAGE_TOO_LARGE', `Body is ${req.rawBody.length} bytes; the limit is ${maxBytes}.`);
      }
      const verified = verifySlackSignature({
        signingSecret: opts.signingSecret,
        timestamp: headerValue(req, 'x-slack-request-timestamp'),
        signature: headerValue(req, 'x-slack-signature'),
        rawBody: req.rawBody,
        now: opts.now(),
      });
      if (!verified.ok) {
        opts.log.warn({ code: 'KEFU_ERR_ADAPTER_SIGNATURE', problem: verified.error }, 'slack request refused');
        return errorResponse(401, 'KEFU_ERR_ADAPTER_SIGNATURE', SIGNATURE_MESSAGES[verified.error]);
      }
      let parsed: ReturnType<typeof parseSlackRequest>;
      try {
        parsed = parseSlackRequest(headerValue(req, 'content-type'), req.rawBody);
      } catch (err) {
        if (!isKefuError(err)) throw err;
        opts.log.warn({ code: err.code }, 'slack request malformed');
        return errorResponse(err.httpStatus, err.code, err.message);
      }
      if (parsed.kind === 'url_verification') return { status: 200, headers: JSON_TYPE, body: { challenge: parsed.challenge } };
      if (parsed.kind === 'rate_limited') {
        opts.log.warn({}, 'slack says the app is rate limited on events (app_rate_limited)');
        return { status: 200 };
      }
      if (!started || !app) return errorResponse(503, 'KEFU_ERR_CHANNEL_NOT_STARTED', 'The Slack channel is not running; Slack will retry.');
      return dispatch(req, parsed.body, parsed.kind === 'event');
    },
  };
}

/** Resolves true if `p` settles within `ms`, false otherwise (the timer never outlives it). */
function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
