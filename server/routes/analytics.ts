/**
 * Analytics (supervisors and admins) and the unrecognised-messages inbox (all staff) over HTTP:
 *   GET  /api/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD[&channel=&locale=]   (Bearer token)
 *   GET  /console/api/analytics?…                                          (the console's cookie)
 *   GET  /console/api/inbox[?status=&locale=]
 *   POST /console/api/inbox/:id/label {intent, newIntent?}   and   POST /console/api/inbox/:id/dismiss
 * A label must be an intent the bot knows (`intents`: the classifier's, plus the guesses and labels
 * already in the inbox) unless `newIntent: true` creates one on purpose (KEFU_ERR_INBOX_LABEL_UNKNOWN).
 * The analytics plugin itself is registered with kefu's others (server/wire-plugins.ts); labels
 * and dismissals are written to the audit log.
 * @example
 * await http.register(analyticsRoutes, { engine, handoff, logins, secret, analytics }); // the console's secret
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES, LOCALES, type Locale } from '../../core';
import type { AnalyticsService } from '../../plugins/analytics';
import type { Inbox } from '../../plugins/analytics/inbox';
import { createAuditLog } from '../../plugins/audit';
import type { StaffMember } from '../staff/roles';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { staffRoutes } from './staff-route';

export interface AnalyticsRoutesOptions extends StaffRoutesOptions {
  /** The analytics plugin's service (registered on the engine by server/wire-plugins.ts). */
  analytics: AnalyticsService;
  /** The intents the bot knows per language (the engine's classifier: corpora, kit and knowledge base). */
  intents?: (locale: Locale) => readonly string[];
}

const reportQuery = z.object({
  from: z.string().max(10).default(''),
  to: z.string().max(10).default(''),
  channel: z.string().min(1).max(32).optional(),
  locale: z.enum(LOCALES).optional(),
});
const inboxQuery = z.object({ status: z.enum(['open', 'labelled', 'dismissed', 'exported']).optional(), locale: z.enum(LOCALES).optional() });
const labelBody = z.object({ intent: z.string().max(64), newIntent: z.boolean().optional() });

type Req = FastifyRequest<{ Params: { id?: string } }>;

function badInput(reply: FastifyReply, error: z.ZodError) {
  const message = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message } });
}

export async function analyticsRoutes(app: FastifyInstance, opts: AnalyticsRoutesOptions): Promise<void> {
  const { engine, analytics: service } = opts;
  const audit = createAuditLog({ data: engine.data, now: engine.now });
  const route = staffRoutes<Req>(app, (await staffAccess(opts)).guard);
  const knownIntents = (locale: Locale) => intentsOf(service.inbox, locale, opts.intents);

  const report = async (_me: StaffMember, req: Req, reply: FastifyReply) => {
    const q = reportQuery.safeParse(req.query);
    if (!q.success) return badInput(reply, q.error);
    const { channel, locale, from, to } = q.data;
    return { ok: true, report: await service.report({ from, to, ...(channel ? { channel } : {}), ...(locale ? { locale } : {}) }) };
  };
  route('GET', '/api/analytics', report, 'reports');
  route('GET', '/console/api/analytics', report, 'reports');

  route('GET', '/console/api/inbox', async (_me, req, reply) => {
    const q = inboxQuery.safeParse(req.query);
    if (!q.success) return badInput(reply, q.error);
    const entries = await service.inbox.list(q.data);
    const byLocale = Object.fromEntries(await Promise.all(LOCALES.map(async (l) => [l, await knownIntents(l)] as const)));
    const intents = [...new Set(Object.values(byLocale).flat())].sort();
    return { ok: true, entries, intents, intentsByLocale: byLocale };
  });
  route('POST', '/console/api/inbox/:id/label', async ({ id: agentId }, req, reply) => {
    const body = labelBody.safeParse(req.body ?? {});
    if (!body.success) return badInput(reply, body.error);
    const id = req.params.id ?? '';
    const { intent, newIntent } = body.data;
    const known = new Map(await Promise.all(LOCALES.map(async (l) => [l, await knownIntents(l)] as const)));
    const result = await service.inbox.label(id, intent, agentId, { known: (l) => known.get(l) ?? [], ...(newIntent ? { newIntent } : {}) });
    if (!result.ok) return reply.code(ERROR_CODES[result.code].httpStatus).send({ error: { code: result.code, message: result.message } });
    await audit.append({ actor: agentId, action: 'inbox.label', target: id, detail: { intent, locale: result.entry.locale, ...(newIntent ? { newIntent } : {}) } });
    return result;
  });
  route('POST', '/console/api/inbox/:id/dismiss', async ({ id: agentId }, req, reply) => {
    const id = req.params.id ?? '';
    const result = await service.inbox.dismiss(id, agentId);
    if (!result.ok) return reply.code(ERROR_CODES[result.code].httpStatus).send({ error: { code: result.code, message: result.message } });
    await audit.append({ actor: agentId, action: 'inbox.dismiss', target: id, detail: { locale: result.entry.locale } });
    return result;
  });
}

/** The labels the console offers for `locale`: the classifier's intents, its guesses kept in the inbox, and intents entries were labelled with. */
async function intentsOf(inbox: Inbox, locale: Locale, classifier?: (locale: Locale) => readonly string[]): Promise<string[]> {
  const guesses = (await inbox.list({ locale })).flatMap((e) => e.candidates.map((c) => c.intent));
  return [...new Set([...(classifier?.(locale) ?? []), ...guesses, ...(await inbox.labelIntents(locale))])].sort();
}
