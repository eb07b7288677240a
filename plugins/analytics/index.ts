/**
 * Analytics: daily counters per channel and language (in the store under `analytics:`), joined with
 * the handoff records into KPIs, and the inbox of messages the bot did not understand.
 * @example
 * const { service, plugin } = createAnalytics({ handoff: handoffService, timeZone: 'Asia/Shanghai' });
 * await engine.register(plugin, undefined); // counts in engine.data.counters, the inbox in engine.data.inbox
 * const r = await service.report({ from: '2025-01-01', to: '2025-01-31' });
 * r.totals.automationRate; r.days[0].conversations; r.byChannel.telegram.csat.average;
 * await service.inbox.label(id, 'order.status', 'anna');
 */
import type { Repositories } from '../../core/data';
import type { Engine, Plugin } from '../../core/engine';
import { KefuError } from '../../core/errors';
import { type Logger, silentLogger } from '../../core/logger';
import { createDayOf } from './day';
import { createInbox, type Inbox } from './inbox';
import { createAnalyticsPlugin } from './plugin';
import { buildReport } from './report';
import type { AnalyticsOptions, AnalyticsQuery, AnalyticsReport } from './types';

export { bucketCounters, bucketFromCounters, DAY_SCOPE_PREFIX, dayScope } from './buckets';
export { type LabelledExample, type MergeResult, mergeIntoCorpus, type SkipReason } from './corpus-merge';
export { createDayOf, type DayOf, dayRange, MAX_RANGE_DAYS, parseDay } from './day';
export { type CorpusFiles, exportLabelled, type LocaleExport } from './export';
export { createInbox, INTENT_ID, SALT_META, type Inbox, normalizeText, type UnrecognisedMessage } from './inbox';
export { buildReport, kpis, type ReportDeps, tierSplit } from './report';
export type * from './types';
export { REFERENCE_TIER_SPLIT } from './types';

export interface AnalyticsService {
  report(query: AnalyticsQuery): Promise<AnalyticsReport>;
  readonly inbox: Inbox;
  /** Resolves when counters and inbox writes started so far are saved (tests, shutdown). */
  idle(): Promise<void>;
}

export function createAnalytics(opts: AnalyticsOptions = {}): { service: AnalyticsService; plugin: Plugin<void> } {
  const timeZone = opts.timeZone ?? 'UTC';
  const dayOf = createDayOf(timeZone);
  if (opts.inboxLimit !== undefined && !(Number.isInteger(opts.inboxLimit) && opts.inboxLimit >= 1)) {
    throw new KefuError('KEFU_ERR_ANALYTICS_OPTIONS_INVALID', `inboxLimit must be a positive integer (got ${String(opts.inboxLimit)}).`);
  }
  let log: Logger = opts.logger ?? silentLogger;
  let engine: Engine | undefined;
  let data = opts.data;
  let inbox: Inbox | undefined;
  const background = new Set<Promise<unknown>>();

  const dataOrThrow = (): Repositories => {
    if (!data) throw new KefuError('KEFU_ERR_ANALYTICS_OPTIONS_INVALID', 'Analytics has no data: register its plugin on an engine first, or pass `data` to createAnalytics.');
    return data;
  };
  const getInbox = () => {
    inbox ??= createInbox({ data: dataOrThrow(), ...(opts.inboxLimit === undefined ? {} : { limit: opts.inboxLimit }), ...(opts.now ? { now: opts.now } : {}) });
    return inbox;
  };

  async function idle(): Promise<void> {
    while (background.size) await Promise.all([...background]);
    await engine?.counters.flush();
  }

  const service: AnalyticsService = {
    async report(query) {
      await engine?.counters.flush();
      return buildReport({ data: dataOrThrow(), dayOf, timeZone, ...(opts.handoff ? { handoff: opts.handoff } : {}) }, query);
    },
    get inbox() {
      return getInbox();
    },
    idle,
  };

  const plugin = createAnalyticsPlugin(
    {
      inbox: getInbox,
      dayOf,
      log: () => log,
      track(p) {
        background.add(p);
        void p.finally(() => background.delete(p));
      },
    },
    {
      attach(e: Engine) {
        engine = e;
        data ??= e.data;
        if (!opts.logger) log = e.log;
        getInbox();
      },
      async close() {
        while (background.size) await Promise.all([...background]);
      },
    },
  );
  return { service, plugin };
}
