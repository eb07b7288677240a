/**
 * The day's figures for the daily Slack report (docs/reports.md): conversations and who served
 * them (the bot alone, agents, experts), escalations, missed first-response targets per tier, the
 * CSAT average and the QA flags. Counts only: no message text, no names. Read like the CSV
 * reports: the analytics day buckets, the handoffs requested that day, QA's index of the day.
 */
import { buildReport, createDayOf, parseDay } from '../../plugins/analytics';
import type { HandoffRecord } from '../../plugins/handoff';
import { createQaStore } from '../qa/store';
import type { ReportSource } from './build';

const DAY_MS = 86_400_000;

export interface DailySummary {
  date: string;
  timeZone: string;
  conversations: number;
  byBot: number;
  byAgents: number;
  byExperts: number;
  /** Handoffs that ended otherwise (a ticket, the customer went back to the bot) or are still open. */
  unresolved: number;
  escalations: number;
  slaBreaches: { agent: number; expert: number };
  csat: { count: number; average?: number };
  qa: { scored: number; flagged: number };
}

/** How many of the handoffs missed each tier's first-response target. */
function countBreaches(records: readonly HandoffRecord[]): DailySummary['slaBreaches'] {
  return {
    agent: records.filter((r) => r.slaBreachedAt?.agent !== undefined).length,
    expert: records.filter((r) => r.slaBreachedAt?.expert !== undefined).length,
  };
}

export async function buildDailySummary(source: ReportSource, date: string): Promise<DailySummary> {
  const timeZone = source.timeZone ?? 'UTC';
  const dayOf = createDayOf(timeZone);
  const report = await buildReport({ data: source.data, handoff: source.handoff, dayOf, timeZone }, { from: date, to: date });
  const start = parseDay(date) as number;
  const records = (await source.handoff.records({ from: start - DAY_MS, to: start + 2 * DAY_MS })).filter((r) => dayOf(r.requestedAt) === date);
  const qaDay = await createQaStore(source.data).day(date); // QA indexes resolves by UTC day
  const t = report.totals;
  return {
    date,
    timeZone,
    conversations: t.conversations,
    byBot: t.tiers.bot,
    byAgents: t.tiers.agents,
    byExperts: t.tiers.experts,
    unresolved: t.tiers.unresolved,
    escalations: t.escalations,
    slaBreaches: countBreaches(records),
    csat: { count: t.csat.count, ...(t.csat.average !== undefined ? { average: t.csat.average } : {}) },
    qa: { scored: qaDay.items.length, flagged: qaDay.items.filter((i) => i.flags.length > 0).length },
  };
}

const share = (n: number, of: number) => (of > 0 ? ` (${Math.round((n / of) * 1000) / 10} %)` : '');

/** The summary as Slack mrkdwn lines (the post's text and its one section). */
export function dailySummaryLines(s: DailySummary): string[] {
  const breaches = s.slaBreaches.agent + s.slaBreaches.expert;
  return [
    `:bar_chart: *kefu daily report · ${s.date}* (${s.timeZone})`,
    `*Conversations* ${s.conversations}: contained by the bot ${s.byBot}${share(s.byBot, s.conversations)} · resolved by agents ${s.byAgents}${share(s.byAgents, s.conversations)} · by experts ${s.byExperts}${share(s.byExperts, s.conversations)} · other ${s.unresolved}`,
    `*Escalations* ${s.escalations} · *SLA breaches* ${breaches}${breaches ? ` (agent tier ${s.slaBreaches.agent}, expert tier ${s.slaBreaches.expert})` : ''}`,
    `*CSAT* ${s.csat.average !== undefined ? `${s.csat.average} / 5 (${s.csat.count} ratings)` : 'no ratings'} · *QA* ${s.qa.flagged} flagged of ${s.qa.scored} scored`,
  ];
}
