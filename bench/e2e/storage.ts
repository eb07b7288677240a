/**
 * `--storage N`: N new conversations (one message each from the no-escalation mix, 64 at a time)
 * on a fresh kefu, then the SQLite files' size per conversation (kefu.db + -wal, live and after a
 * graceful stop), the server's RSS, and the time a restart on that data takes to answer /healthz.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { progress, type RunContext } from './context';
import type { JsonClient } from './http-client';
import { openConnections, sleep } from './load';
import { describeFindings, scanKefuLog } from './log-scan';
import { buildMix, createRng } from './mix';
import { treeRss } from './proc';
import { waitQuiet } from './quiet';
import { fmt, type LatencySummary, summarizeLatencies } from './stats';
import { startKefuOn, startKefuTarget, stopTarget } from './targets';

const IDLE_MS = 10_000;

export interface StorageReport {
  conversations: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
  latency: LatencySummary;
  live: DbFiles;
  closed: DbFiles;
  rssAfterLoad: { main: number; children: number };
  /** The same, IDLE_MS later (whether the growth is garbage not yet collected). */
  rssAfterIdle: { main: number; children: number };
  stopMs: number;
  coldStartMs: number;
  restartMs: number;
  rssAfterRestart: { main: number; children: number };
  firstTurnAfterRestartMs: number;
  firstChineseTurnAfterRestartMs: number;
  log: string;
}

export interface DbFiles {
  db: number;
  wal: number;
  shm: number;
}

export function dbFiles(dataDir: string): DbFiles {
  const size = (f: string) => {
    try {
      return statSync(join(dataDir, f)).size;
    } catch {
      return 0;
    }
  };
  return { db: size('kefu.db'), wal: size('kefu.db-wal'), shm: size('kefu.db-shm') };
}

export async function runStorage(ctx: RunContext, n: number): Promise<StorageReport> {
  progress(`storage: ${n} conversations`);
  await waitQuiet(ctx.opts.quietWaitMs);
  const first = await startKefuTarget(ctx, 'storage');
  const dataDir = first.dataDir as string;
  let measured: Pick<StorageReport, 'conversations' | 'errors' | 'errorSamples' | 'seconds' | 'latency' | 'rssAfterLoad' | 'rssAfterIdle' | 'live'>;
  try {
    const load = await createConversations(ctx, first.client, n);
    const rssAfterLoad = treeRss(first.server.pid);
    await sleep(IDLE_MS);
    measured = { ...load, rssAfterLoad, rssAfterIdle: treeRss(first.server.pid), live: dbFiles(dataDir) };
  } catch (err) {
    await stopTarget(first);
    throw err;
  }
  const stopMs = await stopTarget(first);
  const closed = dbFiles(dataDir);
  const again = await startKefuOn(ctx, 'storage', dataDir, `${n} conversations`);
  try {
    const rssAfterRestart = treeRss(again.server.pid);
    const primed = ctx.starts.at(-1);
    const firstTurnAfterRestartMs = primed?.firstEnMs ?? Number.NaN;
    const firstChineseTurnAfterRestartMs = primed?.firstZhMs ?? Number.NaN;
    const log = describeFindings('kefu log, storage', scanKefuLog(first.server.logFile));
    return {
      ...measured,
      closed,
      stopMs,
      coldStartMs: first.server.startMs,
      restartMs: again.server.startMs,
      rssAfterRestart,
      firstTurnAfterRestartMs,
      firstChineseTurnAfterRestartMs,
      log,
    };
  } finally {
    await stopTarget(again);
  }
}

/** The storage figures as lines of text. */
export function storageText(r: StorageReport): string {
  const per = (f: DbFiles) => `${((f.db + f.wal) / r.conversations).toFixed(0)} B/conversation`;
  const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return [
    `conversations:        ${r.conversations} (one customer message each, 64 at a time) in ${r.seconds.toFixed(1)} s = ${(r.conversations / r.seconds).toFixed(0)}/s; errors ${r.errors}`,
    `latency while filling: p50 ${fmt(r.latency.p50)} ms, p95 ${fmt(r.latency.p95)} ms, p99 ${fmt(r.latency.p99)} ms, max ${fmt(r.latency.max)} ms`,
    `SQLite, live:         kefu.db ${mib(r.live.db)} + -wal ${mib(r.live.wal)} (+ -shm ${mib(r.live.shm)}) = ${per(r.live)}`,
    `SQLite, after stop:   kefu.db ${mib(r.closed.db)} + -wal ${mib(r.closed.wal)} = ${per(r.closed)}`,
    `RSS after the load:   ${mib(r.rssAfterLoad.main)} (children ${mib(r.rssAfterLoad.children)}); ${IDLE_MS / 1000} s later ${mib(r.rssAfterIdle.main)}`,
    `graceful stop:        ${r.stopMs.toFixed(0)} ms`,
    `cold start (empty):   ${r.coldStartMs.toFixed(0)} ms to /healthz (trains the NLU models)`,
    `restart on the data:  ${r.restartMs.toFixed(0)} ms to /healthz (models cached); RSS then ${mib(r.rssAfterRestart.main)} (children ${mib(r.rssAfterRestart.children)})`,
    `first turns after it: ${r.firstTurnAfterRestartMs.toFixed(1)} ms (English), then ${r.firstChineseTurnAfterRestartMs.toFixed(1)} ms (the first Chinese one), new conversations`,
    ...r.errorSamples.map((e) => `error: ${e}`),
    r.log,
  ].join('\n');
}

async function createConversations(ctx: RunContext, client: JsonClient, n: number) {
  const mix = buildMix(ctx.messages, 'no-escalation');
  const rng = createRng(ctx.opts.seed);
  const texts = Array.from({ length: n }, () => (mix[Math.floor(rng() * mix.length)] as { text: string }).text);
  const latencies: number[] = [];
  const r = { conversations: n, errors: 0, errorSamples: [] as string[], seconds: 0, latency: summarizeLatencies([]) };
  await openConnections(client, Math.min(64, n));
  const t0 = performance.now();
  let next = 0;
  const step = Math.max(1, Math.round(n / 10));
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      try {
        const res = await client.post('/api/web/messages', { conversationId: `${ctx.tag}-st-${i}`, text: texts[i] });
        if (res.status !== 200) noteError(r, `${res.status} ${res.body.slice(0, 300)}`);
      } catch (err) {
        noteError(r, `network ${err instanceof Error ? err.message : String(err)}`);
      }
      latencies.push(performance.now() - t);
      if ((i + 1) % step === 0) progress(`  ${i + 1} conversations, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(64, n) }, worker));
  r.seconds = (performance.now() - t0) / 1000;
  r.latency = summarizeLatencies(latencies);
  return r;
}

function noteError(r: { errors: number; errorSamples: string[] }, text: string): void {
  r.errors += 1;
  if (r.errorSamples.length < 5) r.errorSamples.push(text);
}
