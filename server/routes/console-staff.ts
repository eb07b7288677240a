/**
 * Staff management for admins: `GET /console/api/staff` lists accounts; `POST /console/api/staff`
 * creates one (an agent profile, a role and a password: the new agent can be routed to at once);
 * `POST /console/api/staff/:id/disable|enable` and `POST /console/api/staff/:id/password`. A
 * disabled account's sessions end and the agent goes offline (their conversations go back to the
 * queue). Every change is written to the audit log; passwords never are.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { asCodedError, type Engine, KefuError, LOCALES } from '../../core';
import { type AuditInput, createAuditLog } from '../../plugins/audit';
import { type AgentProfile, type HandoffService, STAFF_ROLES } from '../../plugins/handoff';
import { MIN_PASSWORD } from '../staff/password';
import type { StaffMember } from '../staff/roles';
import { staffInputError } from '../staff/store';
import type { StaffAccess } from './console-options';
import { staffRoutes } from './staff-route';

const password = z
  .string()
  .min(MIN_PASSWORD, { error: `must have at least ${MIN_PASSWORD} characters` })
  .max(256);
const newAccount = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be 1-64 of a-z 0-9 _ - (starting with a letter or digit)' }),
    name: z.string().trim().min(1).max(128),
    role: z.enum(STAFF_ROLES).default('agent'),
    password,
    languages: z.array(z.enum(LOCALES)).min(1).default(['en']),
    skills: z.array(z.string().trim().min(1).max(64)).min(1).max(20).default(['general']),
    capacity: z.number().int().min(1).max(100).default(3),
  })
  .strict();
const passwordBody = z.object({ password }).strict();

type Req = FastifyRequest<{ Params: { id?: string } }>;

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw staffInputError(r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

export async function staffManagementRoutes(app: FastifyInstance, opts: StaffAccess & { handoff: HandoffService; engine: Engine }): Promise<void> {
  const { staff, handoff, engine } = opts;
  const route = staffRoutes<Req>(app, opts.guard);
  const log = createAuditLog({ data: engine.data, now: engine.now });
  const audit = (input: AuditInput) =>
    log.append(input).catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: input.action }, 'audit entry not written'));
  const notSelf = (me: StaffMember, id: string) => {
    if (id === me.id) throw staffInputError('Admins cannot disable their own account; ask another admin.');
  };

  route(
    'GET',
    '/console/api/staff',
    async () => {
      const names = new Map((await handoff.agents()).map((a) => [a.id, a.name]));
      return { ok: true, accounts: staff.list().map((a) => ({ ...a, name: a.name ?? names.get(a.id) })) };
    },
    'manageStaff',
  );

  route(
    'POST',
    '/console/api/staff',
    async (me, req) => {
      const { password: pw, role, ...profile } = parsed(newAccount, req.body);
      if ((await handoff.agents()).some((a) => a.id === profile.id) && !staff.account(profile.id)) {
        throw staffInputError(`"${profile.id}" is an agent of AGENTS_FILE; give them a password in CONSOLE_AGENTS instead.`);
      }
      const agent: AgentProfile = { ...profile, status: 'offline', role };
      const account = await staff.create({ profile: agent, role, password: pw });
      const added = await handoff.addAgent(agent);
      if (!added.ok) throw new KefuError(added.code, added.message);
      await audit({ actor: me.id, action: 'staff.create', target: account.id, detail: { role } });
      return { ok: true, account };
    },
    'manageStaff',
  );

  route(
    'POST',
    '/console/api/staff/:id/disable',
    async (me, req) => {
      const id = req.params.id ?? '';
      notSelf(me, id);
      const account = await staff.setDisabled(id, true);
      if ((await handoff.agents()).some((a) => a.id === id)) await handoff.setAgentStatus(id, 'offline');
      await audit({ actor: me.id, action: 'staff.disable', target: id });
      return { ok: true, account };
    },
    'manageStaff',
  );

  route(
    'POST',
    '/console/api/staff/:id/enable',
    async (me, req) => {
      const id = req.params.id ?? '';
      const account = await staff.setDisabled(id, false);
      await audit({ actor: me.id, action: 'staff.enable', target: id });
      return { ok: true, account };
    },
    'manageStaff',
  );

  route(
    'POST',
    '/console/api/staff/:id/password',
    async (me, req) => {
      const id = req.params.id ?? '';
      const account = await staff.resetPassword(id, parsed(passwordBody, req.body).password);
      await audit({ actor: me.id, action: 'staff.password', target: id });
      return { ok: true, account };
    },
    'manageStaff',
  );
}
