/**
 * The hash chain's arithmetic: canonical JSON (object keys sorted at every level, no whitespace) and
 * SHA-256 over it, so the same entry hashes the same on every machine and after any store round trip.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from './types';

/** The `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys and no spaces; `undefined` object fields are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const fields = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${fields.join(',')}}`;
}

/** SHA-256 (hex) of the canonical JSON of every field of the entry except `hash` itself. */
export function hashEntry(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = entry;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}
