/** The unrecognised-messages inbox: entries by id, listed in the order staff work through them. */
import type { Locale } from '../model';
import type { Page, PageRequest } from './page';
import type { InboxEntry, InboxStatus } from './records';
import type { Versioned } from './sessions';

export interface InboxFilter {
  status?: InboxStatus;
  locale?: Locale;
}

export interface InboxRepo {
  get(id: string): Promise<Versioned<InboxEntry> | undefined>;
  /** Saves the entry when its stored version is `expectedVersion` (0: it must not exist yet). */
  put(entry: InboxEntry, expectedVersion: number): Promise<'ok' | 'conflict'>;
  delete(ids: readonly string[]): Promise<void>;
  /** Open first (then labelled, dismissed, exported), most frequent first, then most recent, then id. */
  list(filter: InboxFilter, req?: PageRequest): Promise<Page<InboxEntry>>;
  count(): Promise<number>;
  /** The `limit` least useful entries (exported, then dismissed, then open; rarest, then oldest); labelled ones never. */
  pruneCandidates(limit: number): Promise<InboxEntry[]>;
  /** Deletes at most `limit` entries (any status) last seen before `cutoff` (retention); resolves to how many. */
  deleteOlderThan(cutoff: number, limit: number): Promise<number>;
}
