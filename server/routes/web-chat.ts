/**
 * The web chat: the page, `POST /api/web/messages` (answers with the replies and the conversation's
 * state), `GET /api/web/messages` (what the page missed: the conversation's messages after a
 * cursor), the event stream (web-chat-stream.ts), and the state and typing (web-chat-signals.ts).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { createWebSignals, type HandoffLookup, toWebMessage, type WebChannel } from '../../adapters/web';
import { type Engine, MAX_PAGE_LIMIT, withFields } from '../../core';
import type { HandoffService } from '../../plugins/handoff';
import type { EscalationLimits } from '../escalation-limits';
import { createRateLimiter, type RateLimiter, sendRateLimited } from '../rate-limit';
import { buildWebApp } from '../web-assets';
import { bearerOf, createConversationTokens } from '../web-tokens';
import { badQuery, CONVERSATION_ID, notYours } from './web-chat-http';
import { webChatSignalRoutes } from './web-chat-signals';
import { webChatStreamRoutes } from './web-chat-stream';

const historyQuery = z
  .object({
    conversationId: z.string().regex(CONVERSATION_ID, { error: 'is required: 1-128 of A-Z a-z 0-9 _ -' }),
    after: z.coerce.number().int().min(0, { error: 'must be a message seq (0 or more)' }).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(100),
  })
  .strict();

/** Typing reports a conversation may send per minute (the page sends at most one every 3 s). */
const TYPING_PER_MINUTE = 40;

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
  /** Derives conversation tokens (tests); default: the store's key (server/web-tokens.ts). */
  tokenKey?: Buffer;
  /** Limits on asking for a person: told each request's client address. */
  escalations?: EscalationLimits;
  /** The handoff: the page's header state, the customer's typing, and the agent's typing and "seen" on the stream. */
  handoff?: HandoffLookup & Pick<HandoffService, 'typing' | 'addAgentChannel'>;
}

export async function webChatRoutes(app: FastifyInstance, opts: WebChatOptions): Promise<void> {
  const { engine, web } = opts;
  const tokens = createConversationTokens(engine.data, { now: engine.now, ...(opts.secret ? { secret: opts.secret } : {}), ...(opts.tokenKey ? { tokenKey: opts.tokenKey } : {}) });
  const limiter = opts.limiter ?? ((_name: string, perMinute: number) => createRateLimiter(perMinute));
  const byIp = limiter('web-ip', opts.limits?.perIp ?? 0);
  const byConversation = limiter('web-conversation', opts.limits?.perConversation ?? 0);
  const signals = createWebSignals(opts.handoff);
  opts.handoff?.addAgentChannel(signals.agentChannel);
  webChatStreamRoutes(app, { web, signals, tokens });
  webChatSignalRoutes(app, { engine, signals, tokens, ...(opts.handoff ? { handoff: opts.handoff } : {}), typingLimiter: limiter('web-typing', TYPING_PER_MINUTE) });

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
    // The token goes back once, with the conversation's first answer; the page keeps it. The state says who answers now.
    const ok = res.status === 200 && typeof conversationId === 'string';
    const body = ok ? withFields(res.body as object, { state: await signals.stateOf(conversationId), ...(issued ? { conversationToken: issued } : {}) }) : res.body;
    return reply
      .code(res.status)
      .headers(res.headers ?? {})
      .send(body);
  });

  /** True when `after` is past the conversation's newest message: its messages went (erasure, retention) and new ones count from 1 again. */
  const numberingRestarted = async (key: string, after: number) => after > 0 && ((await engine.data.messages.before(key, undefined, 1, 'staff'))[0]?.seq ?? 0) < after;

  /** The conversation's messages after seq `after` (internal notes never), oldest first; `more` when the page was full. */
  app.get('/api/web/messages', async (req, reply) => {
    const q = historyQuery.safeParse(req.query);
    if (!q.success) return badQuery(reply, q.error.issues);
    const { conversationId, after, limit } = q.data;
    if (!(await tokens.check(conversationId, bearerOf(req.headers.authorization)))) return notYours(reply);
    const key = `web:${conversationId}`;
    const read = async (from: number) => (await engine.data.messages.after(key, from, limit, 'customer')).map(toWebMessage);
    let from = after;
    let page = await read(after);
    // Only an empty page can mean the numbering began again: then one more read says whether it did.
    if (page.length === 0 && (await numberingRestarted(key, after))) {
      from = 0;
      page = await read(from);
    }
    const cursor = page.at(-1)?.seq ?? from;
    // A full page may have more behind it: ask again with after=cursor. `restarted`: the page's cursor
    // was past every message (they were erased or expired, and numbering began again): it starts over at 0.
    return { conversationId, after: from, cursor, messages: page, more: page.length === limit, ...(from !== after ? { restarted: true } : {}) };
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
