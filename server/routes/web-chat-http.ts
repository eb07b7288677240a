/** What the web chat routes share: the conversation id's shape and their coded error answers. */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function notYours(reply: FastifyReply) {
  return reply.code(401).send({
    error: {
      code: 'KEFU_ERR_WEB_AUTH',
      message: 'This conversation needs its token (Authorization: Bearer, from the first answer); the event stream needs a ticket from POST /api/web/events/ticket.',
    },
  });
}

export function badQuery(reply: FastifyReply, issues: readonly z.core.$ZodIssue[]) {
  const details = issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
  return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: `Bad query: ${details.join('; ')}.`, details } });
}

/** The conversation id of a JSON body or a query, when it is one (a repeated query parameter is not). */
export function conversationIdIn(source: unknown): string | undefined {
  const id = (source as { conversationId?: unknown } | null)?.conversationId;
  return typeof id === 'string' && CONVERSATION_ID.test(id) ? id : undefined;
}

export function missingConversationId(reply: FastifyReply) {
  return badQuery(reply, [{ path: ['conversationId'], message: 'is required: 1-128 of A-Z a-z 0-9 _ -' } as z.core.$ZodIssue]);
}
