/**
 * The daily report as a Slack post (DAILY_REPORTS=slack, docs/reports.md): after the daily audit has
 * verified a day, a short summary of it goes to the alerts channel (SLACK_ALERTS_CHANNEL, default
 * the support channel). A day is first written down as owed (`reports:slack` in `data.meta`, by
 * compare-and-set), claimed by one process, posted, then marked posted (a day is posted once);
 * a post that fails is logged and stays owed, and is tried again at the next day boundary or the
 * next start. Never throws: a report is not worth an outage.
 * @example
 * const report = createDailySlackReport({ source, slack: { postMessage: (a) => app.client.chat.postMessage(a) }, channel: 'C0123', log });
 * await startDailyAudit({ ..., afterDay: report.afterDay });
 * void report.sendOwed(); // at start-up: days a failure or a restart left owed
 */
import { asCodedError, changeMeta, isKefuError, type Logger, type Repositories } from '../../core';
import type { ReportSource } from './build';
import { buildDailySummary, dailySummaryLines } from './daily-summary';

const OWED = 'reports:slack';
/** A claim older than this was left by a process that died mid-post: the day is owed again. */
const CLAIM_MS = 10 * 60_000;
/** Days remembered (owed or posted); beyond that the oldest are forgotten (an owed one with a warning). */
const MAX_DAYS = 31;
const MAX_ATTEMPTS = 5;

/** The one Web API call the report needs (the Slack channel's client, described structurally). */
export interface SlackPoster {
  postMessage(args: { channel: string; text: string; blocks: Array<Record<string, unknown>>; unfurl_links: false }): Promise<unknown>;
}

export interface DailySlackReportOptions {
  source: ReportSource;
  slack: SlackPoster;
  channel: string;
  log: Logger;
  now?: () => number;
}

interface OwedDay {
  attempts: number;
  claimedAt?: number;
  postedAt?: number;
}
type Owed = Record<string, OwedDay>;

export interface DailySlackReport {
  /** For the daily audit's `afterDay`: owes the day, then posts every owed day. */
  afterDay(date: string): Promise<void>;
  /** Posts the days still owed, oldest first (start-up, tests). */
  sendOwed(): Promise<void>;
}

/** Changes the owed days by compare-and-set; resolves to what was stored, or undefined when `change` declined. */
async function changeOwed(data: Repositories, change: (owed: Owed) => Owed | undefined): Promise<Owed | undefined> {
  try {
    return await changeMeta<Owed>(data, OWED, (stored) => change({ ...(stored ?? {}) }), { what: 'the owed daily reports', attempts: MAX_ATTEMPTS });
  } catch (err) {
    if (isKefuError(err, 'KEFU_ERR_STORE_CONFLICT')) return undefined; // another instance kept changing it: it is handled there
    throw err;
  }
}

function newestOnly(owed: Owed, log: Logger): Owed {
  const dates = Object.keys(owed).sort();
  for (const old of dates.slice(0, Math.max(0, dates.length - MAX_DAYS))) {
    if (owed[old]?.postedAt === undefined) log.warn({ date: old }, 'daily slack report dropped: owed for too long');
    delete owed[old];
  }
  return owed;
}

export function createDailySlackReport(opts: DailySlackReportOptions): DailySlackReport {
  const { data } = opts.source;
  const now = opts.now ?? Date.now;
  let sending: Promise<void> | undefined;

  /** Takes the day for this process (one post across instances); false when another has it or it is not owed. */
  const claim = async (date: string) =>
    (await changeOwed(data, (owed) => {
      const day = owed[date];
      if (!day || day.postedAt !== undefined || (day.claimedAt !== undefined && now() - day.claimedAt < CLAIM_MS)) return undefined;
      owed[date] = { ...day, claimedAt: now() };
      return owed;
    })) !== undefined;

  async function post(date: string): Promise<void> {
    const lines = dailySummaryLines(await buildDailySummary(opts.source, date));
    await opts.slack.postMessage({
      channel: opts.channel,
      text: lines.join('\n'),
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }],
      unfurl_links: false,
    });
  }

  async function sendOne(date: string): Promise<void> {
    if (!(await claim(date))) return;
    try {
      await post(date);
      await changeOwed(data, (owed) => ({ ...owed, [date]: { attempts: (owed[date]?.attempts ?? 0) + 1, postedAt: now() } }));
      opts.log.info({ date }, 'daily slack report posted');
    } catch (err) {
      const attempts = (await changeOwed(data, (owed) => (owed[date] ? { ...owed, [date]: { attempts: (owed[date]?.attempts ?? 0) + 1 } } : undefined)))?.[date]?.attempts;
      opts.log.error({ code: asCodedError(err).code, date, attempts }, 'daily slack report not posted; tried again at the next day or start');
    }
  }

  async function sendAll(): Promise<void> {
    const owed = (await data.meta.get<Owed>(OWED))?.value ?? {};
    for (const [date, day] of Object.entries(owed).sort(([a], [b]) => a.localeCompare(b))) if (day.postedAt === undefined) await sendOne(date);
  }

  const sendOwed = (): Promise<void> => {
    sending ??= sendAll()
      .catch((err: unknown) => opts.log.error({ code: asCodedError(err).code }, 'daily slack reports not sent; tried again at the next day or start'))
      .finally(() => {
        sending = undefined;
      });
    return sending;
  };

  return {
    async afterDay(date) {
      await sending; // one pass at a time; this one includes the new day
      await changeOwed(data, (owed) => (owed[date] ? undefined : newestOnly({ ...owed, [date]: { attempts: 0 } }, opts.log))).catch((err: unknown) =>
        opts.log.error({ code: asCodedError(err).code, date }, 'daily slack report not noted'),
      );
      await sendOwed();
    },
    sendOwed,
  };
}
