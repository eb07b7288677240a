/**
 * Agent console sessions: a login checks the agent's password; the session is an HMAC-signed token
 * (`<agentId>.<expires>.<signature>`, no new dependency) carried in an HttpOnly cookie or an
 * `Authorization: Bearer` header.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const COOKIE_NAME = 'kefu_console';
const SESSION_MS = 12 * 60 * 60 * 1000;

/** Tokens given up at logout, until they would have expired anyway (shared by every route that checks tokens). */
export interface RevokedTokens {
  add(signature: string, expiresAt: number): void;
  has(signature: string): boolean;
}

export function createRevokedTokens(now: () => number = Date.now): RevokedTokens {
  const revoked = new Map<string, number>();
  return {
    add(signature, expiresAt) {
      for (const [sig, until] of revoked) if (until <= now()) revoked.delete(sig);
      revoked.set(signature, expiresAt);
    },
    has: (signature) => (revoked.get(signature) ?? 0) > now(),
  };
}

export interface ConsoleAuth {
  login(agentId: string, password: string): string | undefined;
  /** Revokes a token: it is refused from now on, also by the other routes sharing `revoked`. */
  logout(token: string | undefined): void;
  verify(token: string | undefined): string | undefined;
  fromHeaders(headers: { cookie?: string | string[]; authorization?: string | string[] }): string | undefined;
  cookie(token: string): string;
  clearCookie(): string;
}

export function createConsoleAuth(logins: ReadonlyMap<string, string>, opts: { secret?: Buffer; now?: () => number; revoked?: RevokedTokens } = {}): ConsoleAuth {
  const secret = opts.secret ?? randomBytes(32);
  const now = opts.now ?? Date.now;
  const revoked = opts.revoked ?? createRevokedTokens(now);
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  const digest = (s: string) => createHash('sha256').update(s).digest();

  const auth: ConsoleAuth = {
    login(agentId, password) {
      const expected = logins.get(agentId);
      // Compare digests so the time taken says nothing about the password.
      if (expected === undefined || !timingSafeEqual(digest(expected), digest(password))) return undefined;
      const payload = `${agentId}.${now() + SESSION_MS}`;
      return `${payload}.${sign(payload)}`;
    },
    verify(token) {
      if (!token) return undefined;
      const parts = token.split('.');
      if (parts.length !== 3) return undefined;
      const [agentId, expires, sig] = parts as [string, string, string];
      const good = Buffer.from(sign(`${agentId}.${expires}`));
      const given = Buffer.from(sig);
      if (good.length !== given.length || !timingSafeEqual(good, given)) return undefined;
      if (!(Number(expires) > now()) || !logins.has(agentId) || revoked.has(sig)) return undefined;
      return agentId;
    },
    logout(token) {
      if (!auth.verify(token)) return;
      const [, expires, sig] = (token as string).split('.') as [string, string, string];
      revoked.add(sig, Number(expires));
    },
    fromHeaders(headers) {
      return auth.verify(tokenFromHeaders(headers));
    },
    cookie: (token) => `${COOKIE_NAME}=${encodeURIComponent(token)}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}`,
    clearCookie: () => `${COOKIE_NAME}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0`,
  };
  return auth;
}

/** The session token a request carries: `Authorization: Bearer`, else the session cookie. */
export function tokenFromHeaders(headers: { cookie?: string | string[]; authorization?: string | string[] }): string | undefined {
  const authz = first(headers.authorization);
  if (authz?.startsWith('Bearer ')) return authz.slice(7).trim();
  const cookie = first(headers.cookie) ?? '';
  const match = cookie
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE_NAME}=`));
  return match ? safeDecode(match.slice(COOKIE_NAME.length + 1)) : undefined;
}

/** A cookie value as sent; a malformed escape (`%`, `%zz`) is no token rather than an exception. */
function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
