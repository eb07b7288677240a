/**
 * The main run. Phases: each mix, then the realistic mix again with --queue escalations waiting.
 * Every cell (a phase at one concurrency) gets fresh servers, so a realistic cell starts with an
 * empty queue (the mix escalates ~8 % of messages, so the queue grows during the cell) and a queued
 * cell with exactly --queue waiting. kefu and botbuilder run each cell one after the other, the
 * order alternating from cell to cell.
 */
import type { BotbuilderInstall } from './botbuilder';
import { type ConsoleSession, consoleLogin, type HandoffCounters } from './console-api';
import { progress, type RunContext } from './context';
import { CONSOLE_AGENT } from './kefu';
import { type CellResult, type CellSpec, runCell, sleep } from './load';
import { describeFindings, type LogFindings, mergeFindings, scanKefuLog } from './log-scan';
import { buildMix, escalationTexts, type MixName } from './mix';
import { fillQueue } from './queue-fill';
import { measureQuietly, waitQuiet } from './quiet';
import { cellRow } from './report';
import { restartKefuTarget, startBotbuilderTarget, startFloorTarget, startKefuTarget, stopTarget, type Target } from './targets';

interface Phase {
  name: string;
  mixName: MixName;
  queue: number;
}

interface Tally {
  counters: HandoffCounters[];
  logs: LogFindings[];
  stopMs: number[];
}

export function phasesOf(ctx: RunContext): Phase[] {
  const out: Phase[] = ctx.opts.mixes.map((m) => ({ name: m, mixName: m, queue: 0 }));
  if (ctx.opts.queue > 0 && ctx.opts.mixes.includes('realistic')) out.push({ name: 'queued', mixName: 'realistic', queue: ctx.opts.queue });
  return out;
}

/** Runs every phase; returns what kefu's own logs said, per phase. */
export async function runMatrix(ctx: RunContext, install: BotbuilderInstall | undefined): Promise<string[]> {
  const findings: string[] = [];
  for (const phase of phasesOf(ctx)) {
    progress(`phase ${phase.name}${phase.queue ? ` (${phase.queue} escalations waiting)` : ''}`);
    const tally: Tally = { counters: [], logs: [], stopMs: [] };
    for (const [i, c] of ctx.opts.concurrency.entries()) await runCellPair(ctx, phase, c, i, install, tally);
    ctx.notes.push(describeTally(phase, tally));
    findings.push(describeFindings(`kefu log, phase ${phase.name}`, mergeFindings(tally.logs)));
  }
  return findings;
}

async function runCellPair(ctx: RunContext, phase: Phase, c: number, i: number, install: BotbuilderInstall | undefined, tally: Tally): Promise<void> {
  const name = `${phase.name}-c${c}`;
  let kefu = await startKefuTarget(ctx, name);
  let bb: Target | undefined;
  let floor: Target | undefined;
  try {
    bb = install ? await startBotbuilderTarget(ctx, install, name) : undefined;
    floor = ctx.opts.floor ? await startFloorTarget(ctx, name) : undefined;
    let desk = await consoleLogin(kefu.client, CONSOLE_AGENT, ctx.consolePassword);
    if (phase.queue) {
      const queued = await fillAll(ctx, phase, name, kefu, bb, desk);
      if (i === 0) {
        // Once per run: how long a restart takes with the queue in the store, and whether the queue comes back.
        kefu = await restartKefuTarget(ctx, kefu, name, `${queued} waiting in the queue`);
        desk = await consoleLogin(kefu.client, CONSOLE_AGENT, ctx.consolePassword);
        ctx.notes.push(`kefu restart with ${queued} queued: ${Math.round(kefu.server.startMs)} ms to /healthz; queue size after it ${await desk.queueSize()}`);
      }
    }
    const others = [bb, floor].filter((t): t is Target => t !== undefined);
    const order = i % 2 ? [...others, kefu] : [kefu, ...others];
    for (const t of order) await warmProcess(ctx, t, c, name); // after a queued phase's fill too: it sends one kind of message only
    for (const t of order) ctx.results.push(await measure(ctx, phase, t, c, t === kefu ? desk : undefined));
    tally.counters.push(await desk.counters());
  } finally {
    tally.stopMs.push(await stopTarget(kefu));
    if (bb) await stopTarget(bb);
    if (floor) await stopTarget(floor);
    tally.logs.push(scanKefuLog(kefu.server.logFile));
  }
}

/** The fresh server answers --process-warmup seconds of the no-escalation mix (nothing measured): its JIT reaches steady state. */
async function warmProcess(ctx: RunContext, t: Target, concurrency: number, name: string): Promise<void> {
  if (!ctx.opts.processWarmupMs) return;
  await runCell(t.server, t.client, {
    label: 'process warm-up',
    phase: `warm-${name}`,
    mixName: 'no-escalation',
    mix: buildMix(ctx.messages, 'no-escalation'),
    concurrency,
    warmupMs: 0,
    durationMs: ctx.opts.processWarmupMs,
    seed: ctx.opts.seed,
    idPrefix: `${ctx.tag}-${t.server.name.slice(0, 2)}-warm-${name}`,
  });
}

async function measure(ctx: RunContext, phase: Phase, t: Target, concurrency: number, desk: ConsoleSession | undefined): Promise<CellResult> {
  const spec: CellSpec = {
    label: `${phase.mixName} c${concurrency}${phase.queue ? ` +${phase.queue}q` : ''}`,
    phase: phase.name,
    mixName: phase.mixName,
    mix: buildMix(ctx.messages, phase.mixName),
    concurrency,
    warmupMs: ctx.opts.warmupMs,
    durationMs: ctx.opts.durationMs,
    ...(ctx.opts.messages ? { messages: ctx.opts.messages } : {}),
    seed: ctx.opts.seed,
    idPrefix: `${ctx.tag}-${t.server.name.slice(0, 2)}-${phase.name}-c${concurrency}`,
  };
  const r = await measureQuietly(async (attempt) => {
    const before = desk ? { queue: await desk.queueSize(), counters: await desk.counters() } : undefined;
    const res = await runCell(t.server, t.client, { ...spec, idPrefix: `${spec.idPrefix}-a${attempt}` });
    if (desk && before) {
      const after = await desk.counters();
      res.extra.queue = `${before.queue}→${await desk.queueSize()}`;
      res.extra.escalated = `+${after.escalatedConversations - before.counters.escalatedConversations}`;
    }
    return res;
  }, ctx.opts);
  progress(`  ${cellRow(r).join('  ')}`);
  await sleep(500);
  return r;
}

/** Fills kefu's queue to `phase.queue` waiting (topping up for the ones agents took), sends botbuilder as many; returns kefu's queue size. */
async function fillAll(ctx: RunContext, phase: Phase, name: string, kefu: Target, bb: Target | undefined, desk: ConsoleSession): Promise<number> {
  const texts = escalationTexts(ctx.messages);
  await waitQuiet(ctx.opts.quietWaitMs);
  const first = await fillQueue(kefu.client, texts, phase.queue, `${ctx.tag}-ke-fill-${name}`);
  const topUp = Math.max(0, phase.queue - (await desk.queueSize()));
  const second = topUp ? await fillQueue(kefu.client, texts, topUp, `${ctx.tag}-ke-fill2-${name}`) : undefined;
  const queued = await desk.queueSize();
  const sent = first.sent + (second?.sent ?? 0);
  const seconds = first.seconds + (second?.seconds ?? 0);
  ctx.notes.push(
    `kefu queue fill (${name}): ${sent} "talk to a human" conversations in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s, 64 at a time), ${first.errors + (second?.errors ?? 0)} errors; queue size then ${queued} (GET /console/api/state → queueSize)`,
  );
  for (const e of [...first.errorSamples, ...(second?.errorSamples ?? [])]) ctx.notes.push(`  kefu queue fill error: ${e}`);
  progress(`  kefu queue: ${queued} waiting after ${sent} escalations (${seconds.toFixed(1)} s)`);
  if (queued < phase.queue * 0.95) ctx.notes.push(`WARNING: kefu's queue holds ${queued}, short of ${phase.queue}.`);
  if (bb) {
    const b = await fillQueue(bb.client, texts, sent, `${ctx.tag}-bb-fill-${name}`);
    ctx.notes.push(
      `botbuilder fill (${name}): the same ${b.sent} conversations in ${b.seconds.toFixed(1)} s (${Math.round(b.sent / b.seconds)}/s), ${b.errors} errors (no queue there; they only add state)`,
    );
  }
  return queued;
}

function describeTally(phase: Phase, t: Tally): string {
  const sum = (f: (c: HandoffCounters) => number) => t.counters.reduce((s, c) => s + f(c), 0);
  const reasons: Record<string, number> = {};
  for (const c of t.counters) for (const [k, v] of Object.entries(c.byReason)) reasons[k] = (reasons[k] ?? 0) + v;
  const stops = t.stopMs.map((ms) => Math.round(ms)).join(', ');
  return `kefu ${phase.name} (all cells): ${sum((c) => c.turns)} turns, ${sum((c) => c.conversations)} conversations, ${sum((c) => c.escalatedConversations)} escalated; handoffs by reason ${JSON.stringify(reasons)}; graceful stops ${stops} ms`;
}
