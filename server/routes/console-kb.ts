/**
 * The knowledge base in the console, for supervisors and admins (docs/knowledge-base.md):
 * `GET /console/api/kb?locale=en` lists the entries and the training status,
 * `GET /console/api/kb/status` the training status alone,
 * `GET /console/api/kb/:locale/:intent/versions` every saved version (who, when, what),
 * `POST /console/api/kb/:locale` creates an entry, `POST /console/api/kb/:locale/:intent` saves a
 * new version of one, `POST /console/api/kb/:locale/:intent/delete` deletes it. Each change is
 * written to the audit log and retrains the classifier in the background (the knowledge base's
 * middleware is on the engine already: server/wire-plugins.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { asCodedError, KefuError, LOCALES, type Locale } from '../../core';
import { type AuditInput, createAuditLog } from '../../plugins/audit';
import type { KbChange } from '../kb/knowledge-base';
import type { KbBus, KnowledgeService } from '../kb/wire';
import type { StaffMember } from '../staff/roles';
import { type StaffRoutesOptions, staffAccess } from './console-options';
import { forbidden, staffRoutes } from './staff-route';

export interface ConsoleKbOptions extends StaffRoutesOptions {
  knowledge: KnowledgeService;
  /** The cluster bus (multi-instance mode): edits here make the other instances reload. */
  bus?: KbBus;
}

type Req = FastifyRequest<{ Params: { locale?: string; intent?: string }; Querystring: { locale?: string } }>;

const KB_EDITORS: ReadonlySet<string> = new Set(['supervisor', 'admin']);
const editBody = z.object({ entry: z.unknown(), baseVersion: z.number().int().min(0).optional() }).strict();
const deleteBody = z.object({ baseVersion: z.number().int().min(0).optional() }).strict();

function mayEdit(me: StaffMember): void {
  if (!KB_EDITORS.has(me.role)) throw forbidden(`The ${me.role} role cannot edit the knowledge base; ask a supervisor or an admin (docs/roles.md).`);
}

function localeOf(value: string | undefined): Locale {
  const locale = LOCALES.find((l) => l === (value ?? 'en'));
  if (!locale) throw new KefuError('KEFU_ERR_KB_INVALID', `Knowledge base language "${value}" is unknown; use one of ${LOCALES.join(', ')}.`);
  return locale;
}

function bodyOf<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success)
    throw new KefuError('KEFU_ERR_KB_INVALID', `Knowledge base request is invalid: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}.`);
  return r.data;
}

function changeOf(me: StaffMember, locale: Locale, baseVersion: number | undefined): KbChange {
  return { locale, by: me.id, ...(baseVersion !== undefined ? { baseVersion } : {}) };
}

export async function consoleKbRoutes(app: FastifyInstance, opts: ConsoleKbOptions): Promise<void> {
  const { engine, knowledge } = opts;
  const { kb } = knowledge;
  const { guard } = await staffAccess(opts);
  const route = staffRoutes<Req>(app, guard);
  const log = createAuditLog({ data: engine.data, now: engine.now });
  const audit = (input: AuditInput) =>
    log.append(input).catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: input.action }, 'audit entry not written'));
  const changed = async (input: AuditInput) => {
    await audit(input);
    knowledge.changed();
  };

  route('GET', '/console/api/kb', async (me, req) => {
    mayEdit(me);
    const locale = localeOf(req.query.locale);
    return { ok: true, locale, entries: kb.list(locale), training: knowledge.status() };
  });

  route('GET', '/console/api/kb/status', async (me) => {
    mayEdit(me);
    return { ok: true, training: knowledge.status() };
  });

  route('GET', '/console/api/kb/:locale/:intent/versions', async (me, req) => {
    mayEdit(me);
    const locale = localeOf(req.params.locale);
    const intent = req.params.intent ?? '';
    const versions = await kb.history(locale, intent);
    if (!versions.length) throw new KefuError('KEFU_ERR_KB_NOT_FOUND', `The ${locale} knowledge base has never had an entry "${intent}".`);
    return { ok: true, versions };
  });

  route('POST', '/console/api/kb/:locale', async (me, req) => {
    mayEdit(me);
    const locale = localeOf(req.params.locale);
    const body = bodyOf(editBody, req.body);
    const entry = await kb.create(body.entry, changeOf(me, locale, undefined));
    await changed({ actor: me.id, action: 'kb.create', target: `${locale}/${entry.intent}`, detail: { version: entry.version } });
    return { ok: true, entry, training: knowledge.status() };
  });

  route('POST', '/console/api/kb/:locale/:intent', async (me, req) => {
    mayEdit(me);
    const locale = localeOf(req.params.locale);
    const intent = req.params.intent ?? '';
    const body = bodyOf(editBody, req.body);
    const entry = await kb.update(intent, body.entry, changeOf(me, locale, body.baseVersion));
    await changed({ actor: me.id, action: 'kb.update', target: `${locale}/${intent}`, detail: { version: entry.version } });
    return { ok: true, entry, training: knowledge.status() };
  });

  route('POST', '/console/api/kb/:locale/:intent/delete', async (me, req) => {
    mayEdit(me);
    const locale = localeOf(req.params.locale);
    const intent = req.params.intent ?? '';
    const saved = await kb.remove(intent, changeOf(me, locale, bodyOf(deleteBody, req.body).baseVersion));
    await changed({ actor: me.id, action: 'kb.delete', target: `${locale}/${intent}`, detail: { version: saved.version } });
    return { ok: true, version: saved.version, training: knowledge.status() };
  });
}
