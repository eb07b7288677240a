/** Sessions: one per conversation key, versioned so concurrent turns never overwrite each other. */
import type { ConversationRef } from '../model';
import type { SessionState } from '../session';
import type { Page, PageRequest } from './page';

/**
 * The customer a conversation belongs to: `<channel>:<userId>` of its ref (a web customer's
 * verified user id, `web:<conversation id>` for a visitor; `telegram:<user id>`, `wechat:<openid>`,
 * `slack:<user id>`). Erasure by customer (server/erasure.ts) looks conversations up by it.
 */
export const customerIdOf = (ref: Pick<ConversationRef, 'channel' | 'userId'>): string => `${ref.channel}:${ref.userId}`;

export interface Versioned<T> {
  value: T;
  /** Starts at 1 on the first write and grows by one on each write. */
  version: number;
}

export interface SessionRepo {
  /**
   * The session and its version, or undefined when there is none (or it expired). A row that does
   * not parse (corrupt JSON) is reported through the store's `onCorrupt` and read as `value: null`
   * with its version, so the next commit replaces it instead of failing every turn of that
   * conversation. A row that does not decrypt throws KEFU_ERR_STORE_DECRYPT_FAILED (a wrong key
   * must not wipe sessions).
   */
  read(key: string): Promise<Versioned<SessionState | null> | undefined>;
  /** Deletes the session and the conversation's customer link (erasure on request). */
  delete(key: string): Promise<void>;
  /** Deletes sessions idle past the TTL now; resolves to how many. (Backends also sweep on their own.) */
  sweep(): Promise<number>;
  /**
   * The keys of the customer's conversations ({@link customerIdOf}), in key order. Every commit
   * links its conversation to its ref's customer; the link outlives the session's expiry (the
   * messages may still be kept) and goes with `delete(key)` or `deleteLinksOlderThan`.
   */
  conversationsOf(customer: string, req?: PageRequest): Promise<Page<string>>;
  /** Deletes at most `limit` customer links of conversations with no commit since `cutoff` (retention); resolves to how many. */
  deleteLinksOlderThan(cutoff: number, limit: number): Promise<number>;
}
