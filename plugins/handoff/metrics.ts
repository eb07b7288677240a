/**
 * Handoff figures, computed from the stored records: `metrics()` (the last 30 days' handoffs, with the all-time counters) and
 * `summarizeHandoffs(records)`, which analytics calls per day, channel and language so both report
 * wait, first response, handle time and CSAT the same way.
 */
import type { HandoffReason } from '../../core/context';
import type { Desk } from './desk';
import { slaClockStart } from './sla';
import type { HandoffMetrics, HandoffRecord, HandoffState } from './types';

/** Durations in ms: how many, the mean and the 90th percentile (nearest rank), rounded. */
export interface DurationStats {
  count: number;
  avgMs?: number;
  p90Ms?: number;
}

export interface CsatStats {
  count: number;
  /** Mean rating, 2 decimals; absent without ratings. */
  average?: number;
  /** How many rated 1, 2, 3, 4 and 5. */
  distribution: [number, number, number, number, number];
}

export interface HandoffStats {
  handoffs: number;
  byState: Record<HandoffState, number>;
  byReason: Partial<Record<HandoffReason, number>>;
  /** assigned − requested. */
  wait: DurationStats;
  /** first agent reply − assigned. */
  firstResponse: DurationStats;
  /** resolved − assigned. */
  handle: DurationStats;
  csat: CsatStats;
}

export function durationStats(values: readonly number[]): DurationStats {
  if (!values.length) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const avg = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1] as number;
  return { count: sorted.length, avgMs: Math.round(avg), p90Ms: Math.round(p90) };
}

export function summarizeHandoffs(records: readonly HandoffRecord[]): HandoffStats {
  const byState: Record<HandoffState, number> = { queued: 0, assigned: 0, resolved: 0, ticket: 0, cancelled: 0 };
  const byReason: Partial<Record<HandoffReason, number>> = {};
  const waits: number[] = [];
  const firsts: number[] = [];
  const handles: number[] = [];
  const distribution: CsatStats['distribution'] = [0, 0, 0, 0, 0];
  let ratingSum = 0;
  for (const r of records) {
    byState[r.state] += 1;
    byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    if (r.assignedAt !== undefined) {
      waits.push(r.assignedAt - r.requestedAt);
      // The agent tier's SLA clock: from the request, so queue time counts, as QA and the breach alerts count it.
      if (r.firstResponseAt !== undefined) firsts.push(r.firstResponseAt - slaClockStart('agent', r));
      if (r.resolvedAt !== undefined) handles.push(r.resolvedAt - r.assignedAt);
    }
    if (r.csat !== undefined && Number.isInteger(r.csat) && r.csat >= 1 && r.csat <= 5) {
      distribution[r.csat - 1] += 1;
      ratingSum += r.csat;
    }
  }
  const rated = distribution.reduce((s, n) => s + n, 0);
  return {
    handoffs: records.length,
    byState,
    byReason,
    wait: durationStats(waits),
    firstResponse: durationStats(firsts),
    handle: durationStats(handles),
    csat: rated ? { count: rated, average: Math.round((ratingSum / rated) * 100) / 100, distribution } : { count: 0, distribution },
  };
}

/** Handoff figures cover the handoffs requested in this window (the counters are all-time). */
export const METRICS_WINDOW_MS = 30 * 86_400_000;
const METRICS_MAX_RECORDS = 20_000;

/** Every handoff requested in [from, to), oldest first, read a page at a time (at most `max`). */
export async function handoffsBetween(desk: Pick<Desk, 'data'>, from: number, to: number, max = Number.POSITIVE_INFINITY): Promise<HandoffRecord[]> {
  const out: HandoffRecord[] = [];
  let after: string | undefined;
  do {
    const page = await desk.data.handoffs.requestedBetween(from, to, { limit: 500, ...(after ? { after } : {}) });
    out.push(...page.items);
    after = out.length < max ? page.next : undefined;
  } while (after);
  return out.slice(0, max);
}

export async function computeMetrics(desk: Desk): Promise<HandoffMetrics> {
  const { data } = desk;
  const at = desk.now();
  const [counters, records, tickets, outboxPending] = await Promise.all([
    data.counters.get('handoff'),
    handoffsBetween(desk, at - METRICS_WINDOW_MS, at + 1, METRICS_MAX_RECORDS),
    data.tickets.countByStatus(),
    data.messages.countPending(),
  ]);
  const stats = summarizeHandoffs(records);
  const count = (name: string) => counters[name] ?? 0;
  const conversations = count('conversations');
  const escalated = count('escalatedConversations');
  const optional = (name: keyof HandoffMetrics, v: number | undefined) => (v === undefined ? {} : { [name]: v });
  return {
    conversations,
    turns: count('turns'),
    botTurns: count('botTurns'),
    escalatedConversations: escalated,
    handoffs: stats.handoffs,
    byState: stats.byState,
    byReason: stats.byReason,
    automationRate: conversations ? 1 - escalated / conversations : 1,
    escalationRate: conversations ? escalated / conversations : 0,
    ...optional('avgWaitMs', stats.wait.avgMs),
    ...optional('p90WaitMs', stats.wait.p90Ms),
    ...optional('avgFirstResponseMs', stats.firstResponse.avgMs),
    ...optional('p90FirstResponseMs', stats.firstResponse.p90Ms),
    ...optional('avgHandleMs', stats.handle.avgMs),
    ...optional('p90HandleMs', stats.handle.p90Ms),
    csat: stats.csat.average === undefined ? { count: 0 } : { count: stats.csat.count, average: stats.csat.average },
    csatDistribution: stats.csat.distribution,
    tickets,
    outboxPending,
  };
}
