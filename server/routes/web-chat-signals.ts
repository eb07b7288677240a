/**
 * The web chat's conversation state and the customer's typing, both with the conversation token:
 * `GET /api/web/state?conversationId=…` answers who the customer is talking to (the bot, the
 * queue, an agent, a ticket; the page also gets it with each answer and on the event stream), and
 * `POST /api/web/typing` `{ conversationId }` tells the console the customer is typing (a
 * `handoff.typing` event, at most one per 3 s, never stored; rate-limited per conversation).
 */
import type { FastifyInstance } from 'fastify';
import type { WebSignals } from '../../adapters/web';
import type { Engine } from '../../core';
import type { HandoffService } from '../../plugins/handoff';
import { type RateLimiter, sendRateLimited } from '../rate-limit';
import { bearerOf, type ConversationTokens } from '../web-tokens';
import { createTypingThrottle } from './typing-throttle';
import { conversationIdIn, missingConversationId, notYours } from './web-chat-http';

export interface WebSignalRouteOptions {
  engine: Engine;
  signals: WebSignals;
  tokens: ConversationTokens;
  handoff?: Pick<HandoffService, 'typing'>;
  /** Typing reports per conversation per minute (each one past the throttle is dropped, not refused). */
  typingLimiter: RateLimiter;
}

export function webChatSignalRoutes(app: FastifyInstance, opts: WebSignalRouteOptions): void {
  const { signals, tokens } = opts;
  const throttle = createTypingThrottle(opts.engine.now);

  app.get('/api/web/state', async (req, reply) => {
    const conversationId = conversationIdIn(req.query);
    if (!conversationId) return missingConversationId(reply);
    if (!(await tokens.check(conversationId, bearerOf(req.headers.authorization)))) return notYours(reply);
    return { conversationId, state: await signals.stateOf(conversationId) };
  });

  app.post('/api/web/typing', async (req, reply) => {
    const conversationId = conversationIdIn(req.body);
    if (!conversationId) return missingConversationId(reply);
    const waitMs = await opts.typingLimiter.take(conversationId);
    if (waitMs > 0) return sendRateLimited(reply, waitMs, (s) => `Too many typing reports; send the next in ${s} s (one every 3 s is plenty).`);
    if (!(await tokens.check(conversationId, bearerOf(req.headers.authorization)))) return notYours(reply);
    if (!opts.handoff || !throttle(conversationId)) return reply.code(202).send({ ok: true, shown: false });
    const result = await opts.handoff.typing(`web:${conversationId}`, 'customer');
    return reply.code(202).send({ ok: true, shown: result.ok && result.shown });
  });
}
