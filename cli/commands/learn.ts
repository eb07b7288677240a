/** `kefu learn`: the inbox of messages the bot did not understand, and exporting the labelled ones into the corpora. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isKefuError, LOCALES, type Locale, loadConfig, type Repositories, silentLogger } from '../../core';
import { createInbox, exportLabelled, type LocaleExport } from '../../plugins/analytics';
import { parseCorpus } from '../../intents';
import { buildData } from '../../server/build-data';
import type { CommandIo } from './train';

const HELP = `usage: kefu learn                      show the inbox: messages the bot did not understand
       kefu learn --export [--dry-run] [--new-intents] [--locales DIR]
       kefu learn --export --jsonl    print the labelled examples as JSONL, change nothing

Staff label unrecognised messages with an intent in the agent console (Inbox). --export appends
each labelled text to the utterances of its intent in <locales>/<lang>/corpus.json (the file keeps
its layout; a text already in the corpus is not added twice; one that is there under another
intent is reported and left labelled) and marks it exported. Run kefu train afterwards.

  --export        write the labelled examples into the corpora
  --jsonl         with --export: print {"text","intent","locale"} lines instead of writing
  --dry-run       with --export: say what would change, write nothing
  --new-intents   allow intents the corpus does not have yet (default: reported and skipped)
  --locales DIR   corpora folder (default: LOCALES_DIR, ./locales)
  --help          this text

Reads the store the server uses (DATA_DIR or MONGODB_URI, KEFU_ENCRYPTION_KEY).
`;

const OPTIONS = {
  export: { type: 'boolean' },
  jsonl: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'new-intents': { type: 'boolean' },
  locales: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export interface LearnCommandDeps {
  env?: Record<string, string | undefined>;
  /** Use this data instead of the configured store (tests). */
  data?: Repositories;
}

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }, deps: LearnCommandDeps = {}): Promise<number> {
  let values: { export?: boolean; jsonl?: boolean; 'dry-run'?: boolean; 'new-intents'?: boolean; locales?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS }));
  } catch (err) {
    io.stderr.write(`kefu learn: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if ((values.jsonl || values['dry-run'] || values['new-intents']) && !values.export) {
    io.stderr.write(`kefu learn: --jsonl, --dry-run and --new-intents go with --export\n\n${HELP}`);
    return 2;
  }
  const config = loadConfig(deps.env ?? process.env);
  const data = deps.data ?? (await buildData(config, silentLogger)).data;
  try {
    const inbox = createInbox({ data });
    if (!values.export) return await summary(inbox, io);
    if (values.jsonl) {
      for (const e of await inbox.list({ status: 'labelled' })) io.stdout.write(`${JSON.stringify({ text: e.text, intent: e.intent, locale: e.locale })}\n`);
      return 0;
    }
    const localesDir = values.locales ?? config.LOCALES_DIR;
    const file = (locale: Locale) => join(localesDir, locale, 'corpus.json');
    const report = await exportLabelled(
      inbox,
      {
        name: file,
        read: (locale) => readFile(file(locale), 'utf8').catch(() => undefined),
        async write(locale, raw) {
          parseCorpus(raw, file(locale), locale); // kefu train must accept what is written
          await writeFile(file(locale), raw, 'utf8');
        },
      },
      { allowNewIntents: values['new-intents'] === true, dryRun: values['dry-run'] === true },
    );
    printExport(report, values['dry-run'] === true, io);
    return 0;
  } catch (err) {
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu learn: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    if (!deps.data) await data.close();
  }
}

async function summary(inbox: ReturnType<typeof createInbox>, io: CommandIo): Promise<number> {
  const entries = await inbox.list();
  if (!entries.length) {
    io.stdout.write('The inbox is empty: every message so far was understood (or none came yet).\n');
    return 0;
  }
  for (const locale of LOCALES) {
    const mine = entries.filter((e) => e.locale === locale);
    if (!mine.length) continue;
    const count = (s: string) => mine.filter((e) => e.status === s).length;
    io.stdout.write(`${locale}: ${count('open')} open, ${count('labelled')} labelled, ${count('dismissed')} dismissed, ${count('exported')} exported\n`);
    for (const e of mine.filter((x) => x.status === 'open').slice(0, 10)) {
      const guess = e.candidates[0] ? `  (best guess ${e.candidates[0].intent} ${e.candidates[0].score})` : '';
      io.stdout.write(`  ${String(e.count).padStart(4)}×  ${JSON.stringify(e.text)}${guess}\n`);
    }
  }
  io.stdout.write('Label them in the agent console (Inbox), then run kefu learn --export and kefu train.\n');
  return 0;
}

function printExport(report: readonly LocaleExport[], dryRun: boolean, io: CommandIo): void {
  if (!report.length) io.stdout.write('Nothing to export: no labelled messages.\n');
  for (const r of report) {
    if (r.noCorpus) {
      io.stdout.write(`${r.locale}: no corpus at ${r.file}; its labelled messages stay in the inbox\n`);
      continue;
    }
    io.stdout.write(`${r.locale}: ${dryRun ? 'would add' : 'added'} ${r.added.length} to ${r.file}\n`);
    for (const a of r.added) io.stdout.write(`  + ${a.intent}: ${JSON.stringify(a.text)}\n`);
    for (const s of r.skipped) {
      const why =
        s.reason === 'duplicate'
          ? 'already there'
          : s.reason === 'conflict'
            ? `already under ${s.other}; left labelled`
            : 'intent not in the corpus (--new-intents adds it); left labelled';
      io.stdout.write(`  = ${s.intent}: ${JSON.stringify(s.text)} (${why})\n`);
    }
  }
  if (!dryRun && report.some((r) => r.added.length)) io.stdout.write('Now run kefu train so the bot learns them.\n');
}
