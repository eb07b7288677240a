/**
 * Every conversation's messages, in order, with a per-conversation sequence number (`seq`) that is
 * the cursor clients page with. The undelivered ones are the durable outbox: a message written
 * with `deliver: true` stays `pending` until the channel took it (`markSent`), is retried with
 * backoff when the platform refuses for a while (`markRetry`), and is kept as `failed` when the
 * platform refuses for good. One lane per conversation: a later message never overtakes an
 * earlier one that is still pending.
 */
import type { Attachment, ConversationRef, Locale, QuickReply } from '../model';
import type { Page, PageRequest } from './page';

export type MessageAuthor = 'customer' | 'bot' | 'agent' | 'system' | 'note';

export interface MessageInput {
  /** Unique id (the client's message id, or one made by kefu); never reused. */
  id: string;
  from: MessageAuthor;
  text: string;
  at: number;
  locale?: Locale;
  quickReplies?: QuickReply[];
  attachments?: Attachment[];
  /** The agent who wrote an agent message or a note. */
  agentId?: string;
  /** Where the agent wrote it ('console', 'slack'…): another desk relays it to its own staff, the desk it came from does not. */
  desk?: string;
  /** The intent of a customer message. */
  intent?: string;
  /** True: leave through the conversation's channel via the outbox. False: transcript only (customer messages, notes, channels whose clients fetch). */
  deliver?: boolean;
  /** With `deliver`: not before this time (a channel that may answer inline first, such as WeChat's passive reply). */
  notBefore?: number;
}

export type DeliveryState = 'pending' | 'sent' | 'failed';

export interface DeliveryStatus {
  state: DeliveryState;
  /** Failed attempts so far. */
  attempts: number;
  /** When the next attempt is due (ms). */
  nextAttemptAt: number;
  /** The error code of the last failed attempt. */
  lastError?: string;
  /** When it was sent or given up. */
  doneAt?: number;
}

export interface StoredMessage extends MessageInput {
  key: string;
  /** 1, 2, 3… per conversation, in the order messages were committed (gaps are possible). */
  seq: number;
  /** Present on messages written with `deliver`. */
  delivery?: DeliveryStatus;
  /** Where to deliver it (present on messages written with `deliver`). */
  ref?: ConversationRef;
}

/** Who reads: customers never see internal notes. */
export type Audience = 'customer' | 'staff';

export interface MessageRepo {
  /** Messages after `seq` (0: from the first), oldest first, at most `limit` (1..500). */
  after(key: string, seq: number, limit: number, audience?: Audience): Promise<StoredMessage[]>;
  /** The newest messages before `seq` (undefined: the end), returned oldest first, at most `limit`. */
  before(key: string, seq: number | undefined, limit: number, audience?: Audience): Promise<StoredMessage[]>;
  /** The highest seq of the conversation (0 when it has none). */
  lastSeq(key: string): Promise<number>;
  /** The conversation's undelivered messages, in order (its outbox lane). */
  pending(key: string, limit: number): Promise<StoredMessage[]>;
  /** Conversations with an undelivered message due at `now`, the longest waiting first. */
  dueLanes(now: number, limit: number): Promise<string[]>;
  /** When the earliest undelivered message is due, or undefined when none is pending. */
  nextDueAt(): Promise<number | undefined>;
  markSent(key: string, seqs: readonly number[], at: number): Promise<void>;
  /** The lane waits: `seq` failed (attempts, error), and it and every later pending message wait until `nextAttemptAt`. */
  markRetry(key: string, seq: number, retry: { attempts: number; nextAttemptAt: number; lastError: string }): Promise<void>;
  /** Given up for good (kept, with the reason, for inspection). */
  markFailed(key: string, seq: number, failure: { attempts: number; lastError: string; at: number }): Promise<void>;
  /** Makes pending messages due now (a channel that did not answer inline after all). */
  release(key: string, seqs: readonly number[], at: number): Promise<void>;
  countPending(): Promise<number>;
  /** Messages given up on, newest first. */
  failed(req?: PageRequest): Promise<Page<StoredMessage>>;
  /** Deletes every message of the conversation (transcript and outbox lane), for erasure on request; resolves to how many. */
  eraseConversation(key: string): Promise<number>;
  /** Deletes at most `limit` messages written before `cutoff` that are not waiting in the outbox (retention); resolves to how many. */
  deleteOlderThan(cutoff: number, limit: number): Promise<number>;
}
