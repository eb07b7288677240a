/**
 * The console's search, customer profile and list previews:
 * `GET /console/api/search?q=…&after=&limit=` conversations and tickets by customer name, email or
 * id, ticket id, topic or transcript text (bounded: see console-find.ts);
 * `GET /console/api/conversations/:key/history?after=&limit=` the customer's past conversations and
 * tickets (same conversation, or the same verified user id);
 * `GET /console/api/previews?keys=a,b` the last message of each conversation in the side lists.
 * Pages carry `next` (pass it as `after`) when more follow.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { customerIdOf, type Engine } from '../../core';
import type { HandoffService } from '../../plugins/handoff';
import { can } from '../staff/roles';
import { createAccess, mayReadRecord } from './console-access';
import { pastConversations, SEARCH_WINDOW, search } from './console-find';
import { type StaffGuard, staffRoutes } from './staff-route';

type Req = FastifyRequest<{ Params: { key?: string }; Querystring: Record<string, string | undefined> }>;

const offsetPage = z.object({ after: z.coerce.number().int().min(0).max(10_000).optional(), limit: z.coerce.number().int().min(1).max(100).optional() });
const searchQuery = offsetPage.extend({ q: z.string().trim().min(2).max(100) });
const previewQuery = z.object({ keys: z.string().max(20_000) });
/** Side lists show at most this many conversations at once. */
const MAX_PREVIEWS = 100;
const PREVIEW_CHARS = 140;

function bad(reply: FastifyReply, issues: z.ZodIssue[]) {
  const message = issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  return reply.code(400).send({ error: { code: 'KEFU_ERR_HANDOFF_INPUT_INVALID', message } });
}

function pageOf<T>(all: T[], after = 0, limit = 20) {
  const items = all.slice(after, after + limit);
  return { ok: true, items, ...(after + limit < all.length ? { next: String(after + limit) } : {}) };
}

export async function consoleSearchRoutes(app: FastifyInstance, opts: { engine: Engine; handoff: HandoffService; guard: StaffGuard }): Promise<void> {
  const { engine, handoff } = opts;
  const route = staffRoutes<Req>(app, opts.guard);
  const access = createAccess(handoff);

  route('GET', '/console/api/search', async (me, req, reply) => {
    const q = searchQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues);
    return { ...pageOf(await search(handoff, me, q.data.q), q.data.after, q.data.limit), window: SEARCH_WINDOW };
  });

  route('GET', '/console/api/conversations/:key/history', async (me, req, reply) => {
    const q = offsetPage.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues);
    const key = req.params.key ?? '';
    const record = await access.conversation(me, key);
    if (!record) return reply.code(404).send({ error: { code: 'KEFU_ERR_HANDOFF_NOT_FOUND', message: `No handoff for conversation "${key}".` } });
    // Admins may erase the customer in one step (docs/privacy.md): the profile's button takes this id.
    const erase = can(me.role, 'erase') ? { eraseCustomer: customerIdOf(record.ref) } : {};
    return { ...pageOf(await pastConversations(handoff, record), q.data.after, q.data.limit), customer: record.customer, window: SEARCH_WINDOW, ...erase };
  });

  route('GET', '/console/api/previews', async (me, req, reply) => {
    const q = previewQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error.issues);
    const keys = [...new Set(q.data.keys.split(',').filter(Boolean))].slice(0, MAX_PREVIEWS);
    const previews: Record<string, { from: string; text: string; at: number; seq: number }> = {};
    await Promise.all(
      keys.map(async (key) => {
        const record = await handoff.get(key);
        if (!record || !mayReadRecord(me, record)) return;
        const [last] = await engine.data.messages.before(key, undefined, 1, 'staff');
        if (last) previews[key] = { from: last.from, text: last.text.slice(0, PREVIEW_CHARS), at: last.at, seq: last.seq };
      }),
    );
    return { ok: true, previews };
  });
}
