/**
 * The web agent console: the page at `/console/`, a JSON API under `/console/api/` for agent
 * actions (login, queue, conversation, claim/reply/note/resolve/transfer, status, tickets,
 * metrics) and live updates over `/console/ws`. Every action answers with the service's result:
 * 200 with data, or the error code's HTTP status with `{ error: { code, message } }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES, type Engine, MAX_PAGE_LIMIT, type Page } from '../../core';
import type { ActionResult, HandoffService } from '../../core/handoff';
import { buildWebApp } from '../web-assets';
import { type ConsoleAuth, createConsoleAuth, type RevokedTokens, tokenFromHeaders } from './console-auth';
import { createLoginThrottle } from '../login-throttle';
import { sendRateLimited } from '../rate-limit';
import { attachConsoleSocket } from './console-socket';
import { createStaffGuard, staffRoutes } from './staff-route';

export interface ConsoleRoutesOptions {
  engine: Engine;
  handoff: HandoffService;
  /** Agent id → password (see server/wire-handoff.ts). */
  logins: ReadonlyMap<string, string>;
  /** HMAC secret for session tokens; random per process by default (agents log in again after a restart). */
  secret?: Buffer;
  /** Tokens revoked at logout, shared with the other staff routes. */
  revoked?: RevokedTokens;
  serveUi?: boolean;
}

const login = z.object({ agentId: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const text = z.object({ text: z.string().max(4000) });
const transfer = z.union([z.object({ agentId: z.string().min(1).max(64) }).strict(), z.object({ skill: z.string().min(1).max(64) }).strict()]);
const status = z.object({ status: z.enum(['online', 'away', 'offline']) });
const ticketPatch = z
  .object({
    status: z.enum(['open', 'pending', 'resolved', 'closed']).optional(),
    assigneeId: z.string().max(64).nullable().optional(),
    priority: z.number().int().min(0).max(9).optional(),
    note: z.string().max(4000).optional(),
  })
  .strict();

type Req = FastifyRequest<{ Params: { key?: string; id?: string }; Querystring: Record<string, string | undefined> }>;

const pageQuery = z.object({ after: z.string().max(512).optional(), limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional() });
const handoffQuery = pageQuery.extend({ state: z.enum(['queued', 'assigned', 'resolved', 'ticket', 'cancelled']).optional(), agentId: z.string().max(64).optional() });
const ticketQuery = pageQuery.extend({ status: z.enum(['open', 'pending', 'resolved', 'closed']).optional(), assigneeId: z.string().max(64).optional() });
/** What the console's side lists show first; the rest is paged. */
const FIRST_PAGE = 50;

/** A page as the console API returns it: `items` and, when more follow, `next` (pass it as `after`). */
function paged<T>(page: Page<T>) {
  return { ok: true, items: page.items, ...(page.next ? { next: page.next } : {}) };
}

function bad(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: { code: 'KEFU_ERR_HANDOFF_INPUT_INVALID', message } });
}

function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | undefined {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  void bad(reply, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return undefined;
}

function send<T extends object>(reply: FastifyReply, result: ActionResult<T>) {
  if (result.ok) return reply.send(result);
  return reply.code(ERROR_CODES[result.code].httpStatus).send({ error: { code: result.code, message: result.message } });
}

export async function consoleRoutes(app: FastifyInstance, opts: ConsoleRoutesOptions): Promise<void> {
  const { engine, handoff } = opts;
  const auth: ConsoleAuth = createConsoleAuth(opts.logins, { ...(opts.secret ? { secret: opts.secret } : {}), ...(opts.revoked ? { revoked: opts.revoked } : {}) });
  const throttle = createLoginThrottle();
  const socket = attachConsoleSocket(app.server, auth, engine.log);
  handoff.addAgentChannel(socket);
  app.addHook('onClose', () => socket.close());

  /** Routes that need a logged-in agent. */
  const route = staffRoutes<Req>(app, createStaffGuard(auth));

  app.post('/console/api/login', async (req, reply) => {
    const body = parse(login, req.body, reply);
    if (!body) return reply;
    const waitMs = throttle.wait(body.agentId, req.ip);
    if (waitMs > 0) return sendRateLimited(reply, waitMs, (s) => `Too many wrong passwords; try again in ${s} s.`);
    const token = auth.login(body.agentId, body.password);
    if (!token) {
      throttle.failed(body.agentId, req.ip);
      return reply.code(401).send({ error: { code: 'KEFU_ERR_CONSOLE_AUTH', message: 'Wrong agent id or password.' } });
    }
    throttle.succeeded(body.agentId);
    const agent = (await handoff.agents()).find((a) => a.id === body.agentId);
    return reply.header('set-cookie', auth.cookie(token)).send({ ok: true, token, agent });
  });
  app.post('/console/api/logout', async (req, reply) => {
    auth.logout(tokenFromHeaders(req.headers)); // the token stops working now, not in 12 hours
    return reply.header('set-cookie', auth.clearCookie()).send({ ok: true });
  });

  route('GET', '/console/api/state', async (agentId) => {
    const [agents, queue, assigned, open, pending] = await Promise.all([
      handoff.agents(),
      handoff.queue({ limit: FIRST_PAGE }),
      handoff.list({ state: 'assigned' }, { limit: FIRST_PAGE }),
      handoff.listTickets({ status: 'open' }, { limit: FIRST_PAGE }),
      handoff.listTickets({ status: 'pending' }, { limit: FIRST_PAGE }),
    ]);
    return {
      ok: true,
      me: agents.find((a) => a.id === agentId),
      agents,
      queue: queue.items,
      queueSize: handoff.queueSize(),
      ...(queue.next ? { queueNext: queue.next } : {}),
      assigned: assigned.items,
      ...(assigned.next ? { assignedNext: assigned.next } : {}),
      tickets: [...open.items, ...pending.items],
      ...(open.next || pending.next ? { ticketsMore: true } : {}),
    };
  });
  route('GET', '/console/api/queue', async (_agentId, req, reply) => {
    const q = pageQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return paged(await handoff.queue(q.data));
  });
  route('GET', '/console/api/handoffs', async (_agentId, req, reply) => {
    const q = handoffQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { after, limit, ...filter } = q.data;
    return paged(await handoff.list(filter, { ...(after ? { after } : {}), ...(limit ? { limit } : {}) }));
  });
  route('GET', '/console/api/conversations/:key', async (_agentId, req, reply) => {
    const key = req.params.key ?? '';
    const record = await handoff.get(key);
    if (!record) return reply.code(404).send({ error: { code: 'KEFU_ERR_HANDOFF_NOT_FOUND', message: `No handoff for conversation "${key}".` } });
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    if (before !== undefined && !(Number.isInteger(before) && before > 0)) return bad(reply, 'before must be a message seq.');
    const transcript = await handoff.transcript(key, { ...(before ? { before } : {}), limit: 100 });
    return { ok: true, record, transcript, profile: record.customer };
  });
  route('POST', '/console/api/conversations/:key/claim', async (agentId, req, reply) => send(reply, await handoff.claim(req.params.key ?? '', agentId)));
  route('POST', '/console/api/conversations/:key/resolve', async (agentId, req, reply) => send(reply, await handoff.resolve(req.params.key ?? '', agentId)));
  route('POST', '/console/api/conversations/:key/reply', async (agentId, req, reply) => {
    const body = parse(text, req.body, reply);
    return body ? send(reply, await handoff.reply(req.params.key ?? '', agentId, { text: body.text })) : reply;
  });
  route('POST', '/console/api/conversations/:key/note', async (agentId, req, reply) => {
    const body = parse(text, req.body, reply);
    return body ? send(reply, await handoff.note(req.params.key ?? '', agentId, body.text)) : reply;
  });
  route('POST', '/console/api/conversations/:key/transfer', async (agentId, req, reply) => {
    const body = parse(transfer, req.body, reply);
    return body ? send(reply, await handoff.transfer(req.params.key ?? '', agentId, body)) : reply;
  });
  route('POST', '/console/api/status', async (agentId, req, reply) => {
    const body = parse(status, req.body, reply);
    return body ? send(reply, await handoff.setAgentStatus(agentId, body.status)) : reply;
  });
  route('GET', '/console/api/tickets', async (_agentId, req, reply) => {
    const q = ticketQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { after, limit, ...filter } = q.data;
    const page = await handoff.listTickets(filter, { ...(after ? { after } : {}), ...(limit ? { limit } : {}) });
    return { ...paged(page), tickets: page.items };
  });
  route('GET', '/console/api/tickets/:id', async (_agentId, req, reply) => {
    const ticket = await handoff.getTicket(req.params.id ?? '');
    return ticket ? { ok: true, ticket } : reply.code(404).send({ error: { code: 'KEFU_ERR_TICKET_NOT_FOUND', message: `No ticket "${req.params.id}".` } });
  });
  route('POST', '/console/api/tickets/:id', async (agentId, req, reply) => {
    const body = parse(ticketPatch, req.body, reply);
    if (!body) return reply;
    const { assigneeId, ...rest } = body;
    return send(reply, await handoff.updateTicket(req.params.id ?? '', agentId, { ...rest, ...(assigneeId === undefined ? {} : { assigneeId }) }));
  });
  route('POST', '/console/api/tickets/:id/answer', async (agentId, req, reply) => {
    const body = parse(text, req.body, reply);
    return body ? send(reply, await handoff.answerTicket(req.params.id ?? '', agentId, body.text)) : reply;
  });
  route('GET', '/console/api/metrics', async () => ({ ok: true, metrics: await handoff.metrics() }));

  if (opts.serveUi === false) return;
  const assets = await buildWebApp('console');
  const serve = (name: string) => async (_req: unknown, reply: FastifyReply) => {
    const a = assets.get(name);
    return a ? reply.type(a.type).header('cache-control', 'no-store').send(a.body) : reply.code(404).send();
  };
  app.get('/console', async (_req, reply) => reply.redirect('/console/'));
  app.get('/console/', serve('index.html'));
  app.get('/console/main.js', serve('main.js'));
  app.get('/console/style.css', serve('style.css'));
}
