/**
 * Routes for logged-in support staff (console, analytics, audit): one guard that answers 401
 * KEFU_ERR_CONSOLE_AUTH without a session, 403 KEFU_ERR_CONSOLE_CSRF for a cookie-authenticated
 * change from another origin, 403 KEFU_ERR_CONSOLE_FORBIDDEN when the role does not allow the
 * route, and coded errors as `{ error: { code, message } }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isKefuError, KefuError } from '../../core';
import { can, type Permission, type StaffMember } from '../staff/roles';
import type { ConsoleAuth } from './console-auth';
import { CSRF_MESSAGE, type OriginPolicy, originAllowed } from './console-origin';

export type StaffGuard = (req: FastifyRequest, reply: FastifyReply) => StaffMember | undefined;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Resolves the logged-in staff member of a request, or answers 401 (no session) or 403 (CSRF). */
export function createStaffGuard(auth: ConsoleAuth, origins: OriginPolicy = { allowed: [] }): StaffGuard {
  return (req, reply) => {
    const session = auth.session(req.headers);
    if (!session) {
      void reply
        .code(401)
        .send({ error: { code: 'KEFU_ERR_CONSOLE_AUTH', message: 'Log in to the console first (POST /console/api/login), or send Authorization: Bearer <token>.' } });
      return undefined;
    }
    if (session.via === 'cookie' && !SAFE_METHODS.has(req.method) && !originAllowed(req.headers, req.host, origins)) {
      void reply.code(403).send({ error: { code: 'KEFU_ERR_CONSOLE_CSRF', message: CSRF_MESSAGE } });
      return undefined;
    }
    return session.member;
  };
}

export function forbidden(message: string): KefuError {
  return new KefuError('KEFU_ERR_CONSOLE_FORBIDDEN', message);
}

/** Throws 403 KEFU_ERR_CONSOLE_FORBIDDEN unless the member's role has the permission. */
export function requirePermission(member: StaffMember, permission: Permission): void {
  if (!can(member.role, permission)) throw forbidden(`The ${member.role} role cannot do this (needs ${permission}); ask a supervisor or an admin (docs/roles.md).`);
}

/** Sends a coded error as `{ error: { code, message } }` with its status; rethrows anything else. */
export function sendError(reply: FastifyReply, err: unknown) {
  if (!isKefuError(err)) throw err;
  return reply.code(err.httpStatus).send({ error: { code: err.code, message: err.message } });
}

/**
 * A route registrar whose handlers get the logged-in staff member; `permission` limits it to the
 * roles that have it.
 * @example const route = staffRoutes(app, guard); route('GET', '/console/api/audit', async (me) => …, 'audit')
 */
export function staffRoutes<R extends FastifyRequest = FastifyRequest>(app: FastifyInstance, guard: StaffGuard) {
  return (method: 'GET' | 'POST', url: string, handler: (me: StaffMember, req: R, reply: FastifyReply) => Promise<unknown>, permission?: Permission) =>
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        const me = guard(req, reply);
        if (!me) return reply;
        try {
          if (permission) requirePermission(me, permission);
          return await handler(me, req as R, reply);
        } catch (err) {
          return sendError(reply, err);
        }
      },
    });
}
