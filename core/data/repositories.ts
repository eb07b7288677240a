/**
 * Everything kefu keeps, as one object with a repository per concern (sessions, messages and the
 * outbox, handoffs, tickets, counters, the audit chain, the inbox, small named values), and the
 * one write a turn makes: `commit`. Implemented in memory (core), on SQLite and on MongoDB
 * (stores/); every implementation runs the conformance suites in test/data/.
 */
import type { ConversationRef } from '../model';
import type { SessionState } from '../session';
import type { AuditRepo } from './audit';
import type { ValueCodec } from './codec';
import type { CounterRepo } from './counters';
import type { HandoffRepo, TicketRepo } from './handoffs';
import type { InboxRepo } from './inbox';
import type { MessageInput, MessageRepo, StoredMessage } from './messages';
import type { MetaRepo } from './meta';
import type { SessionRepo } from './sessions';

/** What one turn (or one push outside a turn) writes, all or nothing. */
export interface Commit {
  key: string;
  ref: ConversationRef;
  /** The session to save with compare-and-set; absent when only messages are added (a push). */
  session?: { value: SessionState; expectedVersion: number };
  /** Appended to the conversation in this order; those with `deliver` enter the outbox. */
  messages: readonly MessageInput[];
}

export type CommitResult = { ok: true; messages: StoredMessage[] } | { ok: false; conflict: true };

export interface Repositories {
  /** 'memory', 'sqlite', 'mongodb' (for logs and /healthz). */
  readonly kind: string;
  readonly sessions: SessionRepo;
  readonly messages: MessageRepo;
  readonly handoffs: HandoffRepo;
  readonly tickets: TicketRepo;
  readonly counters: CounterRepo;
  readonly audit: AuditRepo;
  readonly inbox: InboxRepo;
  readonly meta: MetaRepo;
  /**
   * Saves the session (if given, when its version still is `expectedVersion`) and appends the
   * messages, atomically: either all of it is stored, or nothing ('conflict' when the version
   * check failed). Message seqs are assigned here.
   */
  commit(commit: Commit): Promise<CommitResult>;
  /** Closes what the store opened; later calls fail with KEFU_ERR_STORE_CLOSED. */
  close(): Promise<void>;
}

/** A row that could not be read, reported and skipped: never silently dropped, never a failed list. */
export interface CorruptRow {
  /** e.g. 'sessions', 'handoffs'. */
  table: string;
  /** The row's key or id. */
  id: string;
  code: 'KEFU_ERR_STORE_VALUE_INVALID' | 'KEFU_ERR_STORE_DECRYPT_FAILED';
  reason: string;
}

/** Options every backend takes. */
export interface DataOptions {
  /** Sessions not written for this long read as absent and are swept. 0 keeps them forever (default). */
  sessionTtlSeconds?: number;
  /** Seals and opens each record's JSON (encryption at rest). Default: plain JSON. */
  codec?: ValueCodec;
  /** Called for each corrupt row a list skipped or a read replaced (the server logs it with the key). */
  onCorrupt?: (row: CorruptRow) => void;
  /** Injected clock (ms), for tests. */
  now?: () => number;
}
