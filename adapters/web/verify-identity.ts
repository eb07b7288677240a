/**
 * Verified customer identity for the web chat (as Intercom's identity verification): the shop's
 * backend signs who the customer is, the page passes it on, kefu checks the signature. Pure, with
 * an injectable clock.
 *
 * Wire format (documented in docs/security.md):
 * - `identity` = base64url(UTF-8 JSON `{"userId": "42", "name": "Ann Lee", "email": "ann@example.com", "exp": 1767225600}`);
 *   `userId` and `exp` (Unix seconds) are required, `name` and `email` optional;
 * - `identitySignature` = hex(HMAC-SHA256(WEB_IDENTITY_SECRET, identity)), computed over the
 *   base64url string exactly as sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export interface VerifiedIdentity {
  userId: string;
  name?: string;
  email?: string;
}

export type IdentityCheck = { ok: true; identity: VerifiedIdentity } | { ok: false; problem: 'malformed' | 'signature' | 'expired' };

const payloadSchema = z.object({
  userId: z.string().min(1).max(128),
  name: z.string().min(1).max(256).optional(),
  email: z
    .string()
    .min(3)
    .max(256)
    .regex(/^[^\s@]+@[^\s@]+$/)
    .optional(),
  /** Expiry, Unix seconds. */
  exp: z.number().int().positive(),
});

const BASE64URL = /^[A-Za-z0-9_-]{1,4096}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** The signature the shop's backend computes: hex HMAC-SHA256 of the identity string. */
export function signIdentity(identity: string, secret: string): string {
  return createHmac('sha256', secret).update(identity, 'utf8').digest('hex');
}

/** Encodes and signs an identity, as the shop's backend does (used by tests and the docs' example). */
export function createSignedIdentity(who: VerifiedIdentity & { exp: number }, secret: string): { identity: string; signature: string } {
  const identity = Buffer.from(JSON.stringify(who), 'utf8').toString('base64url');
  return { identity, signature: signIdentity(identity, secret) };
}

function signatureMatches(identity: string, signature: string, secret: string): boolean {
  if (!HEX_SHA256.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signIdentity(identity, secret), 'hex'), Buffer.from(signature, 'hex'));
}

function decodePayload(identity: string): z.infer<typeof payloadSchema> | undefined {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(identity, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a signed identity: the signature first (nothing unsigned is even parsed), then shape and expiry. */
export function verifyIdentity(identity: string, signature: string, secret: string, nowMs: number): IdentityCheck {
  if (!BASE64URL.test(identity)) return { ok: false, problem: 'malformed' };
  if (!signatureMatches(identity, signature, secret)) return { ok: false, problem: 'signature' };
  const p = decodePayload(identity);
  if (!p) return { ok: false, problem: 'malformed' };
  if (p.exp * 1000 <= nowMs) return { ok: false, problem: 'expired' };
  return { ok: true, identity: { userId: p.userId, ...(p.name ? { name: p.name } : {}), ...(p.email ? { email: p.email } : {}) } };
}
