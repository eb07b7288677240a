/**
 * The web chat's event stream (server-sent events): `POST /api/web/events/ticket` trades the
 * conversation token for a short-lived ticket (EventSource cannot send headers), and
 * `GET /api/web/events?conversationId=…&ticket=…` streams what happens: stored messages announced
 * (the page fetches them after its cursor) and signals (state, agent typing, seen; adapters/web/signals.ts).
 * When the server closes, every stream is ended at once, so `app.close()` does not wait on open
 * pages; each page shows "reconnecting" and comes back to whichever instance is up.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { WebChannel, WebSignals } from '../../adapters/web';
import { bearerOf, type ConversationTokens, TICKET_TTL_MS } from '../web-tokens';
import { conversationIdIn, missingConversationId, notYours } from './web-chat-http';

export interface StreamOptions {
  web: WebChannel;
  signals: WebSignals;
  tokens: ConversationTokens;
}

const PING_MS = 25_000;
/** How soon a page's EventSource retries after the stream ended (the server closing, a proxy timeout). */
const RETRY_MS = 1_000;

export function webChatStreamRoutes(app: FastifyInstance, { web, signals, tokens }: StreamOptions): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  app.post('/api/web/events/ticket', async (req, reply) => {
    const conversationId = conversationIdIn(req.body);
    if (!conversationId) return missingConversationId(reply);
    if (!(await tokens.check(conversationId, bearerOf(req.headers.authorization)))) return notYours(reply);
    return { ticket: tokens.ticket(conversationId), expiresInMs: TICKET_TTL_MS };
  });

  // No HEAD twin: a stream has no end for a HEAD answer to wait for (the fuzz test found it hanging).
  app.get<{ Querystring: { conversationId?: unknown; ticket?: unknown } }>('/api/web/events', { exposeHeadRoute: false }, (req, reply) => {
    const id = conversationIdIn(req.query);
    if (!id) {
      return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: 'conversationId query parameter is required (1-128 of A-Z a-z 0-9 _ -).' } });
    }
    if (!tokens.verifyTicket(id, typeof req.query.ticket === 'string' ? req.query.ticket : undefined)) return notYours(reply);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    const write = (m: unknown) => res.write(`data: ${JSON.stringify(m)}\n\n`);
    const unsubscribe = [web.subscribe(id, write), signals.subscribe(id, write)];
    const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    open.add(res);
    const stop = () => {
      clearInterval(ping);
      for (const u of unsubscribe) u();
      open.delete(res);
    };
    req.raw.on('close', stop);
    res.on('error', stop); // a peer gone mid-write must not reach the process
    return reply;
  });
}
