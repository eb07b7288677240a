/**
 * Canned responses in the console (docs/handoff.md, "Web agent console"): every staff member lists
 * them (`GET /console/api/canned`) to expand `/shortcuts` in the reply box; supervisors and admins
 * create (`POST /console/api/canned`), edit (`POST /console/api/canned/:shortcut`) and delete
 * (`POST /console/api/canned/:shortcut/delete`) them. Each change is written to the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { asCodedError, type Engine } from '../../core';
import { type AuditInput, createAuditLog } from '../../plugins/audit';
import { createCannedStore } from '../canned/store';
import type { StaffMember } from '../staff/roles';
import { forbidden, type StaffGuard, staffRoutes } from './staff-route';

type Req = FastifyRequest<{ Params: { shortcut?: string } }>;

const CANNED_EDITORS: ReadonlySet<string> = new Set(['supervisor', 'admin']);

function mayEdit(me: StaffMember): void {
  if (!CANNED_EDITORS.has(me.role)) throw forbidden(`The ${me.role} role cannot change canned responses; ask a supervisor or an admin (docs/roles.md).`);
}

export async function consoleCannedRoutes(app: FastifyInstance, opts: { engine: Engine; guard: StaffGuard }): Promise<void> {
  const { engine } = opts;
  const canned = createCannedStore({ data: engine.data, now: engine.now });
  const route = staffRoutes<Req>(app, opts.guard);
  const log = createAuditLog({ data: engine.data, now: engine.now });
  const audit = (input: AuditInput) =>
    log.append(input).catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: input.action }, 'audit entry not written'));

  route('GET', '/console/api/canned', async (me) => ({ ok: true, items: await canned.list(), editable: CANNED_EDITORS.has(me.role) }));

  route('POST', '/console/api/canned', async (me, req) => {
    mayEdit(me);
    const item = await canned.create(req.body, me.id);
    await audit({ actor: me.id, action: 'canned.create', target: `/${item.shortcut}`, detail: { shortcut: item.shortcut } });
    return { ok: true, item };
  });

  route('POST', '/console/api/canned/:shortcut', async (me, req) => {
    mayEdit(me);
    const shortcut = req.params.shortcut ?? '';
    const item = await canned.update(shortcut, req.body, me.id);
    await audit({ actor: me.id, action: 'canned.update', target: `/${shortcut}`, detail: { shortcut: item.shortcut } });
    return { ok: true, item };
  });

  route('POST', '/console/api/canned/:shortcut/delete', async (me, req) => {
    mayEdit(me);
    const shortcut = req.params.shortcut ?? '';
    await canned.remove(shortcut, me.id);
    await audit({ actor: me.id, action: 'canned.delete', target: `/${shortcut}`, detail: { shortcut } });
    return { ok: true };
  });
}
