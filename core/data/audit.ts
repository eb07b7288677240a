/**
 * The audit chain's storage: entries by sequence number, written once. The chain logic (hashes,
 * verification) is plugins/audit's; this only keeps rows and says when a seq is taken.
 */
/** A stored entry as read back: its parsed JSON (shape unchecked: verification checks it), or why it cannot be read. */
export type AuditRow = { seq: number; value: unknown } | { seq: number; unreadable: string };

export interface AuditRepo {
  /** Writes entry `seq` unless that seq is taken ('conflict'). */
  insert(seq: number, entry: object): Promise<'ok' | 'conflict'>;
  get(seq: number): Promise<AuditRow | undefined>;
  /** The entry with the highest seq. */
  last(): Promise<AuditRow | undefined>;
  /** Entries with seq > `after`, ascending, at most `limit`. */
  scan(after: number, limit: number): Promise<AuditRow[]>;
  /** Entries with seq < `before`, descending (newest first), at most `limit`. */
  before(before: number, limit: number): Promise<AuditRow[]>;
}
