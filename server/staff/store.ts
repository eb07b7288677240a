/**
 * Staff accounts (console logins and roles), kept as one versioned document in `data.meta` so they
 * work on every backend and survive restarts; every change is a compare-and-set on that document,
 * so two instances never lose each other's changes. Only scrypt hashes are kept, in memory and in
 * the store. `refresh()` reloads the document (another instance changed it).
 * @example
 * const staff = await createStaffStore({ data: engine.data, agents: handoff });
 * await staff.seed([{ id: 'anna', role: 'admin', password: 'a-long-secret' }]);
 * const who = await staff.check('anna', 'a-long-secret'); // { id: 'anna', role: 'admin' }
 */
import { z } from 'zod';
import { KefuError, type Repositories } from '../../core';
import { type AgentProfile, STAFF_ROLES, type StaffRole } from '../../plugins/handoff';
import { decoyHash, hashPassword, MIN_PASSWORD, verifyPassword } from './password';
import type { StaffMember } from './roles';

export const STAFF_META = 'staff-accounts';
const MAX_ATTEMPTS = 10;

const accountSchema = z.object({
  id: z.string().min(1).max(64),
  role: z.enum(STAFF_ROLES),
  hash: z.string().min(1),
  disabled: z.boolean(),
  /** Sessions issued before this instant (ms) are refused: set by a disable or a password reset. */
  sessionsFrom: z.number(),
  /** Where the account came from: CONSOLE_AGENTS/the demo team, or an admin in the console. */
  source: z.enum(['config', 'console']),
  /** The agent profile of an account created in the console (config accounts have theirs in AGENTS_FILE). */
  profile: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
const docSchema = z.object({ schema: z.literal(1), accounts: z.array(accountSchema) });

export type StaffAccount = z.infer<typeof accountSchema>;
type StaffDoc = z.infer<typeof docSchema>;

/** An account as the console shows it: no hash. */
export type StaffAccountView = Omit<StaffAccount, 'hash' | 'profile'> & { name?: string };

export interface StaffSeed {
  id: string;
  role: StaffRole;
  password: string;
}

/** Where console-created agents go so they can be routed to (the handoff service). */
export interface AgentSink {
  addAgent(profile: AgentProfile): Promise<unknown>;
}

export interface StaffStore {
  /** The account as last loaded (sync: used on every request). */
  account(id: string): Readonly<StaffAccount> | undefined;
  /** The member when `password` is theirs and the account is enabled. Takes the same time for unknown ids. */
  check(id: string, password: string): Promise<StaffMember | undefined>;
  list(): StaffAccountView[];
  /** CONSOLE_AGENTS/demo logins at start-up: creates missing accounts, updates changed passwords and roles; resolves to how many changed. */
  seed(seeds: readonly StaffSeed[]): Promise<{ created: number; updated: number }>;
  create(input: { profile: AgentProfile; role: StaffRole; password: string }): Promise<StaffAccountView>;
  setDisabled(id: string, disabled: boolean): Promise<StaffAccountView>;
  resetPassword(id: string, password: string): Promise<StaffAccountView>;
  /** Reloads the accounts from the store (after another instance changed them) and adds new console-created agents to the sink. */
  refresh(): Promise<void>;
}

export interface StaffStoreOptions {
  data: Repositories;
  now?: () => number;
  agents?: AgentSink;
  /** Called after each stored change (multi-instance mode tells the other instances to `refresh()`). */
  onChange?: () => void;
}

export function staffInputError(message: string): KefuError {
  return new KefuError('KEFU_ERR_STAFF_INPUT_INVALID', message);
}

export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw staffInputError(`The password must have at least ${MIN_PASSWORD} characters.`);
}

export async function createStaffStore(opts: StaffStoreOptions): Promise<StaffStore> {
  const { data } = opts;
  const now = opts.now ?? Date.now;
  let accounts = new Map<string, StaffAccount>();

  const view = ({ hash: _hash, profile, ...rest }: StaffAccount): StaffAccountView => ({ ...rest, ...(typeof profile?.name === 'string' ? { name: profile.name } : {}) });

  async function read(): Promise<{ doc: StaffDoc; version: number }> {
    const stored = await data.meta.get<unknown>(STAFF_META);
    if (!stored) return { doc: { schema: 1, accounts: [] }, version: 0 };
    const parsed = docSchema.safeParse(stored.value);
    if (!parsed.success) throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `The stored staff accounts ("${STAFF_META}") do not match their schema; restore them from a backup.`);
    return { doc: parsed.data, version: stored.version };
  }

  async function use(doc: StaffDoc): Promise<void> {
    accounts = new Map(doc.accounts.map((a) => [a.id, a]));
    for (const a of doc.accounts) if (a.source === 'console' && a.profile) await opts.agents?.addAgent(a.profile as unknown as AgentProfile);
  }

  /** Read, change, compare-and-set; retried on a concurrent change. `apply` is synchronous (hash first). */
  async function change<T>(apply: (doc: StaffDoc) => T): Promise<T> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { doc, version } = await read();
      const result = apply(doc);
      if ((await data.meta.put(STAFF_META, doc, version)) === 'ok') {
        await use(doc);
        opts.onChange?.();
        return result;
      }
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', 'The staff accounts kept changing elsewhere; retry.');
  }

  const existing = (doc: StaffDoc, id: string): StaffAccount => {
    const a = doc.accounts.find((x) => x.id === id);
    if (!a) throw new KefuError('KEFU_ERR_STAFF_NOT_FOUND', `No staff account "${id}".`);
    return a;
  };

  const store: StaffStore = {
    account: (id) => accounts.get(id),
    async check(id, password) {
      const a = accounts.get(id);
      const ok = await verifyPassword(password, a?.hash ?? (await decoyHash()));
      return a && ok && !a.disabled ? { id: a.id, role: a.role } : undefined;
    },
    list: () => [...accounts.values()].map(view).sort((x, y) => (x.id < y.id ? -1 : 1)),

    async seed(seeds) {
      // Hash outside the document change (scrypt is slow on purpose); reuse a hash the password still matches.
      const prepared = await Promise.all(
        seeds.map(async (s) => {
          const a = accounts.get(s.id);
          const same = a ? await verifyPassword(s.password, a.hash) : false;
          return { ...s, hash: same && a ? a.hash : await hashPassword(s.password), changedPassword: !same };
        }),
      );
      return change((doc) => {
        let created = 0;
        let updated = 0;
        const at = now();
        for (const s of prepared) {
          const a = doc.accounts.find((x) => x.id === s.id);
          if (!a) {
            doc.accounts.push({ id: s.id, role: s.role, hash: s.hash, disabled: false, sessionsFrom: 0, source: 'config', createdAt: at, updatedAt: at });
            created += 1;
          } else if (a.role !== s.role || a.hash !== s.hash) {
            Object.assign(a, { role: s.role, hash: s.hash, updatedAt: at });
            if (s.changedPassword) a.sessionsFrom = at;
            updated += 1;
          }
        }
        return { created, updated };
      });
    },

    async create({ profile, role, password }) {
      checkNewPassword(password);
      const hash = await hashPassword(password);
      const account = await change((doc) => {
        if (doc.accounts.some((a) => a.id === profile.id)) throw staffInputError(`A staff account "${profile.id}" exists already; pick another id.`);
        const at = now();
        const a: StaffAccount = { id: profile.id, role, hash, disabled: false, sessionsFrom: 0, source: 'console', profile: { ...profile, role }, createdAt: at, updatedAt: at };
        doc.accounts.push(a);
        return a;
      });
      return view(account);
    },

    async setDisabled(id, disabled) {
      const account = await change((doc) => {
        const a = existing(doc, id);
        const at = now();
        Object.assign(a, { disabled, updatedAt: at }, disabled ? { sessionsFrom: at + 1 } : {});
        return a;
      });
      return view(account);
    },

    async resetPassword(id, password) {
      checkNewPassword(password);
      const hash = await hashPassword(password);
      const account = await change((doc) => {
        const a = existing(doc, id);
        const at = now();
        Object.assign(a, { hash, sessionsFrom: at + 1, updatedAt: at });
        return a;
      });
      return view(account);
    },

    async refresh() {
      await use((await read()).doc);
    },
  };
  await store.refresh();
  return store;
}
