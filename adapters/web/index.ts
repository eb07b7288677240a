/**
 * The web chat channel: `POST /api/web/messages` in, replies in the response ('response'
 * delivery), pushed messages (agent replies, queue updates) kept in the conversation's messages
 * and announced to open pages through server-sent events; a page fetches what it missed with
 * `GET /api/web/messages?conversationId=…&after=<seq>` (see server/routes/web-chat.ts). The turn
 * runs through the channel runtime (core/channel-runtime.ts), like every other channel's.
 */
import { type Channel, createChannelRuntime, isKefuError, type StoredMessage, type TurnHandler, type WebhookResponse } from '../../core';
import { type Listener, PushHub } from './hub';
import { normalizeWebMessage, type WebIdentityOptions } from './normalize';

export interface WebChannel extends Channel {
  /** Handles one POSTed chat message (already JSON-parsed) and answers with the replies. */
  handleMessage(body: unknown, engine: TurnHandler): Promise<WebhookResponse>;
  /** Listens for pushed messages of one conversation; returns the unsubscribe function. */
  subscribe(conversationId: string, listener: Listener): () => void;
  readonly connections: number;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** A message as the page receives it: what to show, and its id and seq (the page's cursor and dedupe key). */
export interface WebMessage {
  id: string;
  seq: number;
  from: StoredMessage['from'];
  text: string;
  locale?: string;
  at: number;
  quickReplies?: StoredMessage['quickReplies'];
  attachments?: StoredMessage['attachments'];
}

export function toWebMessage(m: StoredMessage): WebMessage {
  return {
    id: m.id,
    seq: m.seq,
    from: m.from,
    text: m.text,
    at: m.at,
    ...(m.locale ? { locale: m.locale } : {}),
    ...(m.quickReplies ? { quickReplies: m.quickReplies } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
  };
}

/** `identitySecret` (WEB_IDENTITY_SECRET) verifies the shop's signed customer identities; without it every customer is a visitor. */
export function createWebChannel(opts: WebIdentityOptions = {}): WebChannel {
  const hub = new PushHub();
  // Pushes only announce: the messages are already kept in the conversation for pages to fetch.
  const runtime = createChannelRuntime({
    name: 'web',
    quickReplies: 'buttons',
    delivery: 'response',
    send: async (ref, messages) => ({ live: hub.publish(ref.conversationId, messages) }),
  });
  return {
    ...runtime.channel,
    async handleMessage(body, engine) {
      try {
        const inbound = normalizeWebMessage(body, opts);
        runtime.attach(engine); // the web chat has no start(): the route hands the engine in with each message
        const result = await runtime.receive(inbound);
        const messages = result.messages ?? [];
        return {
          status: 200,
          headers: JSON_TYPE,
          // A retried POST gets the first answer again: its response may have been lost on the way back.
          body: {
            conversationId: inbound.conversationId,
            locale: result.locale,
            duplicate: result.duplicate,
            replies: result.duplicate ? (result.previousReplies ?? []) : result.replies,
            // The stored messages of this turn (the customer's, then the replies) with their ids and seqs.
            messages: messages.map(toWebMessage),
          },
        };
      } catch (err) {
        // The customer's mistakes are answered here; server faults (a store down, a record that does not
        // decrypt) go to the app's error handler, which logs them and answers without their details.
        if (isKefuError(err) && err.httpStatus < 500) return { status: err.httpStatus, headers: JSON_TYPE, body: { error: err.toJSON() } };
        throw err;
      }
    },
    subscribe: (conversationId, listener) => hub.subscribe(conversationId, listener),
    get connections() {
      return hub.connections;
    },
  };
}

export { normalizeWebMessage, type WebIdentityOptions } from './normalize';
export { createWebSignals, type StreamSignal, type WebSignals } from './signals';
export { type HandoffLookup, type WebChatState, webChatState, webKey } from './state';
export { createSignedIdentity, signIdentity, type VerifiedIdentity, verifyIdentity } from './verify-identity';
