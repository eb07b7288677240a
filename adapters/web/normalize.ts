/** Web chat request body → InboundMessage. Pure; zod-validated; every problem named. */
import { z } from 'zod';
import { type InboundMessage, KefuError, MAX_TEXT_LENGTH } from '../../core';

export const webMessageSchema = z
  .object({
    conversationId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be 1-128 characters of A-Z, a-z, 0-9, _ and -' }),
    text: z.string().max(MAX_TEXT_LENGTH).default(''),
    /** A quick-reply payload the customer pressed. */
    payload: z.string().min(1).max(256).optional(),
    /** Client-generated id; a retried POST with the same id is answered once. */
    messageId: z.string().min(1).max(128).optional(),
    userId: z.string().min(1).max(128).optional(),
    locale: z.enum(['en', 'zh']).optional(),
  })
  .strict();

export type WebMessageBody = z.input<typeof webMessageSchema>;

export function normalizeWebMessage(body: unknown): InboundMessage {
  if (body && typeof body === 'object' && typeof (body as { text?: unknown }).text === 'string') {
    const n = (body as { text: string }).text.length;
    if (n > MAX_TEXT_LENGTH) throw new KefuError('KEFU_ERR_MESSAGE_TOO_LARGE', `text is ${n} characters; the limit is ${MAX_TEXT_LENGTH}.`);
  }
  const parsed = webMessageSchema.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new KefuError('KEFU_ERR_HTTP_BODY_INVALID', `Request body is invalid: ${details.join('; ')}. Send JSON {"conversationId": string, "text": string}.`, { details });
  }
  const b = parsed.data;
  if (!b.text.trim() && !b.payload) {
    throw new KefuError('KEFU_ERR_HTTP_BODY_INVALID', 'text is empty; send the customer\'s words in "text" (or a quick-reply "payload").', {
      details: ['text: must not be empty'],
    });
  }
  return {
    channel: 'web',
    conversationId: b.conversationId,
    userId: b.userId ?? b.conversationId,
    text: b.text,
    kind: b.payload ? 'postback' : 'text',
    ...(b.payload ? { payload: b.payload } : {}),
    ...(b.messageId ? { platformMessageId: b.messageId } : {}),
    ...(b.locale ? { locale: b.locale } : {}),
  };
}
