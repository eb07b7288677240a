/**
 * `npm run bench triggers`: precision and recall of the escalation triggers (an explicit request
 * for a person, anger) and the false escalation rate, per language, on the labelled messages in
 * test/fixtures/triggers, with the demo bot's NLU (trained from locales/, cached in the temp dir)
 * and the handoff plugin at its default thresholds. `--mistakes` lists the rows decided wrongly.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCALES, loadConfig, silentLogger } from '../../core';
import { createNluClassifier } from '../../intents';
import { KIT_LOCALES_DIR } from '../../kit/dialogs';
import { loadTriggerCases, mistakes, type Rate, runTriggerCases, summarize, type TriggerOutcome, type TriggerReport } from './evaluate';

const HELP = `usage: npm run bench triggers [-- --mistakes] [--split dev|held-out] [--json]

Runs test/fixtures/triggers/<lang>.jsonl through the demo bot (real NLU, real handoff plugin).
Every third row is held out from tuning; the report covers all rows and the held-out rows apart.
`;

const pct = (r: Rate) => (r.value === undefined ? '   –  ' : `${(r.value * 100).toFixed(1).padStart(5)}%`);
const frac = (r: Rate) => `${pct(r)} (${r.hits}/${r.of})`.padEnd(18);

function lines(locale: string, scope: string, s: TriggerReport): string[] {
  return [
    `${locale} ${scope.padEnd(9)} ${String(s.rows).padStart(4)}  ${frac(s.request.precision)}${frac(s.request.recall)}${frac(s.anger.precision)}${frac(s.anger.recall)}${frac(s.falseEscalation)}${frac(s.gibberishNone)}${frac(s.questionsAsHours)}`,
  ];
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { mistakes: { type: 'boolean' }, split: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig({});
  const started = Date.now();
  const nlu = await createNluClassifier({
    localesDir: join(__dirname, '..', '..', 'locales'),
    baseLocalesDir: KIT_LOCALES_DIR,
    cacheDir: join(tmpdir(), 'kefu-bench-triggers'),
    threshold: config.NLU_THRESHOLD,
    log: silentLogger,
  });
  process.stderr.write(`bench triggers: demo NLU ready in ${((Date.now() - started) / 1000).toFixed(1)} s; anger threshold ${config.HANDOFF_ANGER_THRESHOLD}\n`);
  const results: Record<string, { all: TriggerReport; heldOut: TriggerReport; mistakes: TriggerOutcome[] }> = {};
  const out: string[] = ['lang scope     rows  request precision request recall    anger precision   anger recall      false escalation  gibberish → None  hours q → faq.hours'];
  for (const locale of LOCALES) {
    const rows = await runTriggerCases(nlu, locale, loadTriggerCases(locale));
    const heldOut = rows.filter((r) => r.split === 'held-out');
    results[locale] = { all: summarize(rows), heldOut: summarize(heldOut), mistakes: mistakes(rows) };
    out.push(...lines(locale, 'all', summarize(rows)), ...lines(locale, 'held-out', summarize(heldOut)));
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (values.mistakes) {
    for (const [locale, r] of Object.entries(results)) {
      for (const m of r.mistakes.filter((x) => !values.split || x.split === values.split)) {
        process.stdout.write(
          `  ${locale} [${m.split}] ${m.label.padEnd(9)} → ${m.intent.padEnd(14)} sentiment ${m.sentiment.toFixed(2).padStart(5)} ${m.reason ? `escalated: ${m.reason}` : 'stays with bot'}  ${m.text}\n`,
        );
      }
    }
  }
  return 0;
}
