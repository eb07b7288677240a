/**
 * The web chat channel: `POST /api/web/messages` in, replies in the response, pushed messages
 * (agent replies, queue updates) out through server-sent events.
 */
import { type Channel, type ConversationRef, isKefuError, type OutboundMessage, type TurnHandler, type WebhookResponse } from '../../core';
import { type Listener, PushHub } from './hub';
import { normalizeWebMessage } from './normalize';

export interface WebChannel extends Channel {
  /** Handles one POSTed chat message (already JSON-parsed) and answers with the replies. */
  handleMessage(body: unknown, engine: TurnHandler): Promise<WebhookResponse>;
  /** Listens for pushed messages of one conversation; returns the unsubscribe function. */
  subscribe(conversationId: string, listener: Listener): () => void;
  readonly connections: number;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export function createWebChannel(): WebChannel {
  const hub = new PushHub();
  return {
    name: 'web',
    async send(ref: ConversationRef, messages: readonly OutboundMessage[]) {
      hub.publish(ref.conversationId, messages);
    },
    async handleMessage(body, engine) {
      try {
        const inbound = normalizeWebMessage(body);
        const result = await engine.handle(inbound);
        return {
          status: 200,
          headers: JSON_TYPE,
          // A retried POST gets the first answer again: its response may have been lost on the way back.
          body: {
            conversationId: inbound.conversationId,
            locale: result.locale,
            duplicate: result.duplicate,
            replies: result.duplicate ? (result.previousReplies ?? []) : result.replies,
          },
        };
      } catch (err) {
        if (isKefuError(err)) return { status: err.httpStatus, headers: JSON_TYPE, body: { error: err.toJSON() } };
        throw err;
      }
    },
    subscribe: (conversationId, listener) => hub.subscribe(conversationId, listener),
    get connections() {
      return hub.connections;
    },
  };
}

export { normalizeWebMessage } from './normalize';
