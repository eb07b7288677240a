/**
 * `npm run bench -- e2e`: end-to-end load on kefu's web chat API, optionally side by side with the
 * botbuilder comparison bot (--compare), under a CPU profiler (--cpu-prof), or the storage phase
 * (--storage N). Progress goes to stderr; the report (plain-text tables) to stdout.
 */
import { isExpectedError } from './bench-error';
import { installBotbuilder } from './botbuilder';
import { createContext, progress, type RunContext, repoRoot, type StartRecord } from './context';
import { kefuCommand } from './kefu';
import { runMatrix } from './matrix';
import { type E2eOptions, HELP, parseOptions } from './options';
import { PROFILE_WARMUP_MS, profileTable, runProfile } from './profile';
import { cellTable, comparisonTable, floorTable, machineFacts, problems } from './report';
import { selfTest } from './self-test';
import { installCleanup } from './servers';
import { table } from './stats';
import { runStorage, storageText } from './storage';

export async function run(argv: string[]): Promise<number> {
  try {
    return await runE2e(argv);
  } catch (err) {
    if (!isExpectedError(err)) throw err;
    process.stderr.write(`bench e2e: ${err.message}\n`);
    return 1;
  }
}

async function runE2e(argv: string[]): Promise<number> {
  const opts = parseOptions(argv);
  if (opts === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (opts.selfTest) return selfTest();
  installCleanup();
  const install = opts.compare && !opts.cpuProf && !opts.storage ? installBotbuilder(opts.compare, repoRoot()) : undefined;
  const ctx = createContext(opts);
  try {
    const body = await runMode(ctx, opts, install);
    process.stdout.write(`\n${machineFacts(['e2e', ...argv])}\nkefu runs as: ${kefuCommand(opts.cpuProf)}\n\n${body}\n`);
    return 0;
  } finally {
    ctx.dispose();
  }
}

async function runMode(ctx: RunContext, opts: E2eOptions, install: ReturnType<typeof installBotbuilder> | undefined): Promise<string> {
  if (opts.storage) return `== storage ==\n${storageText(await runStorage(ctx, opts.storage))}`;
  if (opts.cpuProf) {
    const { report, dir } = await runProfile(ctx);
    return [
      cellSection(ctx, Math.max(opts.warmupMs, PROFILE_WARMUP_MS), false),
      `== top ${opts.top} functions by self time (kefu, ${dir}) ==\n${profileTable(report)}`,
      `== problems ==\n${problems(ctx.results)}`,
    ].join('\n\n');
  }
  if (install) progress(`botbuilder bot: ${install.reused ? 'reusing' : 'installed'} ${install.dir}`);
  const findings = await runMatrix(ctx, install);
  const sections = [cellSection(ctx)];
  if (install) sections.push(`== kefu / botbuilder ==\n${comparisonTable(ctx.results)}`);
  if (ctx.opts.floor) sections.push(`== against the floor (HTTP + classifier only; CPU µs per message) ==\n${floorTable(ctx.results)}`);
  sections.push(`== start-up (spawn → first 200 from GET /healthz) ==\n${startupTable(ctx)}`);
  if (ctx.notes.length) sections.push(`== notes ==\n${ctx.notes.join('\n')}`);
  sections.push(`== problems seen by the load generator ==\n${problems(ctx.results)}`, `== kefu's own log ==\n${findings.join('\n')}`);
  return sections.join('\n\n');
}

/** Start-ups grouped by target and kind: how many, median, min and max ms. */
function startupTable(ctx: RunContext): string {
  const groups = new Map<string, StartRecord[]>();
  for (const s of ctx.starts) groups.set(`${s.target}\t${s.what}`, [...(groups.get(`${s.target}\t${s.what}`) ?? []), s]);
  const rows = [...groups].map(([key, list]) => {
    const [target = '', what = ''] = key.split('\t');
    const ms = list.map((s) => s.ms).sort((a, b) => a - b);
    return [
      target,
      String(list.length),
      median(ms),
      (ms[0] as number).toFixed(0),
      (ms.at(-1) as number).toFixed(0),
      median(list.map((s) => s.firstEnMs ?? 0)),
      median(list.map((s) => s.firstZhMs ?? 0)),
      what,
    ];
  });
  return `${table(['target', 'n', 'median ms', 'min', 'max', '1st en ms', '1st zh ms', 'what'], rows)}\n(1st en/zh: the first English and Chinese message after the start, medians; the bench sends them before any cell)`;
}

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0).toFixed(0);
}

function cellSection(ctx: RunContext, warmupMs = ctx.opts.warmupMs, processWarmed = true): string {
  const o = ctx.opts;
  const what = o.messages ? `${o.messages} answers per cell` : `${o.durationMs / 1000} s per cell`;
  const process =
    processWarmed && o.processWarmupMs
      ? `; each fresh server first answered ${o.processWarmupMs / 1000} s of the no-escalation mix, unmeasured (queued cells: after the fill)`
      : '';
  return `== cells (${what} after ${warmupMs / 1000} s warm-up${process}; latencies in ms; +Nq = N escalations waiting; queue/escalated = kefu's console API) ==\n${cellTable(ctx.results)}`;
}
