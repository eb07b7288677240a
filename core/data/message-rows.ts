/**
 * A message as every backend keeps it: what lists filter and sort on (conversation, seq, author,
 * delivery state and times) in plain fields, the content sealed in `body`. One encoder and one
 * decoder, so a message reads back the same from memory, SQLite and MongoDB.
 */
import type { ConversationRef } from '../model';
import { withFields } from '../objects';
import type { MessageInput, StoredMessage } from './messages';
import type { RowReader } from './rows';

export interface MessageRow {
  key: string;
  seq: number;
  id: string;
  from: MessageInput['from'];
  at: number;
  body: string;
  /** Set on messages that leave through the outbox. */
  state?: 'pending' | 'sent' | 'failed' | null;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string | null;
  doneAt?: number | null;
}

type MessageBody = Omit<MessageInput, 'id' | 'from' | 'at' | 'deliver' | 'notBefore'> & { ref?: ConversationRef };

/** The id a message's body is sealed under (and corrupt-row reports name). */
export const messageRecordId = (key: string, seq: number) => `${key}#${seq}`;

/** Rows for `messages` appended to `key` after seq `lastSeq`; those with `deliver` are pending from `now` (or their `notBefore`). */
export function encodeMessages(rows: RowReader, key: string, ref: ConversationRef, messages: readonly MessageInput[], lastSeq: number, now: number): MessageRow[] {
  let seq = lastSeq;
  return messages.map((m) => {
    const { id, from, at, deliver, notBefore, ...content } = m;
    seq += 1;
    const body: MessageBody = deliver ? withFields(content, { ref }) : content;
    const row: MessageRow = { key, seq, id, from, at, body: rows.encode('messages', messageRecordId(key, seq), body), attempts: 0, nextAttemptAt: Math.max(now, notBefore ?? 0) };
    if (deliver) row.state = 'pending';
    return row;
  });
}

/** The stored message a freshly encoded row holds, built from its input (no decoding of what was just encoded). */
export function committedMessage(row: MessageRow, input: MessageInput, ref: ConversationRef): StoredMessage {
  const { deliver, notBefore: _n, ...content } = input;
  const m: StoredMessage = withFields(content, { key: row.key, seq: row.seq });
  if (!deliver || !row.state) return m;
  m.deliver = true;
  m.delivery = { state: row.state, attempts: row.attempts, nextAttemptAt: row.nextAttemptAt };
  m.ref = ref;
  return m;
}

/** The message a row holds, or undefined after reporting it as corrupt. */
export function decodeMessage(rows: RowReader, r: MessageRow): StoredMessage | undefined {
  const body = rows.tryDecode<MessageBody>('messages', messageRecordId(r.key, r.seq), r.body);
  if (!body) return undefined;
  const { ref, ...content } = body;
  const m: StoredMessage = withFields(content, { id: r.id, from: r.from, at: r.at, key: r.key, seq: r.seq });
  if (!r.state) return m;
  m.deliver = true;
  m.delivery = {
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt,
    ...(r.lastError ? { lastError: r.lastError } : {}),
    ...(r.doneAt ? { doneAt: r.doneAt } : {}),
  };
  if (ref) m.ref = ref;
  return m;
}
