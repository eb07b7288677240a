/**
 * Reads a V8 .cpuprofile (`node --cpu-prof`) and lists the functions with the most self time,
 * aggregated by function name + url:line. Each sample's time is its gap to the next sample (the
 * last one runs to endTime); a time window (µs on the same monotonic clock as
 * `process.hrtime`) keeps only the samples of the measured cell.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchError } from './bench-error';
import { createTsLineMapper, type TsLineMapper } from './ts-lines';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber?: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTimeEntry {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface SelfTimeReport {
  entries: SelfTimeEntry[];
  totalMs: number;
  idleMs: number;
  samples: number;
  /** False when no window was given or no sample fell in it (then the whole profile is used). */
  windowed: boolean;
}

/** `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`: thread 0 is the main thread (worker threads write their own). */
const isMainThread = (f: string) => f.split('.').at(-3) === '0';

/** The newest main-thread profile in `dir` (the checkpoint worker's own profile is not the turns'). */
export function readNewestProfile(dir: string): CpuProfile {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile') && isMainThread(f))
    .sort();
  const file = files.at(-1);
  if (!file) throw new BenchError(`no .cpuprofile in ${dir}; the server must exit gracefully (SIGTERM) to write it.`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}

/** Self time per function, the `top` largest first; `(idle)` is reported apart, not ranked. */
export function topSelfTime(profile: CpuProfile, top: number, window?: { fromUs: number; toUs: number }, repo = '', tsLine: TsLineMapper = createTsLineMapper()): SelfTimeReport {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const samples = profile.samples ?? [];
  const stamps = timestamps(profile);
  const inWindow = (t: number) => !window || (t >= window.fromUs && t < window.toUs);
  const windowed = Boolean(window) && stamps.some(inWindow);
  const byKey = new Map<string, SelfTimeEntry>();
  let totalMs = 0;
  let idleMs = 0;
  let counted = 0;
  for (let i = 0; i < samples.length; i++) {
    const t = stamps[i] as number;
    if (windowed && !inWindow(t)) continue;
    const ms = (((stamps[i + 1] ?? profile.endTime) as number) - t) / 1000;
    const frame = frames.get(samples[i] as number);
    if (!frame) continue;
    counted += 1;
    totalMs += ms;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? location(frame, repo, tsLine) : '';
    const key = `${name} ${where}`;
    const e = byKey.get(key) ?? { name, where, selfMs: 0, share: 0 };
    e.selfMs += ms;
    byKey.set(key, e);
  }
  const entries = [...byKey.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  for (const e of entries) e.share = totalMs ? e.selfMs / totalMs : 0;
  return { entries, totalMs, idleMs, samples: counted, windowed };
}

/** url:line, with .ts lines mapped back through tsx's source maps (else the compiled line:column, marked). */
function location(frame: CallFrame, repo: string, tsLine: TsLineMapper): string {
  const path = frame.url.replace(/^file:\/\//, '');
  if (!path.endsWith('.ts')) return `${shortUrl(frame.url, repo)}:${frame.lineNumber + 1}`;
  const line = tsLine(path, frame.lineNumber, frame.columnNumber ?? 0);
  return line === undefined ? `${shortUrl(frame.url, repo)}:${frame.lineNumber + 1}:${(frame.columnNumber ?? 0) + 1} (compiled)` : `${shortUrl(frame.url, repo)}:${line}`;
}

/** Absolute sample times in µs: startTime plus the running sum of timeDeltas. */
function timestamps(profile: CpuProfile): number[] {
  const out: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas ?? []) {
    t += d;
    out.push(t);
  }
  return out;
}

/** file:///work/main/core/turn.ts → core/turn.ts; …/node_modules/x/y.js → x/y.js. */
export function shortUrl(url: string, repo: string): string {
  let u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) return u.slice(nm + '/node_modules/'.length);
  if (repo && u.startsWith(`${repo}/`)) u = u.slice(repo.length + 1);
  return u;
}
