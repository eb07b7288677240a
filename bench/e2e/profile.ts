/**
 * `--cpu-prof`: kefu runs one cell (default no-escalation c8) under `node --cpu-prof`. A first plain
 * start trains the models so the profiled process starts from them; the profile is written when kefu
 * exits on SIGTERM, and only the samples inside the measured window are ranked by self time.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { progress, type RunContext } from './context';
import { readNewestProfile, type SelfTimeReport, topSelfTime } from './cpu-profile';
import { type CellResult, type CellSpec, runCell } from './load';
import { buildMix } from './mix';
import { measureQuietly } from './quiet';
import { fmt, table } from './stats';
import { startKefuTarget, stopTarget } from './targets';

/** A longer warm-up than the cells', so the profile shows the steady state (JIT done). */
export const PROFILE_WARMUP_MS = 5000;

export async function runProfile(ctx: RunContext): Promise<{ result: CellResult; report: SelfTimeReport; dir: string }> {
  const { mix, concurrency } = ctx.opts.cpuProfCell;
  progress('cpu-prof: a first start to train the models');
  await stopTarget(await startKefuTarget(ctx, 'train'));
  const dir = join(ctx.runDir, 'cpu-prof');
  mkdirSync(dir, { recursive: true });
  const warmupMs = Math.max(ctx.opts.warmupMs, PROFILE_WARMUP_MS);
  const spec: CellSpec = {
    label: `${mix} c${concurrency} (cpu-prof)`,
    phase: 'profiled',
    mixName: mix,
    mix: buildMix(ctx.messages, mix),
    concurrency,
    warmupMs,
    durationMs: ctx.opts.durationMs,
    ...(ctx.opts.messages ? { messages: ctx.opts.messages } : {}),
    seed: ctx.opts.seed,
    idPrefix: `${ctx.tag}-prof`,
  };
  const kefu = await startKefuTarget(ctx, 'profiled', dir);
  let result: CellResult;
  try {
    // One run only: the profile covers the process, so a re-run would mix windows.
    result = await measureQuietly(() => runCell(kefu.server, kefu.client, spec), { ...ctx.opts, retries: 0 });
  } finally {
    await stopTarget(kefu);
  }
  ctx.results.push(result);
  const report = topSelfTime(readNewestProfile(dir), ctx.opts.top, result.windowUs, ctx.repo);
  return { result, report, dir };
}

export function profileTable(report: SelfTimeReport): string {
  const rows = report.entries.map((e, i) => [String(i + 1), fmt(e.selfMs), `${(100 * e.share).toFixed(1)}%`, e.name, e.where]);
  const scope = report.windowed ? 'samples inside the measured window only' : 'WHOLE profile (no sample matched the window)';
  const busy = report.totalMs - report.idleMs;
  return [
    `${report.samples} samples, ${fmt(report.totalMs)} ms sampled (${scope}); idle ${fmt(report.idleMs)} ms, busy ${fmt(busy)} ms. % = share of all sampled time.`,
    table(['#', 'self ms', 'share', 'function', 'where'], rows),
  ].join('\n');
}
