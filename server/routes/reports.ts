/**
 * CSV exports for supervisors and admins (the `reports` permission):
 *   GET /console/api/reports/conversations.csv?from=YYYY-MM-DD&to=YYYY-MM-DD
 *   GET /console/api/reports/tickets.csv?…   and   GET /console/api/reports/analytics.csv?…
 * Days are the analytics days (UTC). No message text is exported (server/reports/build.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { REPORT_KINDS, type ReportKind, reportCsv } from '../reports/build';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';

const rangeQuery = z.object({ from: z.string().max(10), to: z.string().max(10) });

type Req = FastifyRequest<{ Params: { kind?: string } }>;

export async function reportRoutes(app: FastifyInstance, opts: StaffRoutesOptions): Promise<void> {
  const { engine, handoff } = opts;
  const route = staffRoutes<Req>(app, (await staffAccess(opts)).guard);
  route(
    'GET',
    '/console/api/reports/:kind',
    async (_me, req, reply) => {
      const kind = /^(\w+)\.csv$/.exec(req.params.kind ?? '')?.[1] as ReportKind | undefined;
      if (!kind || !REPORT_KINDS.includes(kind)) {
        return reply
          .code(404)
          .send({ error: { code: 'KEFU_ERR_HTTP_NOT_FOUND', message: `No report "${req.params.kind}"; there are ${REPORT_KINDS.map((k) => `${k}.csv`).join(', ')}.` } });
      }
      const q = rangeQuery.safeParse(req.query);
      if (!q.success) return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: 'Give the range as from=YYYY-MM-DD&to=YYYY-MM-DD.' } });
      const csv = await reportCsv({ data: engine.data, handoff }, kind, q.data);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="kefu-${kind}-${q.data.from}-${q.data.to}.csv"`).send(csv);
    },
    'reports',
  );
}
