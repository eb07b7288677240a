/**
 * The staff audit log over HTTP: `GET /console/api/audit` (newest first, `?before=&limit=`) and
 * `GET /console/api/audit/verify` for logged-in agents. Registering it also starts the auditing:
 * the handoff service's events (claim, reply, note, resolve, transfer, status, tickets) go to the
 * log through an agent channel, and console logins and logouts through an `onResponse` hook. The
 * plugin is not encapsulated (`skip-override`), so that hook sees the console's login route.
 * @example
 * const staff = { engine, handoff, logins, secret: randomBytes(32) }; // the console's secret
 * await http.register(consoleRoutes, staff);
 * await http.register(auditRoutes, staff);
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { asCodedError, type Engine } from '../../core';
import { type AuditLog, createAuditChannel, createAuditLog } from '../../core/audit';
import type { HandoffService } from '../../core/handoff';
import { createConsoleAuth } from './console-auth';
import { createStaffGuard, sendError } from './staff-route';

export interface StaffRoutesOptions {
  engine: Engine;
  handoff: HandoffService;
  /** Agent id → password (server/wire-handoff.ts). */
  logins: ReadonlyMap<string, string>;
  /** The console's session secret, so its tokens and cookies are accepted here too. */
  secret: Buffer;
}

const pageQuery = z.object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).optional() });

export async function auditRoutes(app: FastifyInstance, opts: StaffRoutesOptions): Promise<void> {
  const { engine } = opts;
  const auth = createConsoleAuth(opts.logins, { secret: opts.secret });
  const agentOf = createStaffGuard(auth);
  const audit: AuditLog = createAuditLog({ data: engine.data, now: engine.now });
  opts.handoff.addAgentChannel(createAuditChannel(audit));
  const append = (input: Parameters<AuditLog['append']>[0]) =>
    audit.append(input).catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: input.action }, 'audit entry not written'));

  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'POST') return;
    const url = req.routeOptions.url;
    if (url === '/console/api/login') {
      const tried = (req.body as { agentId?: unknown } | undefined)?.agentId;
      if (typeof tried !== 'string' || !tried) return;
      if (reply.statusCode === 200) await append({ actor: tried, action: 'login', target: tried });
      else if (reply.statusCode === 401) await append({ actor: tried.slice(0, 64), action: 'login.failed', target: tried.slice(0, 64) });
    } else if (url === '/console/api/logout') {
      const agentId = auth.fromHeaders(req.headers);
      if (agentId) await append({ actor: agentId, action: 'logout', target: agentId });
    }
  });

  app.get('/console/api/audit', async (req, reply) => {
    if (!agentOf(req, reply)) return reply;
    const q = pageQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: 'before must be a seq and limit 1..500.' } });
    try {
      return { ok: true, ...(await audit.page(q.data)) };
    } catch (err) {
      return sendError(reply, err);
    }
  });
  app.get('/console/api/audit/verify', async (req, reply) => {
    if (!agentOf(req, reply)) return reply;
    try {
      return { ok: true, verification: await audit.verify() };
    } catch (err) {
      return sendError(reply, err);
    }
  });
}
// Not encapsulated: the login hook must see the console's routes (Fastify's skip-override, as fastify-plugin sets it).
Object.assign(auditRoutes, { [Symbol.for('skip-override')]: true });
