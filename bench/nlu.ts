/**
 * `npm run bench:nlu`: trains on each dataset's train split and scores its valid split exactly
 * as the bot classifies (evaluateSplit), printing accuracy / in-scope accuracy / oos recall /
 * macro-F1, training seconds, classifications per second and peak memory. Each dataset runs in
 * its own child process so peak memory is per dataset. Prints a note and exits 0 when the
 * datasets are absent.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { evaluateSplitAt } from '../intents/eval/evaluate';
import { benchDir, DATASETS, datasetPresent, loadSplits } from './nlu-datasets';

const HELP = `usage: npm run bench:nlu [-- --dataset NAME] [--threshold P] [--json]

Datasets: ${DATASETS.map((d) => d.name).join(', ')} from ../shared/nlu-bench (or NLU_BENCH_DIR).
None thresholds: 0 on closed-set datasets (argmax, as published); clinc150 at 0.2 (picked on its
valid split) and at the bot's default 0.5. --threshold P scores every dataset at P instead.
`;

interface Row {
  dataset: string;
  note: string;
  targets: string;
  trainRows: number;
  validRows: number;
  accuracy: number;
  inScopeAccuracy: number;
  oosRecall?: number;
  macroF1: number;
  threshold: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  utterancesPerSecond: number;
  peakRssMB: number;
  loadAverage: number;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { dataset: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' }, child: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = benchDir();
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (values.child && values.dataset) {
    process.stdout.write(`${JSON.stringify(await runDataset(dir, values.dataset, threshold))}\n`);
    return 0;
  }
  const wanted = DATASETS.filter((d) => !values.dataset || d.name === values.dataset);
  const present = wanted.filter((d) => datasetPresent(dir, d.name));
  if (present.length === 0) {
    process.stdout.write(`bench nlu: no datasets found in ${dir} (set NLU_BENCH_DIR to the folder holding ${wanted.map((d) => d.name).join(', ')}); nothing to do.\n`);
    return 0;
  }
  process.stderr.write(`bench nlu: ${present.length} dataset(s) from ${dir}; ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(2)} at start\n`);
  const rows: Row[] = [];
  for (const d of present) {
    process.stderr.write(`  ${d.name} …\n`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1] as string, 'nlu', '--child', '--dataset', d.name, ...(threshold === undefined ? [] : ['--threshold', String(threshold)])],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (child.status !== 0) {
      process.stderr.write(`bench nlu: ${d.name} failed:\n${child.stderr}\n`);
      return 1;
    }
    rows.push(...(JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as Row[]));
  }
  process.stdout.write(values.json ? `${JSON.stringify(rows)}\n` : formatTable(rows));
  return 0;
}

async function runDataset(dir: string, name: string, thresholdOverride: number | undefined): Promise<Row[]> {
  const spec = DATASETS.find((d) => d.name === name);
  if (!spec) throw new Error(`unknown dataset ${name}`);
  const { train, valid, note } = loadSplits(dir, name);
  const thresholds = thresholdOverride === undefined ? spec.thresholds : [thresholdOverride];
  const reports = await evaluateSplitAt(train, valid, { locale: spec.locale }, thresholds);
  return reports.map((r) => ({
    dataset: name,
    note,
    targets: spec.targets,
    trainRows: train.length,
    validRows: valid.length,
    accuracy: r.accuracy,
    inScopeAccuracy: r.inScopeAccuracy,
    ...(r.oosRecall !== undefined ? { oosRecall: r.oosRecall } : {}),
    macroF1: r.macroF1,
    threshold: r.threshold,
    trainSeconds: r.trainSeconds,
    trainCpuSeconds: r.trainCpuSeconds,
    utterancesPerSecond: r.utterancesPerSecond,
    peakRssMB: r.peakRssMB,
    loadAverage: Number(loadavg()[0]?.toFixed(2)),
  }));
}

function formatTable(rows: Row[]): string {
  const pct = (x: number | undefined) => (x === undefined ? '–' : (x * 100).toFixed(1));
  const head = ['dataset', 'train', 'valid', 'acc', 'in-scope', 'oos rec', 'macro-F1', 'thr', 'train s', 'cpu s', 'cls/s', 'peak MB', 'load'];
  const body = rows.map((r) => [
    r.dataset,
    String(r.trainRows),
    String(r.validRows),
    pct(r.accuracy),
    pct(r.inScopeAccuracy),
    pct(r.oosRecall),
    pct(r.macroF1),
    String(r.threshold),
    r.trainSeconds.toFixed(1),
    r.trainCpuSeconds.toFixed(1),
    String(r.utterancesPerSecond),
    String(r.peakRssMB),
    r.loadAverage.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const notes = [...new Map(rows.map((r) => [r.dataset, `  ${r.dataset}: ${r.note}; target ${r.targets}`])).values()];
  return `${[line(head), ...body.map(line)].join('\n')}\n\nScores in % on the valid split; thr = None threshold; train s = wall clock, cpu s = CPU time of training.\n${notes.join('\n')}\n`;
}
