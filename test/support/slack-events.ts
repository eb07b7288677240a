/**
 * Slack → app traffic for tests, as Slack sends it: Events API JSON bodies and interactive
 * payloads (`payload=<json>` form bodies), signed with `X-Slack-Signature` /
 * `X-Slack-Request-Timestamp`, retries marked with `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`.
 * Signing is written here from Slack's documentation, independently of the adapter's verify.ts.
 */
import { createHmac } from 'node:crypto';

export interface SlackPostResult {
  status: number;
  body: string;
}

export interface SentRequest {
  rawBody: string;
  contentType: string;
}

export interface SlackEventSender {
  /** POSTs an `event_callback` wrapping `event`; returns the answer and the request (for redelivery). */
  postEvent(event: Record<string, unknown>, opts?: { eventId?: string; teamId?: string }): Promise<SlackPostResult & { request: SentRequest; eventId: string }>;
  /** POSTs an interactive payload (block_actions…) form-encoded, as Slack does. */
  postInteraction(payload: Record<string, unknown>): Promise<SlackPostResult & { request: SentRequest }>;
  /** Sends a request again as a Slack retry (fresh timestamp and signature, retry headers). */
  redeliver(request: SentRequest, retryNum: number, reason?: string): Promise<SlackPostResult>;
  /** POSTs any body; `sign: false` omits the signature headers, `secret`/`timestamp` override them. */
  postRaw(
    rawBody: string,
    contentType: string,
    opts?: { sign?: boolean; secret?: string; timestampSeconds?: number; headers?: Record<string, string>; method?: string },
  ): Promise<SlackPostResult>;
}

export function slackSignature(secret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

export function createSlackEventSender(opts: { url: string; signingSecret: string; teamId?: string; appId?: string; botUserId?: string }): SlackEventSender {
  let eventSeq = 0;
  const teamId = opts.teamId ?? 'T0001';

  const postRaw: SlackEventSender['postRaw'] = async (rawBody, contentType, o = {}) => {
    const ts = o.timestampSeconds ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType, ...(o.headers ?? {}) };
    if (o.sign !== false) {
      headers['x-slack-request-timestamp'] = String(ts);
      headers['x-slack-signature'] = slackSignature(o.secret ?? opts.signingSecret, ts, rawBody);
    }
    const res = await fetch(opts.url, { method: o.method ?? 'POST', headers, ...(o.method === 'GET' ? {} : { body: rawBody }) });
    return { status: res.status, body: await res.text() };
  };

  return {
    async postEvent(event, o = {}) {
      eventSeq += 1;
      const eventId = o.eventId ?? `Ev${String(eventSeq).padStart(8, '0')}`;
      const body = {
        token: 'deprecated-verification-token',
        team_id: o.teamId ?? teamId,
        api_app_id: opts.appId ?? 'A0001',
        event: { event_ts: event.ts, ...event },
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: teamId, user_id: opts.botUserId ?? 'UBOT', is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      };
      const request = { rawBody: JSON.stringify(body), contentType: 'application/json' };
      return { ...(await postRaw(request.rawBody, request.contentType)), request, eventId };
    },
    async postInteraction(payload) {
      const request = { rawBody: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
      return { ...(await postRaw(request.rawBody, request.contentType)), request };
    },
    redeliver(request, retryNum, reason = 'http_timeout') {
      return postRaw(request.rawBody, request.contentType, { headers: { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': reason } });
    },
    postRaw,
  };
}

let tsSeq = 0;
/** A fresh Slack message timestamp ("1700000123.000456"). */
export function nextSlackTs(): string {
  tsSeq += 1;
  return `${1_700_100_000 + tsSeq}.${String(tsSeq).padStart(6, '0')}`;
}

/** A `message` event in a direct-message channel, as Slack sends it. */
export function dmEvent(o: { channel?: string; user?: string; text?: string; ts?: string; thread_ts?: string; [k: string]: unknown }): Record<string, unknown> {
  const { channel = 'D0CUSTOMER', user = 'UCUSTOMER', text = '', ts = nextSlackTs(), ...rest } = o;
  return { type: 'message', channel, channel_type: 'im', user, text, ts, client_msg_id: `cm-${ts}`, team: 'T0001', ...rest };
}

/** An `app_mention` event in a public channel. */
export function mentionEvent(o: { channel?: string; user?: string; text: string; ts?: string; thread_ts?: string; botUserId?: string }): Record<string, unknown> {
  const { channel = 'C0PUBLIC', user = 'UCUSTOMER', ts = nextSlackTs(), botUserId = 'UBOT', text, thread_ts } = o;
  return { type: 'app_mention', channel, user, text: `<@${botUserId}> ${text}`, ts, team: 'T0001', ...(thread_ts ? { thread_ts } : {}) };
}

/** A `block_actions` payload for pressing a button of a posted message. */
export function blockActionPayload(o: {
  user?: string;
  channel: string;
  message: { ts: string; thread_ts?: string; text: string; blocks: unknown[] };
  actionId: string;
  value: string;
  label: string;
}): Record<string, unknown> {
  const actionTs = nextSlackTs();
  return {
    type: 'block_actions',
    user: { id: o.user ?? 'UCUSTOMER', username: 'customer', team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: o.message.ts, channel_id: o.channel, is_ephemeral: false, ...(o.message.thread_ts ? { thread_ts: o.message.thread_ts } : {}) },
    trigger_id: `trig-${actionTs}`,
    team: { id: 'T0001', domain: 'kefu-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: o.channel, name: o.channel.startsWith('D') ? 'directmessage' : 'support' },
    message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ...o.message },
    state: { values: {} },
    response_url: 'https://hooks.slack.com/actions/T0001/1/abc',
    actions: [{ action_id: o.actionId, block_id: 'kefu_qr_0', text: { type: 'plain_text', text: o.label, emoji: true }, value: o.value, type: 'button', action_ts: actionTs }],
  };
}
