/**
 * The staff audit log over HTTP: `GET /console/api/audit` (newest first, `?before=&limit=`) and
 * `GET /console/api/audit/verify` and `GET /console/api/audit/daily` (the automatic daily digests). Registering it also starts the auditing:
 * the handoff service's events (claim, reply, note, resolve, transfer, status, tickets) go to the
 * log through an agent channel, and console logins and logouts through an `onResponse` hook. The
 * plugin is not encapsulated (`skip-override`), so that hook sees the console's login route.
 * Reading the log needs the `audit` permission (supervisors and admins).
 * @example
 * const staff = { engine, handoff, staff: accounts, secret: randomBytes(32) }; // the console's secret
 * await http.register(consoleRoutes, staff);
 * await http.register(auditRoutes, staff);
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { asCodedError } from '../../core';
import { type AuditLog, createAuditLog } from '../../plugins/audit';
import type { DailyAudit } from '../audit-daily';
import { touchBounded } from '../rate-limit';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';

export type { StaffRoutesOptions } from './console-options';

/** Failed logins per account since its last success (bounded). */
function createFailureCounter() {
  const counts = new Map<string, number>();
  return {
    add(account: string): number {
      const n = (counts.get(account) ?? 0) + 1;
      touchBounded(counts, account, n, 10_000);
      return n;
    },
    reset: (account: string) => counts.delete(account),
  };
}

const isPowerOfTen = (n: number): boolean => n === 1 || (n % 10 === 0 && isPowerOfTen(n / 10));

const pageQuery = z.object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).optional() });

export async function auditRoutes(app: FastifyInstance, opts: StaffRoutesOptions & { daily?: DailyAudit }): Promise<void> {
  const { engine } = opts;
  const { auth, guard } = await staffAccess(opts);
  const failedLogins = createFailureCounter();
  const loggingOut = new WeakMap<object, string>();
  // Who logs out is read before the logout revokes the token.
  app.addHook('preHandler', async (req) => {
    if (req.method !== 'POST' || req.routeOptions.url !== '/console/api/logout') return;
    const member = auth.fromHeaders(req.headers);
    if (member) loggingOut.set(req, member.id);
  });
  const route = staffRoutes(app, guard);
  const audit: AuditLog = createAuditLog({ data: engine.data, now: engine.now }); // the handoff's actions are appended by its channel (server/wire-plugins.ts)
  const append = (input: Parameters<AuditLog['append']>[0]) =>
    audit.append(input).catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: input.action }, 'audit entry not written'));

  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'POST') return;
    const url = req.routeOptions.url;
    if (url === '/console/api/login') {
      const tried = (req.body as { agentId?: unknown } | undefined)?.agentId;
      if (typeof tried !== 'string' || !tried) return;
      const account = tried.slice(0, 64);
      if (reply.statusCode === 200) {
        failedLogins.reset(account);
        await append({ actor: account, action: 'login', target: account });
      } else if (reply.statusCode === 401 || reply.statusCode === 429) {
        // Aggregated: the 1st, 10th, 100th… failure of a run writes one row with the count so far.
        const failures = failedLogins.add(account);
        if (isPowerOfTen(failures)) await append({ actor: account, action: 'login.failed', target: account, detail: { failures } });
      }
    } else if (url === '/console/api/logout') {
      const agentId = loggingOut.get(req);
      if (agentId) await append({ actor: agentId, action: 'logout', target: agentId });
    }
  });

  route(
    'GET',
    '/console/api/audit',
    async (_me, req, reply) => {
      const q = pageQuery.safeParse(req.query);
      if (!q.success) return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: 'before must be a seq and limit 1..500.' } });
      return { ok: true, ...(await audit.page(q.data)) };
    },
    'audit',
  );
  route('GET', '/console/api/audit/verify', async () => ({ ok: true, verification: await audit.verify() }), 'audit');
  // The daily automatic verifications, newest first (none when AUDIT_VERIFY_AT is off).
  route('GET', '/console/api/audit/daily', async () => ({ ok: true, last: opts.daily?.last(), digests: (await opts.daily?.recent(30)) ?? [] }), 'audit');
}
// Not encapsulated: the login hook must see the console's routes (Fastify's skip-override, as fastify-plugin sets it).
Object.assign(auditRoutes, { [Symbol.for('skip-override')]: true });
