/** Sessions: one per conversation key, versioned so concurrent turns never overwrite each other. */
import type { SessionState } from '../session';

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
  delete(key: string): Promise<void>;
  /** Deletes sessions idle past the TTL now; resolves to how many. (Backends also sweep on their own.) */
  sweep(): Promise<number>;
}
