/** `kefu eval`: accuracy of the intent classifier on a JSONL split or by cross-validation. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isKefuError, LOCALES, type Locale, loadConfig } from '../../core';
import { loadCorpora } from '../../intents';
import { crossValidate, type EvalReport, evaluateSplit } from '../../intents/eval/evaluate';
import { readJsonl } from '../../intents/eval/dataset';
import { formatHtmlReport } from '../../intents/eval/report-html';
import { formatTextReport } from '../../intents/eval/report-text';
import { createProgressBar } from '../../intents/progress-bar';
import type { CommandIo } from './train';

const HELP = `usage: kefu eval --train FILE --test FILE --lang en|zh [--valid FILE] [options]
       kefu eval --cv K [--locales DIR] [--lang en|zh] [options]

Trains the classifier and classifies every test utterance exactly as the bot does (threshold,
learned None/oos class, entities, sentiment). Files are JSONL, one {"text","intent"} per line;
rows with intent "oos" (or "None") are out of scope: the classifier may learn from them, and
must answer None for them in the test set.

  --train FILE       training rows
  --test FILE        rows to score
  --valid FILE       rows to fit the confidence calibration on (else cross-fitted on --train)
  --lang en|zh       language of the files
  --cv K             K-fold cross-validation on the bot's own corpora (<locales>/<lang>/corpus.json)
  --locales DIR      corpora folder for --cv (default: LOCALES_DIR, ./locales)
  --threshold P      None threshold on the calibrated probability (default: NLU_THRESHOLD, 0.5)
  --json             print one JSON object (accuracy, macroF1, inScopeAccuracy, oosRecall,
                     trainSeconds, utterancesPerSecond, peakRssMB, perIntent, confusions);
                     with --cv and no --lang, one object keyed by locale
  --html FILE        where to write the confusion matrix page
                     (default without --json: <DATA_DIR>/reports/eval-<lang>.html)
  --help             this text
`;

const OPTIONS = {
  train: { type: 'string' },
  test: { type: 'string' },
  valid: { type: 'string' },
  lang: { type: 'string' },
  cv: { type: 'string' },
  locales: { type: 'string' },
  threshold: { type: 'string' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  help: { type: 'boolean' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`kefu eval: ${message}\n\n${HELP}`);
  return 2;
}

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let values: Values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS }));
  } catch (err) {
    return usageError(io, err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (values.lang !== undefined && !LOCALES.includes(values.lang as Locale)) return usageError(io, `--lang must be one of ${LOCALES.join(', ')} (got "${values.lang}")`);
  const config = loadConfig();
  const threshold = values.threshold === undefined ? config.NLU_THRESHOLD : Number(values.threshold);
  if (!(threshold >= 0 && threshold <= 1)) return usageError(io, `--threshold must be a number from 0 to 1 (got "${values.threshold}")`);
  const bar = createProgressBar(io.stderr);
  const progress = (label: string) => (done: number, total: number) => bar.update(label, done, total);
  try {
    const reports = new Map<Locale, EvalReport>();
    if (values.cv !== undefined) {
      const k = Number(values.cv);
      if (!Number.isInteger(k) || k < 2 || k > 20) return usageError(io, `--cv must be an integer from 2 to 20 (got "${values.cv}")`);
      for (const [locale, corpus] of loadCorpora(values.locales ?? config.LOCALES_DIR)) {
        if (values.lang && values.lang !== locale) continue;
        reports.set(locale, await crossValidate(corpus.examples, k, { locale, threshold, onProgress: progress(`cv ${locale}`) }));
        bar.done();
      }
      if (reports.size === 0) return usageError(io, `no corpus for --lang ${values.lang}`);
    } else {
      if (!values.train || !values.test || !values.lang) return usageError(io, '--train, --test and --lang are required (or use --cv K)');
      const locale = values.lang as Locale;
      const valid = values.valid ? readJsonl(values.valid) : undefined;
      const report = await evaluateSplit(readJsonl(values.train), readJsonl(values.test), { locale, threshold, onProgress: progress(`train ${locale}`) }, valid);
      bar.done();
      reports.set(locale, report);
    }
    output(io, reports, values, join(config.DATA_DIR, 'reports'));
    return 0;
  } catch (err) {
    bar.done();
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu eval: ${err.code}: ${err.message}\n`);
    return 1;
  }
}

function output(io: CommandIo, reports: Map<Locale, EvalReport>, values: Values, reportsDir: string): void {
  for (const [locale, r] of reports) {
    const title = `kefu eval (${locale}${r.folds ? `, ${r.folds}-fold cross-validation` : ''})`;
    const html = values.html
      ? reports.size > 1
        ? values.html.replace(/(\.html?)?$/, `-${locale}$1`)
        : values.html
      : values.json
        ? undefined
        : join(reportsDir, `eval-${locale}.html`);
    if (html) {
      mkdirSync(dirname(html), { recursive: true });
      writeFileSync(html, formatHtmlReport(r, title));
    }
    if (!values.json) io.stdout.write(`${formatTextReport(r, title)}${html ? `\n  confusion matrix: ${html}\n` : ''}\n`);
  }
  if (values.json) {
    const strip = ({ matrix: _m, labels: _l, ...rest }: EvalReport) => rest;
    const single = reports.size === 1 && (values.lang !== undefined || values.cv === undefined);
    const body = single ? strip([...reports.values()][0] as EvalReport) : Object.fromEntries([...reports].map(([l, r]) => [l, strip(r)]));
    io.stdout.write(`${JSON.stringify(body)}\n`);
  }
}
