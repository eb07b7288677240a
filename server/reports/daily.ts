/**
 * The optional daily reports (DAILY_REPORTS=file, slack or file,slack): after the daily audit has
 * verified a day, the day's conversations, tickets and analytics are written as CSV to
 * `DATA_DIR/reports/<date>-<kind>.csv` (mode 600) for whoever collects them, and/or a summary is
 * posted to Slack (daily-slack.ts); no email, no message text.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config, Logger } from '../../core';
import { REPORT_KINDS, type ReportSource, reportCsv } from './build';
import { createDailySlackReport, type SlackPoster } from './daily-slack';

export interface DailyReports {
  /** For the daily audit: runs every report the config asks for, for the day it verified; undefined when none. */
  afterDay?: (date: string) => Promise<void>;
  /** After the channels started: posts what a failure or a restart left owed. */
  start(): void;
}

/** The reports DAILY_REPORTS asks for; `slack` is the Slack side, or why it is off (logged, the file reports go on). */
export function wireDailyReports(
  config: Pick<Readonly<Config>, 'DAILY_REPORTS' | 'DATA_DIR'>,
  source: ReportSource,
  slack: { slack: SlackPoster; channel: string } | { off: string },
  log: Logger,
): DailyReports {
  const writers: Array<(date: string) => Promise<void>> = [];
  if (config.DAILY_REPORTS.includes('file')) writers.push(dailyReportWriter(source, config.DATA_DIR));
  let start = (): void => undefined;
  if (config.DAILY_REPORTS.includes('slack')) {
    if ('off' in slack) log.warn({ reports: 'slack' }, `daily slack report off: ${slack.off}`);
    else {
      const report = createDailySlackReport({ source, ...slack, log });
      writers.push(report.afterDay);
      start = () => void report.sendOwed();
    }
  }
  if (!writers.length) return { start };
  // Each report on its own: a file that cannot be written does not keep the Slack post back.
  const afterDay = async (date: string) => {
    const failed = (await Promise.allSettled(writers.map((w) => w(date)))).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return { afterDay, start };
}

export function dailyReportWriter(source: ReportSource, dataDir: string): (date: string) => Promise<void> {
  const dir = join(dataDir, 'reports');
  return async (date) => {
    await mkdir(dir, { recursive: true });
    for (const kind of REPORT_KINDS) {
      await writeFile(join(dir, `${date}-${kind}.csv`), await reportCsv(source, kind, { from: date, to: date }), { mode: 0o600 });
    }
  };
}
