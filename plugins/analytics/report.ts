/**
 * `report(query)`: the day buckets of the range (turn counters) joined with the handoff records
 * requested in it (escalations by reason, wait, first response, handle time, CSAT, through the
 * handoff's own `summarizeHandoffs`), as KPIs per day, per channel, per language and in total.
 */
import type { HandoffReason } from '../../core/context';
import { summarizeHandoffs } from '../handoff/metrics';
import type { HandoffRecord } from '../handoff/types';
import type { Repositories } from '../../core/data';
import { LOCALES, type Locale } from '../../core/model';
import { withStoreRetry } from '../../core/session-io';
import { addBuckets, bucketFromCounters, DAY_SCOPE_PREFIX, emptyBucket } from './buckets';
import { DAY_MS, type DayOf, dayRange, parseDay } from './day';
import { type AnalyticsQuery, type AnalyticsReport, type DayBucket, type HandoffSource, type Kpis, REFERENCE_TIER_SPLIT, type TierSplit } from './types';

const REASONS: readonly HandoffReason[] = ['requested', 'misunderstood', 'sentiment', 'rule', 'dialog'];
const TOP_INTENTS = 10;

export interface ReportDeps {
  data: Repositories;
  handoff?: HandoffSource;
  dayOf: DayOf;
  timeZone: string;
}

export async function buildReport(deps: ReportDeps, query: AnalyticsQuery): Promise<AnalyticsReport> {
  const days = dayRange(query.from, query.to);
  const inRange = new Set(days);
  const keep = (channel: string, locale: Locale) => (!query.channel || channel === query.channel) && (!query.locale || locale === query.locale);
  const rows = await withStoreRetry('read analytics', () => deps.data.counters.range(`${DAY_SCOPE_PREFIX}${query.from}`, `${DAY_SCOPE_PREFIX}${query.to}~`));
  const buckets = rows.flatMap((r) => {
    const b = bucketFromCounters(r.scope, r.values);
    return b && inRange.has(b.day) && keep(b.channel, b.locale) ? [b] : [];
  });
  // Local days can start up to 14 h either side of UTC midnight: read a little wider, then keep the days asked for.
  const from = (parseDay(query.from) as number) - DAY_MS;
  const to = (parseDay(query.to) as number) + 2 * DAY_MS;
  const records = ((await deps.handoff?.records({ from, to })) ?? []).filter((r) => inRange.has(deps.dayOf(r.requestedAt)) && keep(r.ref.channel, r.locale));

  const daysOut = days.map((day) => ({
    day,
    ...kpis(
      buckets.filter((b) => b.day === day),
      records.filter((r) => deps.dayOf(r.requestedAt) === day),
      deps.dayOf,
    ),
  }));
  const channels = [...new Set([...buckets.map((b) => b.channel), ...records.map((r) => r.ref.channel)])].sort();
  const byChannel = Object.fromEntries(
    channels.map((c) => [
      c,
      kpis(
        buckets.filter((b) => b.channel === c),
        records.filter((r) => r.ref.channel === c),
        deps.dayOf,
      ),
    ]),
  );
  const byLocale: AnalyticsReport['byLocale'] = {};
  for (const l of LOCALES) {
    const lb = buckets.filter((b) => b.locale === l);
    const lr = records.filter((r) => r.locale === l);
    if (lb.length || lr.length) byLocale[l] = kpis(lb, lr, deps.dayOf);
  }
  return {
    from: query.from,
    to: query.to,
    timeZone: deps.timeZone,
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.locale ? { locale: query.locale } : {}),
    totals: kpis(buckets, records, deps.dayOf),
    days: daysOut,
    byChannel,
    byLocale,
    referenceTiers: { ...REFERENCE_TIER_SPLIT },
  };
}

/** Bot-contained conversation-days, handoffs resolved by agents and by experts, and their shares of the conversations. */
export function tierSplit(conversations: number, escalatedConversations: number, records: readonly HandoffRecord[]): TierSplit {
  const resolved = records.filter((r) => r.state === 'resolved');
  const experts = resolved.filter((r) => r.level === 'expert').length;
  const agents = resolved.length - experts;
  const bot = Math.max(0, conversations - escalatedConversations);
  const share = (n: number) => Math.round(Math.min(1, n / conversations) * 10_000) / 10_000;
  return {
    bot,
    agents,
    experts,
    unresolved: records.length - resolved.length,
    ...(conversations > 0 ? { shares: { bot: share(bot), agents: share(agents), experts: share(experts) } } : {}),
  };
}

/** KPIs of some day buckets and the handoffs of the same slice. */
export function kpis(buckets: readonly DayBucket[], records: readonly HandoffRecord[], dayOf: DayOf): Kpis {
  const sum = buckets.reduce((acc, b) => addBuckets(acc, b), emptyBucket('', '', 'en'));
  const h = summarizeHandoffs(records);
  // A conversation that escalated twice in a day is one escalated conversation-day.
  const escalatedConversations = new Set(records.map((r) => `${r.key}\n${dayOf(r.requestedAt)}`)).size;
  const rate = (n: number, d: number) => (d > 0 ? Math.round(Math.min(1, n / d) * 10_000) / 10_000 : undefined);
  const escalationsByReason = Object.fromEntries(REASONS.map((r) => [r, h.byReason[r] ?? 0])) as Record<HandoffReason, number>;
  const escalationRateByReason: Kpis['escalationRateByReason'] = {};
  for (const r of REASONS) {
    const v = rate(escalationsByReason[r], sum.conversations);
    if (v !== undefined) escalationRateByReason[r] = v;
  }
  const escalationRate = rate(escalatedConversations, sum.conversations);
  const fallbackRate = rate(sum.fallbackTurns, sum.botTurns);
  return {
    conversations: sum.conversations,
    turns: sum.turns,
    botTurns: sum.botTurns,
    fallbackTurns: sum.fallbackTurns,
    noneTurns: sum.noneTurns,
    ...(fallbackRate === undefined ? {} : { fallbackRate }),
    escalations: h.handoffs,
    escalatedConversations,
    ...(escalationRate === undefined ? {} : { escalationRate, automationRate: Math.round((1 - escalationRate) * 10_000) / 10_000 }),
    escalationsByReason,
    escalationRateByReason,
    outcomes: h.byState,
    wait: h.wait,
    firstResponse: h.firstResponse,
    handle: h.handle,
    csat: h.csat,
    topIntents: Object.entries(sum.intents)
      .map(([intent, count]) => ({ intent, count }))
      .sort((a, b) => b.count - a.count || (a.intent < b.intent ? -1 : 1))
      .slice(0, TOP_INTENTS),
    tiers: tierSplit(sum.conversations, escalatedConversations, records),
  };
}
