/**
 * The web agent console: the page at `/console/`, a JSON API under `/console/api/` for agent
 * actions (login, queue, conversation, claim/reply/note/resolve/transfer/escalate-expert, status, tickets,
 * metrics) and live updates over `/console/ws`. Every action answers with the service's result:
 * 200 with data, or the error code's HTTP status with `{ error: { code, message } }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { asCodedError, ERROR_CODES, MAX_PAGE_LIMIT, type Page } from '../../core';
import { createAuditLog } from '../../plugins/audit';
import type { ActionResult, HandoffService, TransferTarget } from '../../plugins/handoff';
import { createLoginThrottle } from '../login-throttle';
import { sendRateLimited } from '../rate-limit';
import type { StaffMember } from '../staff/roles';
import { buildWebApp } from '../web-assets';
import { createAccess, mayReadTicket, seesAll } from './console-access';
import { tokenFromHeaders } from './console-auth';
import type { StaffRoutesOptions } from './console-options';
import { staffAccess } from './console-options';
import { CSRF_MESSAGE, crossSite, originAllowed } from './console-origin';
import { consoleCannedRoutes } from './console-canned';
import { consoleSearchRoutes } from './console-search';
import { attachConsoleSocket } from './console-socket';
import { staffManagementRoutes } from './console-staff';
import { forbidden, staffRoutes } from './staff-route';

export interface ConsoleRoutesOptions extends StaffRoutesOptions {
  serveUi?: boolean;
}

const login = z.object({ agentId: z.string().min(1).max(64), password: z.string().min(1).max(256) });
const text = z.object({ text: z.string().max(4000) });
const escalateExpert = z.object({ skill: z.string().min(1).max(64).optional(), note: z.string().max(4000) }).strict();
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

type Route = (method: 'GET' | 'POST', url: string, handler: (me: StaffMember, req: Req, reply: FastifyReply) => Promise<unknown>) => unknown;
type Access = ReturnType<typeof createAccess>;
type OnReassign = (me: StaffMember, key: string, target: TransferTarget, from: string) => Promise<void>;

/**
 * Claim, reply, note, resolve, transfer. Agents act only on the queue and their own conversations
 * (403 otherwise); a supervisor's transfer of someone else's conversation is a reassignment, done
 * on the assignee's behalf and audited as the supervisor's `reassign`.
 */
function conversationActions(route: Route, handoff: HandoffService, access: Access, onReassign: OnReassign): void {
  const path = (action: string) => `/console/api/conversations/:key/${action}`;
  route('POST', path('claim'), async (me, req, reply) => send(reply, await handoff.claim(req.params.key ?? '', me.id)));
  route('POST', path('resolve'), async (me, req, reply) => {
    await access.conversation(me, req.params.key ?? '');
    return send(reply, await handoff.resolve(req.params.key ?? '', me.id));
  });
  route('POST', path('reply'), async (me, req, reply) => {
    const body = parse(text, req.body, reply);
    if (!body) return reply;
    await access.conversation(me, req.params.key ?? '');
    return send(reply, await handoff.reply(req.params.key ?? '', me.id, { text: body.text, desk: 'console' }));
  });
  route('POST', path('note'), async (me, req, reply) => {
    const body = parse(text, req.body, reply);
    if (!body) return reply;
    await access.conversation(me, req.params.key ?? '');
    return send(reply, await handoff.note(req.params.key ?? '', me.id, body.text, { desk: 'console' }));
  });
  // Only the assigned agent escalates (the service checks): a supervisor reassigns instead.
  route('POST', path('escalate-expert'), async (me, req, reply) => {
    const body = parse(escalateExpert, req.body, reply);
    if (!body) return reply;
    await access.conversation(me, req.params.key ?? '');
    return send(reply, await handoff.escalateToExpert(req.params.key ?? '', me.id, { note: body.note, ...(body.skill ? { skill: body.skill } : {}) }));
  });
  route('POST', path('transfer'), async (me, req, reply) => {
    const body = parse(transfer, req.body, reply);
    if (!body) return reply;
    const key = req.params.key ?? '';
    const r = await access.conversation(me, key);
    const assignee = r?.state === 'assigned' ? r.agentId : undefined;
    if (!assignee || assignee === me.id || !seesAll(me)) return send(reply, await handoff.transfer(key, me.id, body));
    const result = await handoff.transfer(key, assignee, body);
    if (result.ok) await onReassign(me, key, body, assignee);
    return send(reply, result);
  });
}

/**
 * Presence and offers: `POST /console/api/presence` is a heartbeat (for pages or scripts without the
 * socket); an agent accepts or declines a conversation routing offered them (`handoff.offered`).
 */
function presenceAndOfferRoutes(route: Route, handoff: HandoffService): void {
  route('POST', '/console/api/presence', async (me, _req, reply) => send(reply, await handoff.heartbeat(me.id, 'console')));
  // Only the agent an offer stands for can answer it (the service checks): no other access rule applies.
  route('POST', '/console/api/conversations/:key/accept', async (me, req, reply) => send(reply, await handoff.accept(req.params.key ?? '', me.id)));
  route('POST', '/console/api/conversations/:key/decline', async (me, req, reply) => send(reply, await handoff.decline(req.params.key ?? '', me.id)));
}

/** Tickets: agents see and act on unassigned tickets and their own; supervisors on all, and reassign. */
function ticketRoutes(route: Route, handoff: HandoffService, access: Access): void {
  route('GET', '/console/api/tickets', async (me, req, reply) => {
    const q = ticketQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { after, limit, ...filter } = q.data;
    if (!seesAll(me) && filter.assigneeId && filter.assigneeId !== me.id) throw forbidden('Agents list only their own tickets and unassigned ones.');
    const page = await handoff.listTickets(filter, { ...(after ? { after } : {}), ...(limit ? { limit } : {}) });
    const items = page.items.filter((t) => mayReadTicket(me, t));
    return { ...paged({ ...page, items }), tickets: items };
  });
  route('GET', '/console/api/tickets/:id', async (me, req, reply) => {
    const ticket = await access.ticket(me, req.params.id ?? '');
    return ticket ? { ok: true, ticket } : reply.code(404).send({ error: { code: 'KEFU_ERR_TICKET_NOT_FOUND', message: `No ticket "${req.params.id}".` } });
  });
  route('POST', '/console/api/tickets/:id', async (me, req, reply) => {
    const body = parse(ticketPatch, req.body, reply);
    if (!body) return reply;
    const { assigneeId, ...rest } = body;
    const patch = { ...rest, ...(assigneeId === undefined ? {} : { assigneeId }) };
    await access.ticket(me, req.params.id ?? '', patch);
    return send(reply, await handoff.updateTicket(req.params.id ?? '', me.id, patch));
  });
  route('POST', '/console/api/tickets/:id/answer', async (me, req, reply) => {
    const body = parse(text, req.body, reply);
    if (!body) return reply;
    await access.ticket(me, req.params.id ?? '');
    return send(reply, await handoff.answerTicket(req.params.id ?? '', me.id, body.text));
  });
}

export async function consoleRoutes(app: FastifyInstance, opts: ConsoleRoutesOptions): Promise<void> {
  const { engine, handoff } = opts;
  const access = await staffAccess(opts);
  const { auth, origins } = access;
  const throttle = createLoginThrottle(opts.failureCounts);
  const socket = attachConsoleSocket(app.server, auth, engine.log, { origins, trustProxy: opts.trustProxy ?? false, presence: handoff });
  handoff.addAgentChannel(socket);
  app.addHook('onClose', () => socket.close());
  const guard = createAccess(handoff);
  const audit = createAuditLog({ data: engine.data, now: engine.now });

  /** Routes that need a logged-in staff member. */
  const route = staffRoutes<Req>(app, access.guard);

  app.post('/console/api/login', async (req, reply) => {
    // Logins come from the console page or a script (no Origin); a page on another site is refused.
    if (crossSite(req.headers, req.host, origins)) return reply.code(403).send({ error: { code: 'KEFU_ERR_CONSOLE_CSRF', message: CSRF_MESSAGE } });
    const body = parse(login, req.body, reply);
    if (!body) return reply;
    const waitMs = await throttle.wait(body.agentId, req.ip);
    if (waitMs > 0) return sendRateLimited(reply, waitMs, (s) => `Too many wrong passwords; try again in ${s} s.`);
    const token = await auth.login(body.agentId, body.password);
    if (!token) {
      await throttle.failed(body.agentId, req.ip);
      return reply.code(401).send({ error: { code: 'KEFU_ERR_CONSOLE_AUTH', message: 'Wrong agent id or password.' } });
    }
    await throttle.succeeded(body.agentId);
    await handoff.heartbeat(body.agentId, 'login'); // a new session starts online (presence, docs/handoff.md)
    const agent = (await handoff.agents()).find((a) => a.id === body.agentId);
    const role = auth.verify(token)?.role;
    return reply.header('set-cookie', auth.cookie(token, req.protocol === 'https')).send({ ok: true, token, agent, role });
  });
  app.post('/console/api/logout', async (req, reply) => {
    const found = tokenFromHeaders(req.headers);
    if (found?.via === 'cookie' && !originAllowed(req.headers, req.host, origins)) return reply.code(403).send({ error: { code: 'KEFU_ERR_CONSOLE_CSRF', message: CSRF_MESSAGE } });
    const member = auth.verify(found?.token);
    auth.logout(found?.token); // the token stops working now, not in 12 hours
    if (member) await handoff.setAgentStatus(member.id, 'offline'); // logged out: offline now, not after a silence
    return reply.header('set-cookie', auth.clearCookie(req.protocol === 'https')).send({ ok: true });
  });

  route('GET', '/console/api/state', async (me) => {
    const mine = seesAll(me) ? {} : { agentId: me.id };
    const [agents, queue, assigned, open, pending] = await Promise.all([
      handoff.agents(),
      handoff.queue({ limit: FIRST_PAGE }),
      handoff.list({ state: 'assigned', ...mine }, { limit: FIRST_PAGE }),
      handoff.listTickets({ status: 'open' }, { limit: FIRST_PAGE }),
      handoff.listTickets({ status: 'pending' }, { limit: FIRST_PAGE }),
    ]);
    return {
      ok: true,
      me: agents.find((a) => a.id === me.id),
      role: me.role,
      agents,
      queue: queue.items,
      queueSize: handoff.queueSize(),
      ...(queue.next ? { queueNext: queue.next } : {}),
      assigned: assigned.items,
      ...(assigned.next ? { assignedNext: assigned.next } : {}),
      tickets: [...open.items, ...pending.items].filter((t) => mayReadTicket(me, t)),
      ...(open.next || pending.next ? { ticketsMore: true } : {}),
    };
  });
  route('GET', '/console/api/queue', async (_me, req, reply) => {
    const q = pageQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return paged(await handoff.queue(q.data));
  });
  route('GET', '/console/api/handoffs', async (me, req, reply) => {
    const q = handoffQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { after, limit, ...filter } = q.data;
    if (!seesAll(me) && filter.state !== 'queued') {
      if (filter.agentId && filter.agentId !== me.id) throw forbidden('Agents list only their own conversations and the queue.');
      filter.agentId = me.id;
    }
    return paged(await handoff.list(filter, { ...(after ? { after } : {}), ...(limit ? { limit } : {}) }));
  });
  route('GET', '/console/api/conversations/:key', async (me, req, reply) => {
    const key = req.params.key ?? '';
    const record = await guard.conversation(me, key);
    if (!record) return reply.code(404).send({ error: { code: 'KEFU_ERR_HANDOFF_NOT_FOUND', message: `No handoff for conversation "${key}".` } });
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    if (before !== undefined && !(Number.isInteger(before) && before > 0)) return bad(reply, 'before must be a message seq.');
    const transcript = await handoff.transcript(key, { ...(before ? { before } : {}), limit: 100 });
    return { ok: true, record, transcript, profile: record.customer };
  });
  conversationActions(route, handoff, guard, async (me, key, target, from) => {
    await audit
      .append({ actor: me.id, action: 'reassign', target: key, detail: { from, ...('agentId' in target ? { toAgent: target.agentId } : { toSkill: target.skill }) } })
      .catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: 'reassign' }, 'audit entry not written'));
  });
  presenceAndOfferRoutes(route, handoff);
  route('POST', '/console/api/status', async (me, req, reply) => {
    const body = parse(status, req.body, reply);
    return body ? send(reply, await handoff.setAgentStatus(me.id, body.status)) : reply;
  });
  ticketRoutes(route, handoff, guard);
  route('GET', '/console/api/metrics', async () => ({ ok: true, metrics: await handoff.metrics() }), 'reports');
  await staffManagementRoutes(app, { ...access, handoff, engine });
  await consoleSearchRoutes(app, { engine, handoff, guard: access.guard }); // search, customer history, list previews
  await consoleCannedRoutes(app, { engine, guard: access.guard }); // canned responses

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
