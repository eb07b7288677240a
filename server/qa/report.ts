/** Per-agent QA scores and the CSV export, from the day indexes (docs/quality.md). */
import { QA_FLAGS, type QaFlagCode, type QaResult } from './types';

export interface AgentQa {
  agentId: string;
  conversations: number;
  /** Mean score; a dismissed result counts as 100 (its flags were judged wrong). */
  averageScore: number;
  flagged: number;
  open: number;
  confirmed: number;
  dismissed: number;
  /** Flags raised on results not dismissed. */
  flags: Record<QaFlagCode, number>;
  avgFirstResponseMs?: number;
}

export const effectiveScore = (r: QaResult) => (r.status === 'dismissed' ? 100 : r.score);

function emptyAgent(agentId: string): AgentQa & { scoreSum: number; frSum: number; frCount: number } {
  const flags = Object.fromEntries(QA_FLAGS.map((c) => [c, 0])) as Record<QaFlagCode, number>;
  return { agentId, conversations: 0, averageScore: 0, flagged: 0, open: 0, confirmed: 0, dismissed: 0, flags, scoreSum: 0, frSum: 0, frCount: 0 };
}

export function agentScores(results: readonly QaResult[]): AgentQa[] {
  const byAgent = new Map<string, ReturnType<typeof emptyAgent>>();
  for (const r of results) {
    const a = byAgent.get(r.agentId) ?? emptyAgent(r.agentId);
    byAgent.set(r.agentId, a);
    a.conversations += 1;
    a.scoreSum += effectiveScore(r);
    if (r.flags.length > 0) a.flagged += 1;
    if (r.status === 'open' || r.status === 'confirmed' || r.status === 'dismissed') a[r.status] += 1;
    if (r.status !== 'dismissed') for (const f of r.flags) a.flags[f.code] += 1;
    if (r.metrics.firstResponseMs !== undefined) {
      a.frSum += r.metrics.firstResponseMs;
      a.frCount += 1;
    }
  }
  return [...byAgent.values()]
    .map(({ scoreSum, frSum, frCount, ...a }) => ({
      ...a,
      averageScore: Math.round((scoreSum / a.conversations) * 10) / 10,
      ...(frCount > 0 ? { avgFirstResponseMs: Math.round(frSum / frCount) } : {}),
    }))
    .sort((x, y) => (x.agentId < y.agentId ? -1 : 1));
}

const CSV_COLUMNS = [
  'handoff_id',
  'conversation',
  'resolved_at',
  'agent',
  'channel',
  'locale',
  'score',
  'status',
  'flags',
  'first_response_s',
  'max_reply_s',
  'unanswered',
  'sentiment_before',
  'sentiment_after',
  'decided_by',
] as const;

/** A CSV field: quoted when needed; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
function field(value: string | number | undefined): string {
  if (value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const secs = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);

export function toCsv(results: readonly QaResult[]): string {
  const rows = results.map((r) =>
    [
      r.id,
      r.key,
      new Date(r.resolvedAt).toISOString(),
      r.agentId,
      r.channel,
      r.locale,
      r.score,
      r.status,
      r.flags.map((f) => f.code).join(';'),
      secs(r.metrics.firstResponseMs),
      secs(r.metrics.maxReplyMs),
      r.metrics.unanswered,
      r.metrics.sentimentBefore,
      r.metrics.sentimentAfter,
      r.decidedBy,
    ]
      .map(field)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
