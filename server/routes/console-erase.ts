/**
 * Erasure on request, for admins (the `erase` permission): `POST /console/api/conversations/:key/erase`
 * deletes everything kept about the conversation, `POST /console/api/customers/:customer/erase`
 * (`<channel>:<userId>`, URL-encoded) about every conversation of the customer (server/erasure.ts);
 * both answer the counts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eraseConversation, eraseCustomer } from '../erasure';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';

type Req = FastifyRequest<{ Params: { key?: string; customer?: string } }>;

export async function consoleEraseRoutes(app: FastifyInstance, opts: StaffRoutesOptions): Promise<void> {
  const { engine } = opts;
  const route = staffRoutes<Req>(app, (await staffAccess(opts)).guard);
  route(
    'POST',
    '/console/api/conversations/:key/erase',
    async (me, req) => ({ ok: true, erased: await eraseConversation(engine.data, req.params.key ?? '', me.id, engine.now) }),
    'erase',
  );
  route(
    'POST',
    '/console/api/customers/:customer/erase',
    async (me, req) => ({ ok: true, erased: await eraseCustomer(engine.data, req.params.customer ?? '', me.id, engine.now) }),
    'erase',
  );
}
