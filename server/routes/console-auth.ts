/**
 * Agent console sessions: a login checks the password against the staff account's scrypt hash; the
 * session is an HMAC-signed token (`<agentId>.<expires>.<signature>`, no new dependency) carried in
 * an HttpOnly cookie or an `Authorization: Bearer` header. Every check reads the account, so a
 * disabled account or a reset password ends its sessions at once; the role comes from the account.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StaffMember } from '../staff/roles';
import type { StaffStore } from '../staff/store';

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

/** The accounts a session is checked against (the staff store, server/staff/store.ts). */
export type StaffDirectory = Pick<StaffStore, 'account' | 'check'>;

export interface ConsoleSession {
  member: StaffMember;
  /** How the token came: a cookie is sent by the browser on its own (so CSRF-able), a Bearer header is not. */
  via: 'cookie' | 'bearer';
}

export interface ConsoleAuth {
  /** A session token when the password is the account's and the account is enabled. */
  login(agentId: string, password: string): Promise<string | undefined>;
  /** Revokes a token: it is refused from now on, also by the other routes sharing `revoked`. */
  logout(token: string | undefined): void;
  /** The member a token stands for: signed, not expired nor revoked, its account enabled and not reset since. */
  verify(token: string | undefined): StaffMember | undefined;
  session(headers: TokenHeaders): ConsoleSession | undefined;
  fromHeaders(headers: TokenHeaders): StaffMember | undefined;
  /** The session cookie; `secure` when the request came over https (directly or through a trusted proxy). */
  cookie(token: string, secure: boolean): string;
  clearCookie(secure: boolean): string;
}

type TokenHeaders = { cookie?: string | string[]; authorization?: string | string[] };

export function createConsoleAuth(staff: StaffDirectory, opts: { secret?: Buffer; now?: () => number; revoked?: RevokedTokens } = {}): ConsoleAuth {
  const secret = opts.secret ?? randomBytes(32);
  const now = opts.now ?? Date.now;
  const revoked = opts.revoked ?? createRevokedTokens(now);
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  const attributes = (secure: boolean) => `Path=/console; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;

  const auth: ConsoleAuth = {
    async login(agentId, password) {
      if (!(await staff.check(agentId, password))) return undefined;
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
      if (!(Number(expires) > now()) || revoked.has(sig)) return undefined;
      const account = staff.account(agentId);
      if (!account || account.disabled || Number(expires) - SESSION_MS < account.sessionsFrom) return undefined;
      return { id: account.id, role: account.role };
    },
    logout(token) {
      if (!auth.verify(token)) return;
      const [, expires, sig] = (token as string).split('.') as [string, string, string];
      revoked.add(sig, Number(expires));
    },
    session(headers) {
      const found = tokenFromHeaders(headers);
      const member = auth.verify(found?.token);
      return member && found ? { member, via: found.via } : undefined;
    },
    fromHeaders: (headers) => auth.session(headers)?.member,
    cookie: (token, secure) => `${COOKIE_NAME}=${encodeURIComponent(token)}; ${attributes(secure)}; Max-Age=${SESSION_MS / 1000}`,
    clearCookie: (secure) => `${COOKIE_NAME}=; ${attributes(secure)}; Max-Age=0`,
  };
  return auth;
}

/** The session token a request carries and how: `Authorization: Bearer`, else the session cookie. */
export function tokenFromHeaders(headers: TokenHeaders): { token: string; via: 'cookie' | 'bearer' } | undefined {
  const authz = first(headers.authorization);
  if (authz?.startsWith('Bearer ')) return { token: authz.slice(7).trim(), via: 'bearer' };
  const cookie = first(headers.cookie) ?? '';
  const match = cookie
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${COOKIE_NAME}=`));
  const token = match ? safeDecode(match.slice(COOKIE_NAME.length + 1)) : undefined;
  return token ? { token, via: 'cookie' } : undefined;
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
