/** Web chat request body → InboundMessage. Pure; zod-validated; every problem named. */
import { z } from 'zod';
import { type InboundMessage, KefuError, MAX_TEXT_LENGTH } from '../../core';
import { type IdentityCheck, verifyIdentity } from './verify-identity';

export const webMessageSchema = z
  .object({
    conversationId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'must be 1-128 characters of A-Z, a-z, 0-9, _ and -' }),
    text: z.string().max(MAX_TEXT_LENGTH).default(''),
    /** A quick-reply payload the customer pressed. */
    payload: z.string().min(1).max(256).optional(),
    /** Client-generated id; a retried POST with the same id is answered once. */
    messageId: z.string().min(1).max(128).optional(),
    /** Accepted for older pages and ignored: who the customer is comes only from a signed `identity`. */
    userId: z.string().min(1).max(128).optional(),
    /** The shop backend's signed identity (base64url JSON); see docs/security.md. */
    identity: z.string().min(1).max(4096).optional(),
    /** hex HMAC-SHA256 of `identity` with WEB_IDENTITY_SECRET. */
    identitySignature: z.string().min(1).max(128).optional(),
    locale: z.enum(['en', 'zh']).optional(),
  })
  .strict();

export type WebMessageBody = z.input<typeof webMessageSchema>;

export interface WebIdentityOptions {
  /** WEB_IDENTITY_SECRET; without it no identity can be verified and every customer is a visitor. */
  identitySecret?: string;
  now?: () => number;
}

const IDENTITY_PROBLEMS: Record<Exclude<IdentityCheck, { ok: true }>['problem'], string> = {
  malformed: 'identity is not a base64url JSON object {userId, name?, email?, exp}',
  signature: 'identitySignature does not match identity (hex HMAC-SHA256 of the identity string with WEB_IDENTITY_SECRET)',
  expired: 'identity has expired (its exp is in the past); give the page a freshly signed one',
};

/** Who the customer is: the verified identity, or a visitor known only by the conversation. */
function customerOf(b: z.output<typeof webMessageSchema>, opts: WebIdentityOptions): Pick<InboundMessage, 'userId' | 'profile'> {
  if (!opts.identitySecret || !b.identity) return { userId: b.conversationId, profile: { visitor: true } };
  const check = verifyIdentity(b.identity, b.identitySignature ?? '', opts.identitySecret, (opts.now ?? Date.now)());
  if (!check.ok) {
    throw new KefuError('KEFU_ERR_WEB_IDENTITY', `The customer identity was refused: ${IDENTITY_PROBLEMS[check.problem]}. See docs/security.md, "Verified customer identity".`);
  }
  const { userId, name, email } = check.identity;
  return { userId, profile: { ...(name ? { name } : {}), ...(email ? { email } : {}) } };
}

function parseBody(body: unknown): z.output<typeof webMessageSchema> {
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
  return b;
}

export function normalizeWebMessage(body: unknown, opts: WebIdentityOptions = {}): InboundMessage {
  const b = parseBody(body);
  return {
    channel: 'web',
    conversationId: b.conversationId,
    ...customerOf(b, opts),
    text: b.text,
    kind: b.payload ? 'postback' : 'text',
    ...(b.payload ? { payload: b.payload } : {}),
    ...(b.messageId ? { platformMessageId: b.messageId } : {}),
    ...(b.locale ? { locale: b.locale } : {}),
  };
}
