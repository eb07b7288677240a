/**
 * Handoffs (escalations to a person) and tickets, with the queries the desk and the console ask.
 * Every change is a compare-and-set on the record's version; a conversation has at most one active
 * (queued or assigned) handoff, which the backend enforces.
 */
import type { Page, PageRequest } from './page';
import type { HandoffRecord, HandoffState, Ticket, TicketStatus } from './records';
import type { Versioned } from './sessions';

export interface HandoffFilter {
  state?: HandoffState;
  agentId?: string;
}

export interface HandoffRepo {
  /** Stores a new escalation, unless the conversation already has an active one ('exists'). */
  create(record: HandoffRecord): Promise<'ok' | 'exists'>;
  /** Saves the record when its stored version is `expectedVersion`. Moving to a terminal state takes it out of the active set. */
  update(record: HandoffRecord, expectedVersion: number): Promise<'ok' | 'conflict'>;
  get(id: string): Promise<Versioned<HandoffRecord> | undefined>;
  /** The conversation's queued or assigned handoff. */
  active(key: string): Promise<Versioned<HandoffRecord> | undefined>;
  /** The conversation's most recent handoff, active or finished. */
  latest(key: string): Promise<Versioned<HandoffRecord> | undefined>;
  /** Queued handoffs in queue order: higher priority first, then earlier request, then id. */
  queue(req?: PageRequest): Promise<Page<HandoffRecord>>;
  /** Handoffs by state and/or agent, most recently updated first. */
  list(filter: HandoffFilter, req?: PageRequest): Promise<Page<HandoffRecord>>;
  /** Handoffs requested in [from, to), oldest first. */
  requestedBetween(from: number, to: number, req?: PageRequest): Promise<Page<HandoffRecord>>;
  /** The most recent handoff with `links[name] === value` (e.g. a Slack thread). */
  byLink(name: string, value: string): Promise<Versioned<HandoffRecord> | undefined>;
  /** Assigned handoffs per agent id (agents with none are absent). */
  agentLoads(): Promise<Record<string, number>>;
  countByState(): Promise<Record<HandoffState, number>>;
  /** Deletes every handoff of the conversation (and their links), for erasure on request; resolves to how many. */
  eraseConversation(key: string): Promise<number>;
  /** Deletes at most `limit` finished handoffs (resolved, ticket, cancelled) last updated before `cutoff` (retention); active ones never. Resolves to how many. */
  deleteOlderThan(cutoff: number, limit: number): Promise<number>;
}

export interface TicketFilter {
  status?: TicketStatus;
  assigneeId?: string;
}

export interface TicketRepo {
  create(ticket: Ticket): Promise<'ok' | 'exists'>;
  update(ticket: Ticket, expectedVersion: number): Promise<'ok' | 'conflict'>;
  get(id: string): Promise<Versioned<Ticket> | undefined>;
  /** Tickets by status and/or assignee: higher priority first, then oldest, then id. */
  list(filter: TicketFilter, req?: PageRequest): Promise<Page<Ticket>>;
  /** The conversation's most recent ticket that is still open or pending. */
  openFor(key: string): Promise<Versioned<Ticket> | undefined>;
  countByStatus(): Promise<Record<TicketStatus, number>>;
  /** Deletes every ticket of the conversation, for erasure on request; resolves to how many. */
  eraseConversation(key: string): Promise<number>;
  /** Deletes at most `limit` resolved or closed tickets last updated before `cutoff` (retention); open and pending ones never. Resolves to how many. */
  deleteOlderThan(cutoff: number, limit: number): Promise<number>;
}
