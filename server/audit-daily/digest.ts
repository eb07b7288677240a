/**
 * The daily audit digest: what one day's automatic verification found (the chain's head, how many
 * entries, how many that day by action, the result), signed with a key derived from the server
 * secret and chained to the day before's digest by its hash. Digests are kept outside the store
 * (`DATA_DIR/audit/<date>.json`), so rewriting the store's log from entry 1 (which its own chain
 * cannot tell) still disagrees with a head a digest wrote down.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../plugins/audit';

export interface DailyDigest {
  /** The day verified, `YYYY-MM-DD` in the configured zone. */
  date: string;
  verifiedAt: number;
  ok: boolean;
  /** Entries in the chain when verified. */
  entries: number;
  head?: { seq: number; hash: string };
  /** Entries appended during `date`, by action. */
  actions: Record<string, number>;
  /** On failure: where the chain broke. */
  problem?: { seq: number; kind: string; message: string };
  /** The previous digest's hash (`digestHash`), or undefined for the first one. */
  previous?: string;
  /** HMAC-SHA256 of the rest (canonical JSON) with the audit-digest key. */
  signature: string;
}

export type UnsignedDigest = Omit<DailyDigest, 'signature'>;

const bodyOf = ({ signature: _signature, ...rest }: DailyDigest): UnsignedDigest => rest;

export function signDigest(digest: UnsignedDigest, key: Buffer): DailyDigest {
  return { ...digest, signature: createHmac('sha256', key).update(canonicalJson(digest)).digest('hex') };
}

export function signatureValid(digest: DailyDigest, key: Buffer): boolean {
  const good = Buffer.from(signDigest(bodyOf(digest), key).signature);
  const given = Buffer.from(String(digest.signature));
  return good.length === given.length && timingSafeEqual(good, given);
}

/** The digest's own hash, which the next day's digest records as `previous`. */
export function digestHash(digest: DailyDigest): string {
  return createHash('sha256').update(canonicalJson(digest)).digest('hex');
}
