/**
 * The optional daily reports (DAILY_REPORTS=file): after the daily audit has verified a day, the
 * day's conversations, tickets and analytics are written as CSV to `DATA_DIR/reports/<date>-<kind>.csv`
 * (mode 600) for whoever collects them; no email, no message text.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPORT_KINDS, type ReportSource, reportCsv } from './build';

export function dailyReportWriter(source: ReportSource, dataDir: string): (date: string) => Promise<void> {
  const dir = join(dataDir, 'reports');
  return async (date) => {
    await mkdir(dir, { recursive: true });
    for (const kind of REPORT_KINDS) {
      await writeFile(join(dir, `${date}-${kind}.csv`), await reportCsv(source, kind, { from: date, to: date }), { mode: 0o600 });
    }
  };
}
