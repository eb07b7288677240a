/** `kefu report <conversations|tickets|analytics> --from DATE --to DATE`: a CSV export to stdout (or --out FILE). */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isKefuError, loadConfig, silentLogger } from '../../core';
import { handoffsBetween } from '../../plugins/handoff';
import { buildData } from '../../server/build-data';
import { REPORT_KINDS, type ReportKind, reportCsv } from '../../server/reports/build';
import type { CommandIo } from './train';

const HELP = `usage: kefu report <${REPORT_KINDS.join('|')}> --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]

CSV of the conversations handed to people, their tickets, or the analytics figures per day, for the
days from..to (UTC), read from the store the server uses (DATA_DIR or MONGODB_URI). No message text.
`;

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let values: { from?: string; to?: string; out?: string; help?: boolean };
  let kind: string | undefined;
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
    });
    values = parsed.values;
    kind = parsed.positionals[0];
  } catch (err) {
    io.stderr.write(`kefu report: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!kind || !REPORT_KINDS.includes(kind as ReportKind) || !values.from || !values.to) {
    io.stderr.write(HELP);
    return 2;
  }
  const { data } = await buildData(loadConfig(), silentLogger);
  try {
    const csv = await reportCsv({ data, handoff: { records: (range) => handoffsBetween({ data }, range.from, range.to) } }, kind as ReportKind, {
      from: values.from,
      to: values.to,
    });
    if (values.out) await writeFile(values.out, csv);
    else io.stdout.write(csv);
    return 0;
  } catch (err) {
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu report: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    await data.close();
  }
}
