/**
 * What a server process costs, read from /proc (Linux): CPU seconds (utime + stime of the process,
 * of its live descendants, and of its reaped children) and resident memory. Used as deltas around
 * a cell, so a load generator on the same machine does not count.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** CLK_TCK from getconf (100 on every usual Linux). */
export function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  ppid: number;
  /** utime + stime + cutime + cstime, in ticks. */
  ticks: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): ProcStat {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14-17.
  const field = (n: number) => Number(rest[n - 3]);
  return { ppid: field(4), ticks: field(14) + field(15) + field(16) + field(17) };
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every live process below `pid` (children, grandchildren…). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) parentOf.set(Number(name), s.ppid);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** CPU seconds used so far by `pid` and everything below it. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of [pid, ...descendants(pid)]) ticks += readStat(p)?.ticks ?? 0;
  return ticks / clockTicks();
}

/** VmRSS of one process in bytes (0 once it is gone). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** RSS of the process itself and, separately, the sum over its descendants (kefu's esbuild service). */
export function treeRss(pid: number): { main: number; children: number } {
  return { main: rssBytes(pid), children: descendants(pid).reduce((s, p) => s + rssBytes(p), 0) };
}

/** Whole-machine CPU seconds so far: busy (all but idle and iowait) and iowait, from /proc/stat. */
export function machineSeconds(): { busy: number; iowait: number } {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user = 0, nice = 0, system = 0, , iowait = 0, irq = 0, softirq = 0, steal = 0] = first.trim().split(/\s+/).slice(1).map(Number);
    return { busy: (user + nice + system + irq + softirq + steal) / clockTicks(), iowait: iowait / clockTicks() };
  } catch {
    return { busy: 0, iowait: 0 };
  }
}
