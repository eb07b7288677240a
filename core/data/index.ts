/** kefu's data layer: the repositories every backend implements, and the in-memory one. */
export type { AuditRepo, AuditRow } from './audit';
export { plainCodec, SEALED_PREFIX, type ValueCodec } from './codec';
export type { CounterDelta, CounterRepo } from './counters';
export type { HandoffFilter, HandoffRepo, TicketFilter, TicketRepo } from './handoffs';
export type { InboxFilter, InboxRepo } from './inbox';
export type { Audience, DeliveryState, DeliveryStatus, MessageAuthor, MessageInput, MessageRepo, StoredMessage } from './messages';
export type { MetaRepo } from './meta';
export { type CursorPart, DEFAULT_PAGE_LIMIT, decodeCursor, encodeCursor, MAX_PAGE_LIMIT, type Page, type PageRequest, pageLimit, readAllPages, toPage } from './page';
export * from './records';
export type { Commit, CommitResult, CorruptRow, DataOptions, Repositories } from './repositories';
export { customerIdOf, type SessionRepo, type Versioned } from './sessions';
export { createMemoryData, type MemoryData } from './memory';
export { FAILED_MESSAGE_ORDER, HANDOFF_RECENT_ORDER, HANDOFF_REQUESTED_ORDER, INBOX_ORDER, type ListOrder, QUEUE_ORDER, TICKET_ORDER } from './orders';
export { closedError, createRowReader, decodeRecord, encodeRecord, type RowReader, recordAad } from './rows';
export { committedMessage, decodeMessage, encodeMessages, type MessageRow, messageRecordId } from './message-rows';
