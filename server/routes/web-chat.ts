/**
 * The web chat: the page, `POST /api/web/messages`, `GET /api/web/messages` (what the page missed:
 * the conversation's messages after a cursor), and server-sent events announcing pushed messages.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { type Engine, MAX_PAGE_LIMIT } from '../../core';
import { toWebMessage, type WebChannel } from '../../adapters/web';
import type { EscalationLimits } from '../escalation-limits';
import { createRateLimiter, type RateLimiter, sendRateLimited } from '../rate-limit';
import { bearerOf, createConversationTokens, TICKET_TTL_MS } from '../web-tokens';
import { buildWebApp } from '../web-assets';

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const historyQuery = z
  .object({
    conversationId: z.string().regex(CONVERSATION_ID, { error: 'is required: 1-128 of A-Z a-z 0-9 _ -' }),
    after: z.coerce.number().int().min(0, { error: 'must be a message seq (0 or more)' }).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(100),
  })
  .strict();

function notYours(reply: FastifyReply) {
  return reply.code(401).send({
    error: {
      code: 'KEFU_ERR_WEB_AUTH',
      message: 'This conversation needs its token (Authorization: Bearer, from the first answer); the event stream needs a ticket from POST /api/web/events/ticket.',
    },
  });
}

function badQuery(reply: FastifyReply, issues: readonly z.core.$ZodIssue[]) {
  const details = issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
  return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: `Bad query: ${details.join('; ')}.`, details } });
}

export interface WebChatLimits {
  perIp: number;
  perConversation: number;
}

export interface WebChatOptions {
  engine: Engine;
  web: WebChannel;
  serveUi: boolean;
  limits?: WebChatLimits;
  /** Makes the limiters (shared by every instance in multi-instance mode); default: in this process. */
  limiter?: (name: string, perMinute: number) => RateLimiter;
  /** Signs event-stream tickets (the same on every instance); default: random per process. */
  secret?: Buffer;
  /** Limits on asking for a person: told each request's client address. */
  escalations?: EscalationLimits;
}

export async function webChatRoutes(app: FastifyInstance, opts: WebChatOptions): Promise<void> {
  const { engine, web } = opts;
  const tokens = createConversationTokens(engine.data, { now: engine.now, ...(opts.secret ? { secret: opts.secret } : {}) });
  const limiter = opts.limiter ?? ((_name: string, perMinute: number) => createRateLimiter(perMinute));
  const byIp = limiter('web-ip', opts.limits?.perIp ?? 0);
  const byConversation = limiter('web-conversation', opts.limits?.perConversation ?? 0);

  app.post('/api/web/messages', async (req, reply) => {
    // Checked before anything is parsed, classified or stored: a flood costs a map lookup.
    const conversationId = (req.body as { conversationId?: unknown } | null)?.conversationId;
    const waitMs = (await byIp.take(req.ip)) || (typeof conversationId === 'string' ? await byConversation.take(conversationId) : 0);
    if (waitMs > 0) return sendRateLimited(reply, waitMs, (s) => `Too many messages; send this one again in ${s} s.`);
    let issued: string | undefined;
    if (typeof conversationId === 'string' && CONVERSATION_ID.test(conversationId)) {
      const messageId = (req.body as { messageId?: unknown }).messageId;
      const admitted = await tokens.admit(conversationId, bearerOf(req.headers.authorization), typeof messageId === 'string' ? messageId : undefined);
      if (!admitted.ok) return notYours(reply);
      issued = admitted.issued;
    }
    const turn = () => web.handleMessage(req.body, engine);
    const res = opts.escalations && typeof conversationId === 'string' ? await opts.escalations.during(conversationId, req.ip, turn) : await turn();
    // The token goes back once, with the conversation's first answer; the page keeps it.
    const body = issued && res.status === 200 ? { ...(res.body as object), conversationToken: issued } : res.body;
    return reply
      .code(res.status)
      .headers(res.headers ?? {})
      .send(body);
  });

  /** A ticket to open the event stream (EventSource cannot send the token as a header). */
  app.post('/api/web/events/ticket', async (req, reply) => {
    const conversationId = (req.body as { conversationId?: unknown } | null)?.conversationId;
    if (typeof conversationId !== 'string' || !CONVERSATION_ID.test(conversationId))
      return badQuery(reply, [{ path: ['conversationId'], message: 'is required' } as z.core.$ZodIssue]);
    if (!(await tokens.check(conversationId, bearerOf(req.headers.authorization)))) return notYours(reply);
    return { ticket: tokens.ticket(conversationId), expiresInMs: TICKET_TTL_MS };
  });

  /** The conversation's messages after seq `after` (internal notes never), oldest first; `more` when the page was full. */
  app.get('/api/web/messages', async (req, reply) => {
    const q = historyQuery.safeParse(req.query);
    if (!q.success) return badQuery(reply, q.error.issues);
    const { conversationId, after, limit } = q.data;
    if (!(await tokens.check(conversationId, bearerOf(req.headers.authorization)))) return notYours(reply);
    const page = (await engine.data.messages.after(`web:${conversationId}`, after, limit, 'customer')).map(toWebMessage);
    const cursor = page.at(-1)?.seq ?? after;
    // A full page may have more behind it: ask again with after=cursor.
    return { conversationId, after, cursor, messages: page, more: page.length === limit };
  });

  // Query values are arrays when a parameter is repeated: only a single string counts.
  // No HEAD twin: a stream has no end for a HEAD answer to wait for (the fuzz test found it hanging).
  app.get<{ Querystring: { conversationId?: unknown; ticket?: unknown } }>('/api/web/events', { exposeHeadRoute: false }, (req, reply) => {
    const id = typeof req.query.conversationId === 'string' ? req.query.conversationId : '';
    if (!CONVERSATION_ID.test(id)) {
      return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: 'conversationId query parameter is required (1-128 of A-Z a-z 0-9 _ -).' } });
    }
    if (!tokens.verifyTicket(id, typeof req.query.ticket === 'string' ? req.query.ticket : undefined)) return notYours(reply);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const unsubscribe = web.subscribe(id, (m) => res.write(`data: ${JSON.stringify(m)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    const stop = () => {
      clearInterval(ping);
      unsubscribe();
    };
    req.raw.on('close', stop);
    res.on('error', stop); // a peer gone mid-write must not reach the process
    return reply;
  });

  if (!opts.serveUi) return;
  const assets = await buildWebApp('chat');
  const serve = (name: string) => async (_req: unknown, reply: FastifyReply) => {
    const a = assets.get(name);
    return a ? reply.type(a.type).send(a.body) : reply.code(404).send();
  };
  app.get('/', serve('index.html'));
  app.get('/chat/main.js', serve('main.js'));
  app.get('/chat/style.css', serve('style.css'));
}
