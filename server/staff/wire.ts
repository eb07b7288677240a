/**
 * Staff accounts from config at start-up: the handoff wiring's logins (CONSOLE_AGENTS, or the demo
 * passwords) seed the accounts with each agent profile's role, and the plaintext map is cleared;
 * agents an admin created in the console earlier are added to the handoff service again.
 * @example
 * const staff = await wireStaff(handoff, engine);
 */
import { asCodedError, type Engine } from '../../core';
import { createAuditLog } from '../../plugins/audit';
import type { Cluster } from '../cluster';
import type { HandoffWiring } from '../wire-handoff';
import { createStaffStore, type StaffStore } from './store';

export async function wireStaff(
  handoff: Pick<HandoffWiring, 'service' | 'agents' | 'logins'>,
  engine: Pick<Engine, 'data' | 'log' | 'now'>,
  cluster?: Cluster,
): Promise<StaffStore> {
  const store = await createStaffStore({ data: engine.data, agents: handoff.service, ...(cluster ? { onChange: () => cluster.publish('staff', {}) } : {}) });
  // Another instance changed the accounts: reload them (new agents, disabled accounts, reset passwords).
  cluster?.subscribe('staff', () => {
    store.refresh().catch((err: unknown) => engine.log.error({ code: asCodedError(err).code }, 'staff accounts not reloaded after a change elsewhere'));
  });
  const roleOf = new Map(handoff.agents.map((a) => [a.id, a.role ?? 'agent'] as const));
  const seeds = [...handoff.logins].map(([id, password]) => ({ id, password, role: roleOf.get(id) ?? 'agent' }));
  handoff.logins.clear(); // no plaintext password is kept after start-up
  const { created, updated } = await store.seed(seeds);
  if (created || updated) {
    await createAuditLog({ data: engine.data, now: engine.now })
      .append({ actor: 'system', action: 'staff.seed', target: 'CONSOLE_AGENTS', detail: { created, updated } })
      .catch((err: unknown) => engine.log.error({ code: asCodedError(err).code, action: 'staff.seed' }, 'audit entry not written'));
  }
  engine.log.info({ accounts: store.list().length, created, updated }, 'staff accounts ready');
  return store;
}
