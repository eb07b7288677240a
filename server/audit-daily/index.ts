/**
 * The daily automatic audit (docs/audit.md): once a day, after AUDIT_VERIFY_AT in its zone, the
 * day before is verified (`verifyDay`) and its signed digest written to `DATA_DIR/audit/`. It looks
 * every 10 minutes, and at start-up, so a day the server was down is caught up at the next start.
 * A failed verification is logged as an error (KEFU_ERR_AUDIT_CHAIN_BROKEN) and shown to
 * supervisors (console, `/healthz`). Several instances on one data dir write each day once.
 */

import type { Logger, Repositories } from '../../core';
import { createAuditLog } from '../../plugins/audit';
import { type DailyTime, dayBefore, localClock, startOfDay } from './clock';
import type { DailyDigest } from './digest';
import { digestDates, digestDir, readDigest, writeDigestOnce } from './files';
import { verifyDay } from './verify-day';

const LOOK_EVERY_MS = 10 * 60_000;

export interface DailyAuditOptions {
  data: Repositories;
  dataDir: string;
  /** Signs digests (the server secret's `audit-digest` key). */
  key: Buffer;
  at: DailyTime;
  log: Logger;
  now?: () => number;
  /** Runs once for each day verified here, after its digest is written (the daily reports). */
  afterDay?: (date: string) => Promise<void>;
}

export interface LastVerification {
  date: string;
  ok: boolean;
  verifiedAt: number;
  entries: number;
}

export interface DailyAudit {
  /** Verifies `date` now (default: the day before today in the zone) and writes its digest; undefined when it was already written. */
  run(date?: string): Promise<DailyDigest | undefined>;
  /** The newest digest's outcome. */
  last(): LastVerification | undefined;
  /** The newest digests, newest first. */
  recent(limit: number): Promise<DailyDigest[]>;
  stop(): void;
}

export async function startDailyAudit(opts: DailyAuditOptions): Promise<DailyAudit> {
  const now = opts.now ?? Date.now;
  const dir = digestDir(opts.dataDir);
  const audit = createAuditLog({ data: opts.data, now });
  let last: LastVerification | undefined;
  let running: Promise<DailyDigest | undefined> | undefined;

  const remember = (d: DailyDigest) => {
    if (!last || d.date >= last.date) last = { date: d.date, ok: d.ok, verifiedAt: d.verifiedAt, entries: d.entries };
  };
  const newest = (await digestDates(dir)).at(-1);
  const stored = newest ? await readDigest(dir, newest) : undefined;
  if (stored) remember(stored);

  async function verify(date: string): Promise<DailyDigest | undefined> {
    if (await readDigest(dir, date)) return undefined;
    const earlier = (await digestDates(dir)).filter((d) => d < date).at(-1);
    const previous = earlier ? await readDigest(dir, earlier) : undefined;
    const from = startOfDay(date, opts.at.zone);
    const to = startOfDay(localClock(from + 36 * 3_600_000, opts.at.zone).date, opts.at.zone);
    const digest = await verifyDay({ audit, date, from, to, ...(previous ? { previous } : {}), key: opts.key, now: now() });
    if (!(await writeDigestOnce(dir, digest))) return undefined;
    remember(digest);
    await opts.afterDay?.(date).catch((err: unknown) => opts.log.error({ date, reason: (err as Error).message }, 'daily reports not written'));
    if (digest.ok) opts.log.info({ date, entries: digest.entries }, 'daily audit: chain verified');
    else opts.log.error({ code: 'KEFU_ERR_AUDIT_CHAIN_BROKEN', date, seq: digest.problem?.seq, kind: digest.problem?.kind }, 'daily audit: the audit log is broken');
    return digest;
  }

  const run = (date?: string) => {
    running ??= verify(date ?? dayBefore(localClock(now(), opts.at.zone).date)).finally(() => {
      running = undefined;
    });
    return running;
  };

  /** After the day's time, yesterday's digest is due. */
  const look = () => {
    const clock = localClock(now(), opts.at.zone);
    if (clock.minutes < opts.at.hour * 60 + opts.at.minute) return;
    run().catch((err: unknown) => opts.log.error({ code: 'KEFU_ERR_AUDIT_CHAIN_BROKEN', reason: (err as Error).message }, 'daily audit could not run; it tries again'));
  };
  const timer = setInterval(look, LOOK_EVERY_MS);
  timer.unref();
  const first = setTimeout(look, 5000); // soon after start-up: a day missed while down is caught up
  first.unref();

  return {
    run,
    last: () => last,
    async recent(limit) {
      const dates = (await digestDates(dir)).slice(-limit).reverse();
      return (await Promise.all(dates.map((d) => readDigest(dir, d)))).filter((d): d is DailyDigest => d !== undefined);
    },
    stop: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
