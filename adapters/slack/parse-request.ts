/**
 * The HTTP envelope of what Slack POSTs to the Request URL: Events API JSON (`url_verification`,
 * `event_callback`, `app_rate_limited`) or an interactive payload (form-encoded `payload=<json>`).
 * Pure; the body was already signature-checked.
 */
import { z } from 'zod';
import { KefuError } from '../../core';

const urlVerification = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(512) });
// Beyond what kefu reads, the fields bolt reads without checking (a wrong shape there throws inside bolt).
const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(128),
  team_id: z.string().max(64).optional(),
  authorizations: z.array(z.looseObject({})).optional(),
  event: z.looseObject({
    type: z.string().min(1).max(64),
    channel: z.union([z.string(), z.looseObject({})]).optional(),
    item: z.looseObject({}).optional(),
  }),
});
const appRateLimited = z.looseObject({ type: z.literal('app_rate_limited'), minute_rate_limited: z.number().optional() });
const interactive = z.looseObject({
  type: z.string().min(1).max(64),
  user: z.looseObject({ id: z.string().min(1).max(64) }),
  team: z
    .looseObject({ id: z.string().min(1).max(64) })
    .nullable()
    .optional(),
  actions: z.array(z.looseObject({})).optional(),
});

export type SlackRequest =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'event'; eventId: string; eventType: string; body: Record<string, unknown> }
  | { kind: 'rate_limited' }
  | { kind: 'interactive'; payloadType: string; body: Record<string, unknown> };

/** Parses a verified request body; throws KEFU_ERR_ADAPTER_PAYLOAD or KEFU_ERR_HTTP_CONTENT_TYPE. */
export function parseSlackRequest(contentType: string | undefined, rawBody: Buffer): SlackRequest {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return parseEventsApi(parseJson(rawBody.toString('utf8'), 'the JSON body'));
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(rawBody.toString('utf8'));
    const payload = form.get('payload');
    if (payload === null) {
      throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', 'Form body has no "payload" field; only interactive payloads are form-encoded (slash commands are not supported).');
    }
    const parsed = interactive.safeParse(parseJson(payload, 'the "payload" field'));
    if (!parsed.success) throw payloadError('interactive payload', parsed.error);
    return { kind: 'interactive', payloadType: parsed.data.type, body: parsed.data };
  }
  throw new KefuError(
    'KEFU_ERR_HTTP_CONTENT_TYPE',
    `Content-Type ${JSON.stringify(contentType ?? '')} is not one Slack sends; expected application/json or application/x-www-form-urlencoded.`,
  );
}

function parseEventsApi(body: unknown): SlackRequest {
  const challenge = urlVerification.safeParse(body);
  if (challenge.success) return { kind: 'url_verification', challenge: challenge.data.challenge };
  if (appRateLimited.safeParse(body).success) return { kind: 'rate_limited' };
  const event = eventCallback.safeParse(body);
  if (!event.success) throw payloadError('Events API body', event.error);
  return { kind: 'event', eventId: event.data.event_id, eventType: event.data.event.type, body: event.data };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', `Slack request: ${what} is not valid JSON.`);
  }
}

function payloadError(what: string, error: z.ZodError): KefuError {
  const details = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  return new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', `Slack ${what} is malformed: ${details.join('; ')}`, { details });
}
