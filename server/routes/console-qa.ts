/**
 * Quality inspection in the console (docs/quality.md):
 *   GET  /console/api/qa/flags?status=open|confirmed|dismissed[&limit=&after=]   flagged conversations, newest first
 *   POST /console/api/qa/flags/:id/confirm   |   /dismiss   |   /rescore         (audited)
 *   GET  /console/api/qa/agents?from=YYYY-MM-DD&to=YYYY-MM-DD                   per-agent scores
 *   GET  /console/api/qa/export.csv?from=&to=                                     every scored conversation (audited)
 * Supervisors and admins see and decide everything; an agent gets only their own row of the
 * per-agent scores. Registering it adds the QA channel to the handoff, which scores each resolved
 * conversation in the background.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { asCodedError, type Config, type Logger } from '../../core';
import { type AuditInput, createAuditLog } from '../../plugins/audit';
import { analyzeSentiment, getTextPipeline } from '../../intents';
import { loadQaRules } from '../qa/rules';
import { createQaService } from '../qa/service';
import type { QaSla } from '../qa/types';
import { can } from '../staff/roles';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';

type QaConfig = Pick<
  Readonly<Config>,
  'QA_RULES_FILE' | 'QA_FIRST_RESPONSE_SLA_SECONDS' | 'QA_REPLY_SLA_SECONDS' | 'SLA_AGENT_FIRST_RESPONSE_SECONDS' | 'SLA_EXPERT_FIRST_RESPONSE_SECONDS'
>;

export interface ConsoleQaOptions extends StaffRoutesOptions {
  config: QaConfig;
}

/** QA measures the handoff's SLA (per tier, docs/quality.md); the deprecated QA_FIRST_RESPONSE_SLA_SECONDS still replaces the agent target, with a warning. */
export function qaSlaOf(config: QaConfig, log: Logger): QaSla {
  const deprecated = config.QA_FIRST_RESPONSE_SLA_SECONDS;
  if (deprecated !== undefined)
    log.warn(
      { key: 'QA_FIRST_RESPONSE_SLA_SECONDS', use: 'SLA_AGENT_FIRST_RESPONSE_SECONDS' },
      'QA_FIRST_RESPONSE_SLA_SECONDS is deprecated: QA now uses SLA_AGENT_FIRST_RESPONSE_SECONDS, measured from the request; it still replaces the agent target for QA until removed',
    );
  return {
    agentFirstResponseMs: (deprecated ?? config.SLA_AGENT_FIRST_RESPONSE_SECONDS) * 1000,
    expertFirstResponseMs: config.SLA_EXPERT_FIRST_RESPONSE_SECONDS * 1000,
    replyMs: config.QA_REPLY_SLA_SECONDS * 1000,
  };
}

type Req = FastifyRequest<{ Params: { id?: string } }>;

const flagsQuery = z.object({
  status: z.enum(['open', 'confirmed', 'dismissed']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  after: z.string().max(200).optional(),
});
const rangeQuery = z.object({ from: z.string().max(10).optional(), to: z.string().max(10).optional() });

function badInput(reply: FastifyReply, error: z.ZodError) {
  const message = error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message } });
}

export async function consoleQaRoutes(app: FastifyInstance, opts: ConsoleQaOptions): Promise<void> {
  const { engine } = opts;
  const qa = createQaService({
    data: engine.data,
    handoff: opts.handoff,
    rules: loadQaRules(opts.config.QA_RULES_FILE),
    sla: qaSlaOf(opts.config, engine.log),
    sentimentOf: async (text, locale) => analyzeSentiment(await getTextPipeline(), text, locale),
    log: engine.log,
    now: engine.now,
  });
  opts.handoff.addAgentChannel(qa.channel);
  app.addHook('onClose', () => qa.idle());
  const log = createAuditLog({ data: engine.data, now: engine.now });
  const audit = (input: AuditInput) =>
    log.append(input).catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: input.action }, 'audit entry not written'));
  const route = staffRoutes<Req>(app, (await staffAccess(opts)).guard);

  route(
    'GET',
    '/console/api/qa/flags',
    async (_me, req, reply) => {
      const q = flagsQuery.safeParse(req.query);
      if (!q.success) return badInput(reply, q.error);
      return { ok: true, ...(await qa.flags(q.data)) };
    },
    'reports',
  );

  for (const [action, status] of [
    ['confirm', 'confirmed'],
    ['dismiss', 'dismissed'],
  ] as const) {
    route(
      'POST',
      `/console/api/qa/flags/:id/${action}`,
      async (me, req) => {
        const result = await qa.decide(req.params.id ?? '', status, me.id);
        await audit({ actor: me.id, action: `qa.${action}`, target: result.id, detail: { agent: result.agentId, flags: result.flags.map((f) => f.code).join(',') } });
        return { ok: true, result };
      },
      'reports',
    );
  }

  route(
    'POST',
    '/console/api/qa/flags/:id/rescore',
    async (me, req) => {
      const result = await qa.rescore(req.params.id ?? '');
      await audit({ actor: me.id, action: 'qa.rescore', target: result.id, detail: { score: result.score, status: result.status } });
      return { ok: true, result };
    },
    'reports',
  );

  route('GET', '/console/api/qa/agents', async (me, req, reply) => {
    const q = rangeQuery.safeParse(req.query);
    if (!q.success) return badInput(reply, q.error);
    const agents = await qa.agents(q.data);
    return { ok: true, agents: can(me.role, 'reports') ? agents : agents.filter((a) => a.agentId === me.id) };
  });

  route(
    'GET',
    '/console/api/qa/export.csv',
    async (me, req, reply) => {
      const q = rangeQuery.safeParse(req.query);
      if (!q.success) return badInput(reply, q.error);
      const csv = await qa.exportCsv(q.data);
      await audit({ actor: me.id, action: 'qa.export', target: `${q.data.from ?? ''}..${q.data.to ?? ''}`, detail: { rows: csv.split('\r\n').length - 2 } });
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="kefu-qa.csv"`).send(csv);
    },
    'reports',
  );
}
