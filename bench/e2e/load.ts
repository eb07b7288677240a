/**
 * One cell: `concurrency` workers, each running its own conversations one message at a time
 * (`POST /api/web/messages`) over keep-alive connections, first for the warm-up, then for the
 * measured window (a duration, or until `messages` answers). Counts only answers that arrive inside
 * the window; the server's CPU is read from /proc at both ends of it.
 */
import type { JsonClient } from './http-client';
import { type BenchMessage, createConversations, hashSeed, type MixName } from './mix';
import { cpuSeconds, machineSeconds, treeRss } from './proc';
import type { RunningServer } from './servers';
import { type LatencySummary, summarizeLatencies } from './stats';

export interface CellSpec {
  /** e.g. "realistic c8 (5000 queued)". */
  label: string;
  phase: string;
  mixName: MixName;
  mix: readonly BenchMessage[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Stop after this many answers instead of after durationMs. */
  messages?: number;
  seed: number;
  /** Conversation ids start with this; unique per run. */
  idPrefix: string;
}

export interface SlowRequest {
  ms: number;
  /** Answered during the warm-up (not in the cell's figures). */
  warmup: boolean;
  conversationId: string;
  text: string;
  status: number;
}

export interface CellResult {
  target: RunningServer['name'];
  label: string;
  phase: string;
  mixName: MixName;
  concurrency: number;
  count: number;
  wallSeconds: number;
  serverCpuSeconds: number;
  generatorCpuSeconds: number;
  /** CPU seconds the rest of the machine used in the window (busy minus server minus generator). */
  otherCpuSeconds: number;
  iowaitSeconds: number;
  latency: LatencySummary;
  errors: number;
  errorSamples: string[];
  slow: SlowRequest[];
  slowCount: number;
  rssBytes: number;
  childRssBytes: number;
  extra: Record<string, string>;
  /** The measured window on the monotonic clock, in µs (matches V8 .cpuprofile timestamps). */
  windowUs: { fromUs: number; toUs: number };
}

const SLOW_MS = 1000;

interface Window {
  measuring: boolean;
  stop: boolean;
  count: number;
  latencies: number[];
  errors: number;
  errorSamples: string[];
  slow: SlowRequest[];
  slowCount: number;
  onCount?: () => void;
}

export async function runCell(server: RunningServer, client: JsonClient, spec: CellSpec): Promise<CellResult> {
  await openConnections(client, spec.concurrency);
  const w: Window = { measuring: false, stop: false, count: 0, latencies: [], errors: 0, errorSamples: [], slow: [], slowCount: 0 };
  const workers = Array.from({ length: spec.concurrency }, (_, i) =>
    worker(client, w, createConversations(spec.mix, spec.mixName, hashSeed(spec.seed, spec.phase, spec.mixName, spec.concurrency, i), `${spec.idPrefix}-w${i}`)),
  );
  await sleep(spec.warmupMs);
  const a = snapshot(server.pid);
  w.measuring = true;
  await windowEnd(w, spec);
  const b = snapshot(server.pid);
  w.measuring = false;
  w.stop = true;
  await Promise.all(workers);
  return toResult(server, spec, w, a, b);
}

/** Clocks and CPU counters at one edge of the window. */
interface Snapshot {
  ms: number;
  us: number;
  serverCpu: number;
  generatorCpu: number;
  machine: { busy: number; iowait: number };
}

function snapshot(pid: number): Snapshot {
  const gen = process.cpuUsage();
  return { ms: performance.now(), us: monotonicUs(), serverCpu: cpuSeconds(pid), generatorCpu: (gen.user + gen.system) / 1e6, machine: machineSeconds() };
}

function toResult(server: RunningServer, spec: CellSpec, w: Window, a: Snapshot, b: Snapshot): CellResult {
  const serverCpuSeconds = b.serverCpu - a.serverCpu;
  const generatorCpuSeconds = b.generatorCpu - a.generatorCpu;
  const rss = treeRss(server.pid);
  return {
    target: server.name,
    label: spec.label,
    phase: spec.phase,
    mixName: spec.mixName,
    concurrency: spec.concurrency,
    count: w.count,
    wallSeconds: (b.ms - a.ms) / 1000,
    serverCpuSeconds,
    generatorCpuSeconds,
    otherCpuSeconds: Math.max(0, b.machine.busy - a.machine.busy - serverCpuSeconds - generatorCpuSeconds),
    iowaitSeconds: b.machine.iowait - a.machine.iowait,
    latency: summarizeLatencies(w.latencies),
    errors: w.errors,
    errorSamples: w.errorSamples,
    slow: w.slow,
    slowCount: w.slowCount,
    rssBytes: rss.main,
    childRssBytes: rss.children,
    extra: {},
    windowUs: { fromUs: a.us, toUs: b.us },
  };
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Opens the cell's keep-alive connections while the server is idle. New connections opened while a
 * Node server is saturated wait for their first answer up to ~1.5 s at c64 (kefu and botbuilder
 * alike, and a bare node:http server too), which would otherwise land in the window.
 */
export async function openConnections(client: JsonClient, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, () => client.get('/healthz')));
}

function windowEnd(w: Window, spec: CellSpec): Promise<void> {
  return new Promise((done) => {
    const target = spec.messages;
    if (!target) {
      setTimeout(done, spec.durationMs);
      return;
    }
    w.onCount = () => {
      if (w.count < target) return;
      w.onCount = undefined;
      done();
    };
  });
}

async function worker(client: JsonClient, w: Window, next: () => { conversationId: string; message: BenchMessage }): Promise<void> {
  while (!w.stop) {
    const { conversationId, message } = next();
    const t = performance.now();
    let status = 0;
    let body = '';
    try {
      ({ status, body } = await client.post('/api/web/messages', { conversationId, text: message.text }));
    } catch (err) {
      body = err instanceof Error ? err.message : String(err);
    }
    const ms = performance.now() - t;
    if (w.measuring) record(w, ms, status, body, conversationId, message.text);
    else if (ms > SLOW_MS && w.slow.length < 10 && !w.stop) w.slow.push({ ms, warmup: true, conversationId, text: message.text, status });
  }
}

function record(w: Window, ms: number, status: number, body: string, conversationId: string, text: string): void {
  w.count += 1;
  w.latencies.push(ms);
  const ok = status >= 200 && status < 300 && body.includes('"replies"');
  if (!ok) {
    w.errors += 1;
    if (w.errorSamples.length < 5) w.errorSamples.push(`${status || 'network'} ${body.slice(0, 400)}`);
  }
  if (ms > SLOW_MS) {
    w.slowCount += 1;
    if (w.slow.length < 10) w.slow.push({ ms, warmup: false, conversationId, text, status });
  }
  w.onCount?.();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
