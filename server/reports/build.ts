/**
 * The reports supervisors export for a date range (days in the analytics zone): the conversations
 * handed to people (one row per handoff requested in the range), the tickets among them, and the
 * analytics figures per day. Only ids, states, times, counts and the customer's display name: no
 * message text. Everything is read through indexed queries (handoffs by request time, tickets by id).
 */
import type { Repositories } from '../../core';
import { buildReport, createDayOf, dayRange, parseDay } from '../../plugins/analytics';
import { type HandoffRecord, type HandoffService, slaClockStart } from '../../plugins/handoff';
import { type Cell, toCsv } from './csv';

export type ReportKind = 'conversations' | 'tickets' | 'analytics';
export const REPORT_KINDS: readonly ReportKind[] = ['conversations', 'tickets', 'analytics'];

export interface ReportSource {
  data: Repositories;
  handoff: Pick<HandoffService, 'records'>;
  timeZone?: string;
}

export interface ReportRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const seconds = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : Math.round((to - from) / 1000));

/** The report as CSV; the range is checked like the analytics report's (KEFU_ERR_ANALYTICS_RANGE_INVALID). */
export async function reportCsv(source: ReportSource, kind: ReportKind, range: ReportRange): Promise<string> {
  dayRange(range.from, range.to);
  if (kind === 'analytics') return analyticsCsv(source, range);
  const records = await handoffsIn(source, range);
  return kind === 'conversations' ? conversationsCsv(records) : ticketsCsv(source, records);
}

/** Handoffs requested on the range's days (read a day wider, then kept by local day). */
async function handoffsIn(source: ReportSource, range: ReportRange): Promise<HandoffRecord[]> {
  const dayOf = createDayOf(source.timeZone ?? 'UTC');
  const days = new Set(dayRange(range.from, range.to));
  const records = await source.handoff.records({ from: (parseDay(range.from) as number) - DAY_MS, to: (parseDay(range.to) as number) + 2 * DAY_MS });
  return records.filter((r) => days.has(dayOf(r.requestedAt)));
}

function conversationsCsv(records: readonly HandoffRecord[]): string {
  const header = ['handoff', 'conversation', 'channel', 'language', 'customer', 'verified', 'reason', 'topic', 'skill', 'priority', 'state', 'agent'];
  const times = ['requested_at', 'assigned_at', 'first_response_at', 'resolved_at', 'wait_s', 'first_response_s', 'handle_s', 'transfers', 'csat', 'ticket'];
  const rows = records.map((r): Cell[] => [
    r.id,
    r.key,
    r.ref.channel,
    r.locale,
    r.customer.name ?? r.customer.userId,
    !r.customer.visitor,
    r.reason,
    r.intent,
    r.skill,
    r.priority,
    r.state,
    r.agentId,
    iso(r.requestedAt),
    iso(r.assignedAt),
    iso(r.firstResponseAt),
    iso(r.resolvedAt),
    seconds(r.requestedAt, r.assignedAt),
    seconds(slaClockStart('agent', r), r.firstResponseAt), // the agent tier's SLA clock: from the request
    seconds(r.assignedAt, r.resolvedAt),
    r.transfers.length,
    r.csat,
    r.ticketId,
  ]);
  return toCsv([...header, ...times], rows);
}

async function ticketsCsv(source: ReportSource, records: readonly HandoffRecord[]): Promise<string> {
  const header = [
    'ticket',
    'conversation',
    'channel',
    'language',
    'customer',
    'cause',
    'topic',
    'priority',
    'status',
    'assignee',
    'created_at',
    'updated_at',
    'answers',
    'customer_messages',
  ];
  const rows: Cell[][] = [];
  for (const r of records) {
    const t = r.ticketId ? (await source.data.tickets.get(r.ticketId))?.value : undefined;
    if (!t) continue;
    const count = (action: string) => t.history.filter((h) => h.action === action).length;
    rows.push([
      t.id,
      t.key,
      t.ref.channel,
      t.locale,
      t.customer.name ?? t.customer.userId,
      t.cause,
      t.intent,
      t.priority,
      t.status,
      t.assigneeId,
      iso(t.createdAt),
      iso(t.updatedAt),
      count('answered'),
      count('customer'),
    ]);
  }
  return toCsv(header, rows);
}

async function analyticsCsv(source: ReportSource, range: ReportRange): Promise<string> {
  const timeZone = source.timeZone ?? 'UTC';
  const report = await buildReport({ data: source.data, handoff: source.handoff, dayOf: createDayOf(timeZone), timeZone }, range);
  const header = ['day', 'conversations', 'turns', 'bot_turns', 'fallback_rate', 'escalations', 'escalation_rate', 'automation_rate', 'wait_avg_s', 'wait_p90_s'];
  const more = ['first_response_avg_s', 'handle_avg_s', 'csat_count', 'csat_average'];
  const s = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 1000));
  const rows = report.days.map((d): Cell[] => [
    d.day,
    d.conversations,
    d.turns,
    d.botTurns,
    d.fallbackRate,
    d.escalations,
    d.escalationRate,
    d.automationRate,
    s(d.wait.avgMs),
    s(d.wait.p90Ms),
    s(d.firstResponse.avgMs),
    s(d.handle.avgMs),
    d.csat.count,
    d.csat.average,
  ]);
  return toCsv([...header, ...more], rows);
}
