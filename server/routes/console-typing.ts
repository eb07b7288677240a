/**
 * An agent's typing and "seen", for the customer's page (and other consoles): never stored.
 * `POST /console/api/conversations/:key/typing` (no body) says the agent is typing (at most one
 * signal per 3 s per agent and conversation; the rest are answered and dropped), and
 * `POST /console/api/conversations/:key/seen` `{ "seq": 12 }` that the agent has seen the customer's
 * messages up to that seq. Both answer `{ ok: true, shown }` (`shown` false: no active handoff, or
 * throttled), for conversations the agent may act on (docs/roles.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES } from '../../core';
import type { ActionResult } from '../../plugins/handoff';
import { createAccess } from './console-access';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';
import { createTypingThrottle } from './typing-throttle';

type Req = FastifyRequest<{ Params: { key?: string } }>;

const seenBody = z.object({ seq: z.number().int().min(0) }).strict();

function send(reply: FastifyReply, result: ActionResult<{ shown: boolean }>) {
  if (result.ok) return reply.send(result);
  return reply.code(ERROR_CODES[result.code].httpStatus).send({ error: { code: result.code, message: result.message } });
}

export async function consoleTypingRoutes(app: FastifyInstance, opts: StaffRoutesOptions): Promise<void> {
  const { handoff, engine } = opts;
  const { guard } = await staffAccess(opts);
  const access = createAccess(handoff);
  const route = staffRoutes<Req>(app, guard);
  const throttle = createTypingThrottle(engine.now);
  const path = (action: string) => `/console/api/conversations/:key/${action}`;

  route('POST', path('typing'), async (me, req, reply) => {
    const key = req.params.key ?? '';
    await access.conversation(me, key);
    if (!throttle(`${key} ${me.id}`)) return reply.send({ ok: true, shown: false });
    return send(reply, await handoff.typing(key, 'agent', me.id));
  });
  route('POST', path('seen'), async (me, req, reply) => {
    const body = seenBody.safeParse(req.body ?? {});
    if (!body.success) {
      return reply
        .code(400)
        .send({ error: { code: 'KEFU_ERR_HANDOFF_INPUT_INVALID', message: 'Send JSON { "seq": <the last customer message seq the agent saw> } (an integer, 0 or more).' } });
    }
    const key = req.params.key ?? '';
    await access.conversation(me, key);
    return send(reply, await handoff.seen(key, me.id, body.data.seq));
  });
}
