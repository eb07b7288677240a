/**
 * Public types of the human handoff: agents, handoff records, tickets, the events agent channels
 * receive, and the service agent channels (Slack threads, the web console) call.
 *
 * An agent channel implements {@link AgentChannel} and is added with `service.addAgentChannel(ch)`.
 * It receives every {@link HandoffEvent} in order and turns agent actions into service calls:
 * @example
 * const { service, plugin } = createHandoff({ agents });
 * await engine.register(plugin, undefined); // the handoff keeps its records in engine.data
 * service.addAgentChannel({ name: 'slack', async onEvent(e) { if (e.type === 'handoff.initiated') postThread(e) } });
 * const r = await service.reply('telegram:42', 'anna', { text: 'Hi, Anna here' });
 * if (!r.ok) showError(r.code, r.message);
 */
import type { HandoffReason, TurnContext } from '../../core/context';
import type { HandoffRecord, HandoffState, Page, PageRequest, SentimentSummary, StoredMessage, Ticket, TicketFilter, TicketStatus, TranscriptEntry } from '../../core/data';
import type { ErrorCode } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { Attachment, ConversationRef, Locale } from '../../core/model';

export type { CustomerSummary, HandoffRecord, HandoffState, SentimentSummary, Ticket, TicketStatus, TranscriptEntry } from '../../core/data';

export type AgentStatus = 'online' | 'away' | 'offline';
/** The support tiers after the bot: agents, then experts (an agent escalates to them). */
export const AGENT_LEVELS = ['agent', 'expert'] as const;
export type AgentLevel = (typeof AGENT_LEVELS)[number];

/** A tier's service policy: its first-response target and how far ahead of the agent queue its conversations wait. */
export interface LevelPolicy {
  /** First response target (SLA, ms): from the request (agent tier) or the escalation (expert tier) to that tier's first reply. 0 = none. */
  firstResponseMs: number;
  /** Added to the priority of conversations escalated to this tier (agent 0, expert 4: ahead of VIP and anger). */
  priorityBoost: number;
}
/** What a sign of life came from (`heartbeat`). */
export type PresenceSource = 'console' | 'login' | 'slack' | 'api';

/** What a staff member may do in the console (docs/roles.md): agents their own conversations, supervisors all and reports, admins also staff. */
export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A human agent. Loaded from `AGENTS_FILE` (a JSON list of these) or the demo list. */
export interface AgentProfile {
  /** Stable id, e.g. 'anna'. Lower-case letters, digits, '-' and '_'. */
  id: string;
  name: string;
  /** e.g. 'orders', 'refunds', 'general' (see `INTENT_SKILLS`). */
  skills: string[];
  languages: Locale[];
  /** Conversations this agent handles at once. */
  capacity: number;
  /** Initial status; changes through `setAgentStatus` are stored and survive a restart. */
  status: AgentStatus;
  /** Customer tiers this agent serves first (e.g. ['vip']). */
  tiers?: string[];
  /** The agent's ids on human channels, e.g. `{ slack: 'U024BE7LH' }`, for `findAgentByHandle`. */
  handles?: Record<string, string>;
  /** Console role (default 'agent'); see docs/roles.md. */
  role?: StaffRole;
  /**
   * Take conversations routing picks for this agent at once (default false: routing *offers* each
   * one, the agent accepts or declines in the console, and an unanswered offer goes to the next agent).
   */
  autoAccept?: boolean;
  /**
   * The agent's tier (default 'agent'). Experts take conversations agents escalate to them (only
   * experts do), and agent-tier conversations only when no agent-level agent can.
   */
  level?: AgentLevel;
}

/** What an agent sees first: enough to pick up the conversation without scrolling. */
export interface HandoffSummary {
  customer: { name?: string; tier?: string; userId: string };
  channel: string;
  language: Locale;
  reason: HandoffReason;
  intent: string;
  sentiment?: SentimentSummary;
  priority: number;
  /** The last turns before the escalation, oldest first. */
  lastTurns: TranscriptEntry[];
  /** 1-based queue position when queued. */
  queuePosition?: number;
}

interface EventBase {
  /** The conversation key. */
  key: string;
  /** The current record (after the change). */
  record: HandoffRecord;
  at: number;
}

/** Everything agent channels are told, in the order it happened. */
export type HandoffEvent =
  | (EventBase & { type: 'handoff.initiated'; summary: HandoffSummary })
  | (EventBase & { type: 'handoff.assigned'; agentId: string; by: 'routing' | 'claim' | 'transfer' | 'accept' })
  /** Routing offers a waiting conversation to an agent (who accepts or declines before `expiresAt`). */
  | (EventBase & { type: 'handoff.offered'; agentId: string; expiresAt: number })
  /** An offer ended without an assignment: the agent declined, let it expire, or left (status). */
  | (EventBase & { type: 'handoff.offer_withdrawn'; agentId: string; why: 'declined' | 'expired' | 'agent-left' })
  | (EventBase & { type: 'handoff.queue_changed'; position: number })
  /** `seq`: the message's place in the conversation's transcript (absent when the turn stored none). */
  | (EventBase & { type: 'handoff.customer_message'; text: string; attachments: Attachment[]; seq?: number })
  /** `seq`: the message's place in the transcript; `desk`: where the agent wrote it. */
  | (EventBase & { type: 'handoff.agent_message'; agentId: string; text: string; attachments: Attachment[]; delivery: DeliveryState; seq?: number; desk?: string })
  | (EventBase & { type: 'handoff.note'; agentId: string; text: string; seq?: number; desk?: string })
  | (EventBase & { type: 'handoff.transferred'; fromAgentId: string; target: TransferTarget })
  /** An agent escalated the conversation to the expert queue (for `skill`), with an internal note. */
  | (EventBase & { type: 'handoff.escalated'; agentId: string; level: 'expert'; skill: string; note: string })
  /** A tier's first-response target passed without a reply of that tier (once per tier and handoff): supervisors are alerted. */
  | (EventBase & { type: 'handoff.sla_breached'; level: AgentLevel; targetMs: number; waitedMs: number; agentId?: string })
  | (EventBase & { type: 'handoff.resolved'; agentId: string })
  | (EventBase & { type: 'handoff.cancelled'; by: 'customer' | 'system' })
  | (EventBase & { type: 'handoff.csat'; score: number })
  | SignalEvent
  | { type: 'ticket.created'; key: string; ticket: Ticket; at: number }
  | { type: 'ticket.updated'; key: string; ticket: Ticket; at: number; change: Ticket['history'][number] }
  /** The customer wrote in a conversation with an open (or recently resolved, now reopened) ticket. */
  | { type: 'ticket.customer_message'; key: string; ticket: Ticket; at: number; text: string; attachments: Attachment[] }
  /** `auto`: presence set it (silence, a closed console), so the agent's next sign of life undoes it. */
  | { type: 'agent.status'; agentId: string; status: AgentStatus; at: number; auto?: boolean };

export type HandoffEventType = HandoffEvent['type'];

/**
 * Shown, never stored: the customer or an agent is typing (at most one every few seconds per side),
 * or an agent has seen the customer's messages up to `seq`. Only channels that show things
 * (`mirrorsRemote`: the console, the web chat) get them; `record` is the active handoff.
 */
export type SignalEvent =
  | (EventBase & { type: 'handoff.typing'; from: 'customer' | 'agent'; agentId?: string })
  | (EventBase & { type: 'handoff.seen'; agentId: string; seq: number });

/** A human side (Slack threads, the web console). Errors it throws are logged, never lost silently. */
export interface AgentChannel {
  readonly name: string;
  onEvent(event: HandoffEvent): Promise<void>;
  /**
   * Also gets the events of other instances (multi-instance mode): true for channels that show
   * what happens to the people connected here (the console); channels that act on an event (Slack
   * threads) leave it unset, so each event is acted on once, by the instance where it happened.
   */
  readonly mirrorsRemote?: boolean;
}

/** An event as it happened, with the stored version of its record (what another instance applies). */
export type EventListener = (event: HandoffEvent, version: number | undefined) => void;

/** Reached the customer now ('sent'), kept and retried or fetched later ('queued'), or refused for good by the platform ('failed'). */
export type DeliveryState = 'sent' | 'queued' | 'failed';

/** Agent actions never drop silently: they succeed or say why not, with a code. */
export type ActionResult<T extends object = object> = ({ ok: true } & T) | { ok: false; code: ErrorCode; message: string };

export type TransferTarget = { agentId: string } | { skill: string };

export interface ExpertEscalation {
  /** The expert skill looked for (default: the conversation's skill). */
  skill?: string;
  /** What the expert should know (internal, required). */
  note: string;
}

export interface ReplyInput {
  text: string;
  attachments?: Attachment[];
  /** Where the agent wrote it ('console', 'slack'…), kept in the transcript: another desk relays it to its staff. */
  desk?: string;
}

export interface QueueEntry {
  record: HandoffRecord;
  /** 1-based, priority order. */
  position: number;
  /** Estimated wait in ms from now. */
  estimatedWaitMs: number;
}

export interface AgentView extends AgentProfile {
  /** Conversations assigned now. */
  load: number;
}

export interface TicketPatch {
  status?: TicketStatus;
  assigneeId?: string | null;
  priority?: number;
  note?: string;
}

export interface HandoffMetrics {
  conversations: number;
  turns: number;
  /** Turns answered by the bot (not while a human had the conversation). */
  botTurns: number;
  escalatedConversations: number;
  handoffs: number;
  byState: Record<HandoffState, number>;
  byReason: Partial<Record<HandoffReason, number>>;
  /** Share of conversations that never escalated (0..1). */
  automationRate: number;
  /** Escalated conversations / conversations (0..1). */
  escalationRate: number;
  /** Averages in ms, over handoffs that have both ends; undefined when none. */
  avgWaitMs?: number;
  avgFirstResponseMs?: number;
  avgHandleMs?: number;
  /** 90th percentiles (nearest rank) of the same durations. */
  p90WaitMs?: number;
  p90FirstResponseMs?: number;
  p90HandleMs?: number;
  csat: { count: number; average?: number };
  /** How many ratings of 1, 2, 3, 4 and 5. */
  csatDistribution: [number, number, number, number, number];
  tickets: Record<TicketStatus, number>;
  outboxPending: number;
}

export interface HandoffService {
  /** An agent takes a queued conversation (or confirms one routed to them). */
  claim(key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>>;
  /** Relays an agent's answer to the customer on their channel. */
  reply(key: string, agentId: string, message: ReplyInput): Promise<ActionResult<{ delivery: DeliveryState }>>;
  /** An internal note: kept with the record, shown to agents, never sent to the customer. `desk`: where it was written. */
  note(key: string, agentId: string, text: string, opts?: { desk?: string }): Promise<ActionResult<{ record: HandoffRecord }>>;
  /** Ends the human part; the bot takes over and asks for a 1-5 rating. */
  resolve(key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>>;
  /** Hands the conversation to another agent, or back to the queue for a skill. */
  transfer(key: string, agentId: string, target: TransferTarget): Promise<ActionResult<{ record: HandoffRecord }>>;
  /**
   * The assigned agent escalates the conversation to the expert queue (for `skill`, default its
   * skill), with an internal note for the expert; it leaves the agent and routing offers it to experts only.
   */
  escalateToExpert(key: string, agentId: string, input: ExpertEscalation): Promise<ActionResult<{ record: HandoffRecord }>>;
  setAgentStatus(agentId: string, status: AgentStatus): Promise<ActionResult<{ agent: AgentView }>>;
  /**
   * A sign of life from an agent (console socket open or ping, console login, Slack activity). An
   * agent whose status presence had changed (away after silence, offline after disconnecting) is
   * online again; one who chose away or offline stays so, except `login` (a new session starts online).
   */
  heartbeat(agentId: string, source?: PresenceSource): Promise<ActionResult<{ agent: AgentView }>>;
  /**
   * The agent's last console connection to this instance closed (at `since`, default now): offline
   * after the grace period unless a sign of life comes meanwhile (from any instance).
   */
  presenceLost(agentId: string, since?: number): Promise<ActionResult<{ agent: AgentView }>>;
  /** The agent takes the conversation routing offered them; the customer hears who is with them. */
  accept(key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>>;
  /** The agent passes on an offer; routing offers the conversation to another agent. */
  decline(key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>>;
  /** Time-based changes: silent agents become away, then offline; unanswered offers expire. The server calls it every few seconds. */
  tick(): Promise<void>;
  /**
   * The customer (or agent `agentId`) is typing in an active handoff: a `handoff.typing` event for
   * the console and the customer's page, not stored. `shown` is false when the conversation has no
   * active handoff (nobody watches). Throttling is the caller's (the routes allow one per 3 s).
   */
  typing(key: string, from: 'customer' | 'agent', agentId?: string): Promise<ActionResult<{ shown: boolean }>>;
  /** Agent `agentId` has seen the customer's messages up to `seq`: a `handoff.seen` event for the customer's page, not stored. */
  seen(key: string, agentId: string, seq: number): Promise<ActionResult<{ shown: boolean }>>;
  /**
   * Records a channel mapping (e.g. a Slack thread ts) on the active record; with `recordId`, only
   * while that record is the active one (else KEFU_ERR_HANDOFF_NOT_FOUND: that escalation ended).
   */
  setLink(key: string, name: string, value: string, opts?: { recordId?: string }): Promise<ActionResult<{ record: HandoffRecord }>>;
  findByLink(name: string, value: string): Promise<HandoffRecord | undefined>;
  findAgentByHandle(channel: string, handle: string): AgentProfile | undefined;
  agents(): Promise<AgentView[]>;
  /**
   * Adds an agent at runtime (a staff account created in the console), with the status stored for
   * it if any, so routing can pick them. An id already known is left as it is.
   */
  addAgent(profile: AgentProfile): Promise<ActionResult<{ agent: AgentView }>>;
  /** Waiting conversations in priority order, a page at a time, with their positions (O(log n) each). */
  queue(req?: PageRequest): Promise<Page<QueueEntry>>;
  /** How many conversations wait. */
  queueSize(): number;
  /** Handoffs by state and/or agent, most recently updated first (e.g. `{ state: 'assigned' }`: who is with whom). */
  list(filter: { state?: HandoffState; agentId?: string }, req?: PageRequest): Promise<Page<HandoffRecord>>;
  /** The active record of a conversation, else its most recent finished one. */
  get(key: string): Promise<HandoffRecord | undefined>;
  /**
   * What was said in the conversation (customer, bot, agents, notes), oldest first: the newest page before
   * seq `before`, or with `after` the oldest page after that seq.
   */
  transcript(key: string, opts?: { before?: number; after?: number; limit?: number }): Promise<StoredMessage[]>;
  addAgentChannel(channel: AgentChannel): void;
  /** Hears every event synchronously as it is emitted, with its record's stored version (multi-instance fan-out). */
  onEvent(listener: EventListener): void;
  /** An event from another instance: routing state takes its record or status; channels that mirror remote events get it. */
  applyRemote(event: HandoffEvent, version: number | undefined): void;
  listTickets(filter?: TicketFilter, req?: PageRequest): Promise<Page<Ticket>>;
  getTicket(ticketId: string): Promise<Ticket | undefined>;
  updateTicket(ticketId: string, agentId: string, patch: TicketPatch): Promise<ActionResult<{ ticket: Ticket }>>;
  answerTicket(ticketId: string, agentId: string, text: string): Promise<ActionResult<{ ticket: Ticket; delivery: DeliveryState }>>;
  /**
   * Records a channel mapping (e.g. the Slack thread of a ticket) on the ticket. Unless `findable`
   * is false (a value many tickets share, such as a channel id), `findTicketByLink` finds the
   * ticket by it from any instance, after a restart too.
   */
  setTicketLink(ticketId: string, name: string, value: string, opts?: { findable?: boolean }): Promise<ActionResult<{ ticket: Ticket }>>;
  findTicketByLink(name: string, value: string): Promise<Ticket | undefined>;
  metrics(): Promise<HandoffMetrics>;
  /** Every handoff (active and finished) requested in [from, to) (ms), oldest first; analytics reads these. */
  records(range: { from: number; to: number }): Promise<HandoffRecord[]>;
  /** Tries undelivered messages again now (the engine's outbox); returns how many are still pending. */
  flushOutbox(): Promise<number>;
  /** Resolves when queued events and deliveries are done (tests, shutdown). */
  idle(): Promise<void>;
}

/** Options of `createHandoff(opts)`, which returns `{ service, plugin }` (register the plugin on the engine). */
export interface HandoffOptions {
  /** Default: the built-in demo agents (Anna, 王芳 Wang Fang, Li Lei). */
  agents?: readonly AgentProfile[];
  /** Consecutive misunderstood turns that escalate (0 = never). Default 2. */
  afterFallbacks?: number;
  /** Escalate when sentiment score <= -threshold (0..1; 0 or absent = off). Default 0.6. */
  angerThreshold?: number;
  /** "always" or like "1-5 09:00-18:00 Asia/Shanghai". Default "always". */
  businessHours?: string;
  /** Customer tiers that escalate with priority (default ['vip']). */
  priorityTiers?: readonly string[];
  /** Business rules checked before the dialog; the first that matches escalates with reason 'rule'. */
  rules?: readonly HandoffRule[];
  /** Intent → skill map, merged over `INTENT_SKILLS`. */
  intentSkills?: Readonly<Record<string, string>>;
  /**
   * Limits on asking for a person (per client address, per conversation): resolves to 0 to let this
   * escalation go ahead (and count it), else how long (ms) until one would. A refused customer is
   * told to wait and stays with the bot. A conversation already with a person is never asked about.
   */
  escalationLimit?: (ref: ConversationRef) => Promise<number>;
  /** Presence and offers (ms); see docs/handoff.md "Presence". */
  presence?: Partial<PresenceTimes>;
  /** How often `tick()` runs on its own (ms; 0 = only when called). Default 5000. */
  tickMs?: number;
  /** Per-tier first-response targets and queue priority; see docs/handoff.md "Expert tier". */
  levels?: Partial<Record<AgentLevel, Partial<LevelPolicy>>>;
  now?: () => number;
  logger?: Logger;
}

export interface PresenceTimes {
  /** Silence (no sign of life) after which an online agent is away. */
  awayAfterMs: number;
  /** Silence after which an agent is offline (their conversations go back to the queue). */
  offlineAfterMs: number;
  /** How long after the last console connection closed an agent is still online (a reload, a flaky network). */
  disconnectGraceMs: number;
  /** How long an agent has to accept an offer before it goes to the next agent. */
  offerTimeoutMs: number;
  /** How long after a ticket was resolved a customer's message still reopens it. */
  ticketReopenMs: number;
}

/** A business rule on the turn (profile, channel, words) that sends the customer to a human. */
export interface HandoffRule {
  /** Short name, logged and stored as the handoff's detail. */
  name: string;
  when(ctx: TurnContext): boolean;
}

/** A past conversation of the customer, as the profile lists it (no text: what happened, when, with whom). */
export interface PastConversation {
  kind: 'conversation' | 'ticket';
  key: string;
  id: string;
  state: string;
  intent: string;
  at: number;
  agentId?: string;
  csat?: number;
  ticketId?: string;
}
