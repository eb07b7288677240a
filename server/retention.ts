/**
 * Retention (docs/privacy.md): once a day, and soon after start-up, records older than their
 * kind's period are deleted — messages (not those still in the outbox), finished handoffs,
 * resolved or closed tickets, inbox entries, and the customer links of conversations with nothing
 * newer than the messages' cutoff — a page at a time through each repository's indexed
 * `deleteOlderThan`. Idle sessions go after SESSION_TTL_DAYS (the stores' own sweep, run here
 * too). The audit chain is never swept: it must keep verifying; each sweep adds one entry with
 * the counts (actor 'retention').
 *
 * Several instances on one store: each looks every hour; the one whose compare-and-set on the
 * meta value `retention-sweep` wins runs the day's sweep, the others skip it (no Redis needed,
 * the store itself is the lease). The deletes are idempotent anyway.
 */
import type { Config, Logger, Repositories } from '../core';
import { createAuditLog } from '../plugins/audit';
import { claimDay, startDailyJob } from './daily-job';

export type RetentionKind = 'messages' | 'handoffs' | 'tickets' | 'inbox' | 'customerLinks' | 'sessions';
export type RetentionCounts = Record<RetentionKind, number>;

/** Days each kind is kept; 0 keeps it until erased. */
export interface RetentionPeriods {
  messagesDays: number;
  handoffsDays: number;
  ticketsDays: number;
  inboxDays: number;
  /** SESSION_TTL_DAYS: the stores expire idle sessions themselves; the sweep deletes the expired ones. */
  sessionsDays: number;
}

export interface RetentionOptions {
  data: Repositories;
  periods: RetentionPeriods;
  log: Logger;
  now?: () => number;
}

export interface Retention {
  /** Sweeps now unless a sweep ran (here or on another instance) in the last day; undefined when skipped. */
  sweepIfDue(): Promise<RetentionCounts | undefined>;
  /** Stops looking, and waits for a sweep in progress. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;
const FIRST_LOOK_MS = 5000;
const PAGE = 500;
/** The meta value recording the last sweep (`{ at }`), claimed with compare-and-set. */
export const RETENTION_META = 'retention-sweep';

export function retentionPeriodsOf(config: Readonly<Config>): RetentionPeriods {
  return {
    messagesDays: config.RETENTION_MESSAGES_DAYS,
    handoffsDays: config.RETENTION_HANDOFFS_DAYS,
    ticketsDays: config.RETENTION_TICKETS_DAYS,
    inboxDays: config.RETENTION_INBOX_DAYS,
    sessionsDays: config.SESSION_TTL_DAYS,
  };
}

/**
 * True when a RETENTION_* period is set: otherwise no sweep is started (the stores already sweep
 * expired sessions on their own, so SESSION_TTL_DAYS alone needs none, and writes no daily entry).
 */
export const retentionIsOn = (p: RetentionPeriods) => p.messagesDays > 0 || p.handoffsDays > 0 || p.ticketsDays > 0 || p.inboxDays > 0;

/** Deletes `page`-sized batches until one comes back short; resolves to the total. */
async function deleteInPages(remove: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await remove(PAGE);
    total += n;
    if (n < PAGE) return total;
    await new Promise((resolve) => setImmediate(resolve)); // let turns in between
  }
}

/** One sweep of every kind with a period, at `now`. */
export async function sweepRetention(data: Repositories, p: RetentionPeriods, now: number): Promise<RetentionCounts> {
  const cutoff = (days: number) => now - days * DAY_MS;
  const sweep = (days: number, remove: (cutoff: number, limit: number) => Promise<number>) => (days > 0 ? deleteInPages((limit) => remove(cutoff(days), limit)) : 0);
  return {
    messages: await sweep(p.messagesDays, (c, l) => data.messages.deleteOlderThan(c, l)),
    customerLinks: await sweep(p.messagesDays, (c, l) => data.sessions.deleteLinksOlderThan(c, l)),
    handoffs: await sweep(p.handoffsDays, (c, l) => data.handoffs.deleteOlderThan(c, l)),
    tickets: await sweep(p.ticketsDays, (c, l) => data.tickets.deleteOlderThan(c, l)),
    inbox: await sweep(p.inboxDays, (c, l) => data.inbox.deleteOlderThan(c, l)),
    sessions: p.sessionsDays > 0 ? await data.sessions.sweep() : 0,
  };
}

export function startRetention(opts: RetentionOptions): Retention {
  const { data, periods, log } = opts;
  const now = opts.now ?? Date.now;

  async function sweepOnce(): Promise<RetentionCounts | undefined> {
    const at = now();
    if (!(await claimDay(data, RETENTION_META, at))) return undefined;
    const counts = await sweepRetention(data, periods, at);
    const detail = { ...counts, messagesDays: periods.messagesDays, handoffsDays: periods.handoffsDays, ticketsDays: periods.ticketsDays, inboxDays: periods.inboxDays };
    await createAuditLog({ data, now }).append({ actor: 'retention', action: 'retention', target: data.kind, detail });
    log.info({ ...counts }, 'retention sweep');
    return counts;
  }

  const job = startDailyJob({ runOnce: sweepOnce, log, failed: 'retention sweep failed; it tries again', firstLookMs: FIRST_LOOK_MS });
  return { sweepIfDue: job.runIfDue, stop: job.stop };
}
