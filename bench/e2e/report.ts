/** The plain-text report: machine facts, one row per cell, kefu/botbuilder ratios, and what went wrong. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { repoRoot } from './context';
import type { CellResult } from './load';
import { fmt, mb, table } from './stats';

export function machineFacts(argv: readonly string[]): string {
  const model = /model name\s*:\s*(.+)/.exec(safeRead('/proc/cpuinfo'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return [
    `machine: ${model}, ${cpus().length} cores, ${(Number(/MemTotal:\s+(\d+)/.exec(safeRead('/proc/meminfo'))?.[1] ?? 0) / 1024 / 1024).toFixed(1)} GB RAM, load average ${loadavg()[0]?.toFixed(2)} at the end`,
    `node ${process.version}, ${process.platform} ${process.arch}; ${new Date().toISOString()}; ${gitFacts()}`,
    `command: npx tsx bench/index.ts ${argv.join(' ')}   (cwd ${process.cwd()})`,
    'note: the load generator runs on the same machine (same 2 cores) as the server; "gen cpu%" is its own CPU per',
    '      cell, "other%" what the rest of the machine used meanwhile (100% = one core; more than a few % means a disturbed cell, see --retries).',
    '      msg/s/core = messages / server CPU seconds (utime+stime of the server process and its children, from /proc).',
  ].join('\n');
}

/** The commit under test, and whether the checkout had changes (other work in progress). */
function gitFacts(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: repoRoot() }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', cwd: repoRoot() }).trim().split('\n').filter(Boolean).length;
    return `kefu at ${sha}${dirty ? ` + ${dirty} modified files` : ''}`;
  } catch {
    return 'kefu commit unknown';
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const HEAD = ['target', 'cell', 'msgs', 'msg/s', 'msg/s/core', 'srv cpu%', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', '>1s', 'rss MB', 'gen cpu%', 'other%', 'notes'];

export function cellRow(r: CellResult): string[] {
  return [
    r.target,
    r.label,
    String(r.count),
    fmt(r.count / r.wallSeconds),
    fmt(r.serverCpuSeconds > 0 ? r.count / r.serverCpuSeconds : undefined),
    fmt((100 * r.serverCpuSeconds) / r.wallSeconds),
    fmt(r.latency.p50),
    fmt(r.latency.p95),
    fmt(r.latency.p99),
    fmt(r.latency.max),
    String(r.errors),
    String(r.slowCount),
    r.childRssBytes ? `${mb(r.rssBytes)}+${mb(r.childRssBytes)}` : mb(r.rssBytes),
    fmt((100 * r.generatorCpuSeconds) / r.wallSeconds),
    fmt((100 * r.otherCpuSeconds) / r.wallSeconds),
    [...(r.iowaitSeconds / r.wallSeconds > 0.05 ? [`iowait ${fmt((100 * r.iowaitSeconds) / r.wallSeconds)}%`] : []), ...Object.entries(r.extra)]
      .map((e) => (typeof e === 'string' ? e : `${e[0]} ${e[1]}`))
      .join(', '),
  ];
}

export function cellTable(results: readonly CellResult[]): string {
  return table(HEAD, results.map(cellRow));
}

/** kefu/botbuilder per cell, wall-clock and per core. */
export function comparisonTable(results: readonly CellResult[]): string {
  const rows: string[][] = [];
  for (const k of results.filter((r) => r.target === 'kefu')) {
    const b = results.find((r) => r.target === 'botbuilder' && r.label === k.label);
    if (!b) continue;
    const wall = (r: CellResult) => r.count / r.wallSeconds;
    const core = (r: CellResult) => (r.serverCpuSeconds > 0 ? r.count / r.serverCpuSeconds : Number.NaN);
    rows.push([
      k.label,
      fmt(wall(k)),
      fmt(wall(b)),
      `${(wall(k) / wall(b)).toFixed(2)}x`,
      fmt(core(k)),
      fmt(core(b)),
      `${(core(k) / core(b)).toFixed(2)}x`,
      fmt(k.latency.p99),
      fmt(b.latency.p99),
      `${mb(k.rssBytes)} / ${mb(b.rssBytes)}`,
    ]);
  }
  return table(['cell', 'kefu msg/s', 'bb msg/s', 'wall ratio', 'kefu /core', 'bb /core', 'core ratio', 'kefu p99', 'bb p99', 'rss MB k/bb'], rows);
}

/**
 * Against the floor (HTTP + classifier only), per cell: CPU µs per message of each target, what each
 * spends beyond the floor, and the budget beyond the floor that 2× botbuilder's msgs/s per core
 * would leave kefu (negative: out of reach for any bot on this API and classifier).
 */
export function floorTable(results: readonly CellResult[]): string {
  const usPerMsg = (r: CellResult | undefined) => (r && r.count > 0 && r.serverCpuSeconds > 0 ? (r.serverCpuSeconds / r.count) * 1e6 : Number.NaN);
  const rows: string[][] = [];
  for (const f of results.filter((r) => r.target === 'floor')) {
    const of = (target: CellResult['target']) => results.find((r) => r.target === target && r.label === f.label);
    const floor = usPerMsg(f);
    const kefu = usPerMsg(of('kefu'));
    const bb = usPerMsg(of('botbuilder'));
    rows.push([f.label, fmt(1e6 / floor), fmt(floor), fmt(kefu - floor), fmt(bb - floor), fmt(bb / 2 - floor)]);
  }
  return table(['cell', 'floor /core', 'floor µs/msg', 'kefu µs beyond', 'bb µs beyond', '2x bb leaves kefu µs'], rows);
}

/** Error texts and slow requests, exactly as received, for whoever owns the server. */
export function problems(results: readonly CellResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    for (const e of r.errorSamples) out.push(`${r.target} ${r.label}: error: ${e}`);
    for (const s of r.slow) {
      out.push(
        `${r.target} ${r.label}: slow ${Math.round(s.ms)} ms${s.warmup ? ' (warm-up)' : ''} (HTTP ${s.status}) conversation ${s.conversationId} text ${JSON.stringify(s.text)}`,
      );
    }
    const listed = r.slow.filter((s) => !s.warmup).length;
    if (r.slowCount > listed) out.push(`${r.target} ${r.label}: … ${r.slowCount - listed} more requests over 1 s in the cell`);
  }
  return out.length ? out.join('\n') : 'no errors, no request over 1 s.';
}
