/**
 * A/B experiments in the console (docs/experiments.md), for supervisors and admins:
 *   GET  /console/api/experiments                  every experiment, its state and per-variant analytics
 *   POST /console/api/experiments                  create one (the EXPERIMENTS_FILE format, one experiment)
 *   POST /console/api/experiments/:id/stop         everyone gets the bot without the experiment
 *   POST /console/api/experiments/:id/rollout {variant}   everyone gets that variant
 * Stop and roll-out are final. Registering it reads EXPERIMENTS_FILE (an invalid file stops the
 * start with KEFU_ERR_EXPERIMENTS_INVALID) and registers the experiments plugin on the engine.
 * Every change is written to the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { asCodedError, KefuError } from '../../core';
import { type AuditInput, createAuditLog } from '../../plugins/audit';
import type { Experiments } from '../../plugins/experiments';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';

export interface ExperimentsRoutesOptions extends StaffRoutesOptions {
  /** The experiments plugin's service (registered on the engine by server/wire-plugins.ts). */
  experiments: Experiments;
}

type Req = FastifyRequest<{ Params: { id?: string } }>;

const rolloutBody = z.object({ variant: z.string().min(1).max(64) }).strict();

export async function consoleExperimentsRoutes(app: FastifyInstance, opts: ExperimentsRoutesOptions): Promise<void> {
  const { engine, experiments } = opts;
  const route = staffRoutes<Req>(app, (await staffAccess(opts)).guard);
  const log = createAuditLog({ data: engine.data, now: engine.now });
  const audit = (input: AuditInput) =>
    log.append(input).catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: input.action }, 'audit entry not written'));

  route('GET', '/console/api/experiments', async () => ({ ok: true, experiments: await experiments.list() }), 'reports');

  route(
    'POST',
    '/console/api/experiments',
    async (me, req) => {
      const view = await experiments.store.create(req.body, me.id);
      await audit({ actor: me.id, action: 'experiment.create', target: view.experiment.id, detail: { variants: view.experiment.variants.length } });
      return { ok: true, experiment: view };
    },
    'reports',
  );

  route(
    'POST',
    '/console/api/experiments/:id/stop',
    async (me, req) => {
      const id = req.params.id ?? '';
      const view = await experiments.store.stop(id, me.id);
      await audit({ actor: me.id, action: 'experiment.stop', target: id });
      return { ok: true, experiment: view };
    },
    'reports',
  );

  route(
    'POST',
    '/console/api/experiments/:id/rollout',
    async (me, req) => {
      const id = req.params.id ?? '';
      const body = rolloutBody.safeParse(req.body ?? {});
      if (!body.success) throw new KefuError('KEFU_ERR_HTTP_BODY_INVALID', 'Send {"variant": "<variant id>"}: the variant everyone gets from now on.');
      const view = await experiments.store.rollOut(id, body.data.variant, me.id);
      await audit({ actor: me.id, action: 'experiment.rollout', target: id, detail: { variant: body.data.variant } });
      return { ok: true, experiment: view };
    },
    'reports',
  );
}
