/**
 * Tamper-evident audit log of staff actions: an append-only SHA-256 hash chain in the session store.
 * @example
 * const audit = createAuditLog({ store: engine.store as SessionStore<unknown> });
 * handoff.addAgentChannel(createAuditChannel(audit)); // claim, reply, note, resolve, transfer, status, tickets
 * await audit.append({ actor: 'anna', action: 'login', target: 'anna' });
 * const v = await verifyAuditLog(store); // { ok: false, seq: 7, problem: 'edited', message: '…' } after tampering
 */
export { canonicalJson, GENESIS_HASH, hashEntry } from './canonical';
export { auditInputFor, createAuditChannel } from './handoff-events';
export { type AuditLog, type AuditLogOptions, createAuditLog } from './log';
export * from './types';
export { verifyAuditLog } from './verify';
