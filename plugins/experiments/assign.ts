/**
 * Sticky assignment without stored randomness: a variant is a pure function of the experiment id
 * and the unit (a verified customer, else the conversation), through SHA-256. Every instance, and
 * the same instance after a restart, puts the same customer in the same variant.
 */
import { createHash } from 'node:crypto';
import { conversationKey, type ParsedInbound } from '../../core';

/** Who is assigned: a customer the channel vouches for keeps a variant across conversations; a visitor per conversation. */
export function assignmentUnit(message: Pick<ParsedInbound, 'channel' | 'conversationId' | 'userId' | 'profile'>): string {
  const verified = message.profile !== undefined && message.profile.visitor !== true;
  return verified ? `user:${message.channel}:${message.userId}` : `conversation:${conversationKey(message)}`;
}

/** A number in [0, 1) from the first 52 bits of SHA-256(experimentId \0 unit): uniform, and the same everywhere. */
export function bucketOf(experimentId: string, unit: string): number {
  const digest = createHash('sha256').update(`${experimentId}\0${unit}`).digest();
  const high = digest.readUInt32BE(0) >>> 12; // 20 bits
  const low = digest.readUInt32BE(4); // 32 bits
  return (high * 2 ** 32 + low) / 2 ** 52;
}

/** The variant whose share of the weights holds the unit's bucket. */
export function pickVariant<V extends { id: string; weight: number }>(experimentId: string, unit: string, variants: readonly V[]): V {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  let point = bucketOf(experimentId, unit) * total;
  for (const v of variants) {
    if (point < v.weight) return v;
    point -= v.weight;
  }
  return variants[variants.length - 1] as V; // rounding at the very top
}
