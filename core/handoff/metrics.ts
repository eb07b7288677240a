/** `metrics()`: counts and averages for analytics, computed from the stored records and counters. */
import type { HandoffReason } from '../context';
import type { Desk } from './desk';
import type { HandoffMetrics, HandoffRecord, HandoffState, TicketStatus } from './types';

export async function computeMetrics(desk: Desk): Promise<HandoffMetrics> {
  const { repo } = desk;
  const [counters, active, done, tickets, outboxPending] = await Promise.all([repo.counters(), repo.allActive(), repo.allDone(), repo.allTickets(), desk.outbox.pendingCount()]);
  const all: HandoffRecord[] = [...active, ...done];
  const byState: Record<HandoffState, number> = { queued: 0, assigned: 0, resolved: 0, ticket: 0, cancelled: 0 };
  const byReason: Partial<Record<HandoffReason, number>> = {};
  for (const r of all) {
    byState[r.state] += 1;
    byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  }
  const ticketCounts: Record<TicketStatus, number> = { open: 0, pending: 0, resolved: 0, closed: 0 };
  for (const t of tickets) ticketCounts[t.status] += 1;
  const avg = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : undefined);
  const waits = all.filter((r) => r.assignedAt !== undefined).map((r) => (r.assignedAt as number) - r.requestedAt);
  const firsts = all.filter((r) => r.firstResponseAt !== undefined && r.assignedAt !== undefined).map((r) => (r.firstResponseAt as number) - (r.assignedAt as number));
  const handles = all.filter((r) => r.resolvedAt !== undefined && r.assignedAt !== undefined).map((r) => (r.resolvedAt as number) - (r.assignedAt as number));
  const ratings = all.map((r) => r.csat).filter((c): c is number => c !== undefined);
  const conversations = counters.conversations;
  const optional = (name: 'avgWaitMs' | 'avgFirstResponseMs' | 'avgHandleMs', v: number | undefined) => (v === undefined ? {} : { [name]: Math.round(v) });
  const csatAverage = avg(ratings);
  return {
    conversations,
    turns: counters.turns,
    botTurns: counters.botTurns,
    escalatedConversations: counters.escalatedConversations,
    handoffs: all.length,
    byState,
    byReason,
    automationRate: conversations ? 1 - counters.escalatedConversations / conversations : 1,
    escalationRate: conversations ? counters.escalatedConversations / conversations : 0,
    ...optional('avgWaitMs', avg(waits)),
    ...optional('avgFirstResponseMs', avg(firsts)),
    ...optional('avgHandleMs', avg(handles)),
    csat: csatAverage === undefined ? { count: 0 } : { count: ratings.length, average: Math.round(csatAverage * 100) / 100 },
    tickets: ticketCounts,
    outboxPending,
  };
}
