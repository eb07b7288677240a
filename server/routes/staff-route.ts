/**
 * Routes for logged-in support staff (console, analytics, audit): one guard that answers 401
 * KEFU_ERR_CONSOLE_AUTH without a session, and coded errors as `{ error: { code, message } }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isKefuError } from '../../core';
import type { ConsoleAuth } from './console-auth';

export type StaffGuard = (req: FastifyRequest, reply: FastifyReply) => string | undefined;

/** Resolves the logged-in agent of a request, or answers 401 with KEFU_ERR_CONSOLE_AUTH. */
export function createStaffGuard(auth: ConsoleAuth): StaffGuard {
  return (req, reply) => {
    const id = auth.fromHeaders(req.headers);
    if (!id)
      void reply
        .code(401)
        .send({ error: { code: 'KEFU_ERR_CONSOLE_AUTH', message: 'Log in to the console first (POST /console/api/login), or send Authorization: Bearer <token>.' } });
    return id;
  };
}

/** Sends a coded error as `{ error: { code, message } }` with its status; rethrows anything else. */
export function sendError(reply: FastifyReply, err: unknown) {
  if (!isKefuError(err)) throw err;
  return reply.code(err.httpStatus).send({ error: { code: err.code, message: err.message } });
}

/**
 * A route registrar whose handlers get the logged-in agent id.
 * @example const route = staffRoutes(app, guard); route('GET', '/console/api/state', async (agentId) => …)
 */
export function staffRoutes<R extends FastifyRequest = FastifyRequest>(app: FastifyInstance, guard: StaffGuard) {
  return (method: 'GET' | 'POST', url: string, handler: (agentId: string, req: R, reply: FastifyReply) => Promise<unknown>) =>
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        const agentId = guard(req, reply);
        if (!agentId) return reply;
        try {
          return await handler(agentId, req as R, reply);
        } catch (err) {
          return sendError(reply, err);
        }
      },
    });
}
