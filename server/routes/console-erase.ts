/**
 * Erasure on request, for admins (the `erase` permission): `POST /console/api/conversations/:key/erase`
 * deletes everything kept about the conversation (server/erasure.ts) and answers the counts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eraseConversation } from '../erasure';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';

type Req = FastifyRequest<{ Params: { key?: string } }>;

export async function consoleEraseRoutes(app: FastifyInstance, opts: StaffRoutesOptions): Promise<void> {
  const { engine } = opts;
  const route = staffRoutes<Req>(app, (await staffAccess(opts)).guard);
  route(
    'POST',
    '/console/api/conversations/:key/erase',
    async (me, req) => ({ ok: true, erased: await eraseConversation(engine.data, req.params.key ?? '', me.id, engine.now) }),
    'erase',
  );
}
