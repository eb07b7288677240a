/**
 * What every staff route plugin (console, audit, analytics) shares: the staff accounts, the session
 * secret and revocations, and the CSRF policy; and the one place that turns them into a session
 * check. Older callers that pass only `logins` (agent id → password) get accounts made from them.
 */
import { randomBytes } from 'node:crypto';
import type { Engine } from '../../core';
import type { HandoffService } from '../../plugins/handoff';
import { createStaffStore, type StaffStore } from '../staff/store';
import type { FailureCounts } from '../failure-counts';
import type { TrustProxy } from '../trust-proxy';
import { type ConsoleAuth, createConsoleAuth, type RevokedTokens } from './console-auth';
import type { OriginPolicy } from './console-origin';
import { createStaffGuard, type StaffGuard } from './staff-route';

export interface StaffRoutesOptions {
  engine: Engine;
  handoff: HandoffService;
  /** The staff accounts (server/staff/wire.ts). */
  staff?: StaffStore;
  /** Without `staff`: agent id → password, made into accounts with each agent profile's role (tests, embedding). */
  logins?: ReadonlyMap<string, string>;
  /** HMAC secret for session tokens; give every staff plugin the same one. Random per process by default. */
  secret?: Buffer;
  /** Tokens revoked at logout, shared by the staff plugins. */
  revoked?: RevokedTokens;
  /** CONSOLE_ALLOWED_ORIGINS: origins besides the request's own whose pages may use the session cookie. */
  allowedOrigins?: readonly string[];
  /** TRUST_PROXY as given to Fastify; the console socket's upgrade (a raw request) follows it too. */
  trustProxy?: TrustProxy | false;
  /** Where login failures are counted (shared by every instance in multi-instance mode); default: this process. */
  failureCounts?: (name: string, forgetMs: number) => FailureCounts;
}

export interface StaffAccess {
  staff: StaffStore;
  auth: ConsoleAuth;
  guard: StaffGuard;
  origins: OriginPolicy;
}

const fromLogins = new WeakMap<object, Promise<StaffStore>>();
const fallbackSecrets = new WeakMap<object, Buffer>();

async function staffOf(opts: StaffRoutesOptions): Promise<StaffStore> {
  if (opts.staff) return opts.staff;
  const logins = opts.logins ?? new Map<string, string>();
  let made = fromLogins.get(logins);
  if (!made) {
    made = (async () => {
      const store = await createStaffStore({ data: opts.engine.data });
      const roles = new Map((await opts.handoff.agents()).map((a) => [a.id, a.role ?? 'agent'] as const));
      await store.seed([...logins].map(([id, password]) => ({ id, password, role: roles.get(id) ?? 'agent' })));
      return store;
    })();
    fromLogins.set(logins, made);
  }
  return made;
}

export async function staffAccess(opts: StaffRoutesOptions): Promise<StaffAccess> {
  const staff = await staffOf(opts);
  let secret = opts.secret ?? fallbackSecrets.get(staff);
  if (!secret) {
    secret = randomBytes(32);
    fallbackSecrets.set(staff, secret);
  }
  const auth = createConsoleAuth(staff, { secret, ...(opts.revoked ? { revoked: opts.revoked } : {}) });
  const origins: OriginPolicy = { allowed: opts.allowedOrigins ?? [] };
  return { staff, auth, guard: createStaffGuard(auth, origins), origins };
}
