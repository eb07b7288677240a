/** Command-line options of `npm run bench -- e2e`, with their defaults and the help text. */

import { parseArgs } from 'node:util';
import { BenchError } from './bench-error';
import { MIXES, type MixName } from './mix';

export interface E2eOptions {
  durationMs: number;
  warmupMs: number;
  /** Each fresh server first answers this long of the no-escalation mix, not measured (JIT warm: steady state). */
  processWarmupMs: number;
  messages?: number;
  concurrency: number[];
  mixes: MixName[];
  queue: number;
  compare?: string;
  /** Also run the floor server (HTTP + kefu's classifier only) in every cell. */
  floor: boolean;
  cpuProf: boolean;
  cpuProfCell: { mix: MixName; concurrency: number };
  top: number;
  storage?: number;
  logLevel: string;
  seed: number;
  keep: boolean;
  selfTest: boolean;
  quietWaitMs: number;
  retries: number;
}

export const HELP = `usage: npm run bench -- e2e [options]     (or: npx tsx bench/index.ts e2e [options])

End-to-end load on kefu's web chat API (POST /api/web/messages), with kefu started as npm start does.
Cells: each mix × each concurrency, plus the realistic mix again with --queue escalations waiting.

  --duration S         measured seconds per cell (default 10)
  --warmup S           warm-up seconds before each cell, with the cell's mix (default 2)
  --process-warmup S   before a fresh server's cell (every cell gets fresh servers; queued ones after the
                       fill), S seconds of the no-escalation mix at the cell's concurrency, for both bots,
                       not measured: the JIT-compiled steady state, not a process's first seconds (default 3; 0: off)
  --messages N         measure N answers per cell instead of a duration
  --concurrency LIST   concurrent conversations (default 1,8,64)
  --mix LIST           ${MIXES.join(',')} (default both)
  --queue N            escalations waiting in the queue phase (default 5000; 0 skips the phase)
  --compare DIR        also run the botbuilder bot from DIR (e.g. ../shared/bench/botbuilder-bot),
                       installed in a temp folder outside the repo, alternating with kefu per cell
  --floor              also run the floor in every cell: a bare node:http server that only classifies
                       (kefu's classifier and models) and answers the intent, no state, no store: what
                       any bot on this API and classifier pays before its own work (bench/e2e/floor-server.ts)
  --cpu-prof           run one cell with kefu under node --cpu-prof and print the top self-time functions
  --cpu-prof-cell M:cN the cell to profile (default no-escalation:c8)
  --top N              profile entries to print (default 25)
  --storage N          storage phase only: N conversations (one message each, 64 at a time), then the
                       SQLite size per conversation, RSS and restart time
  --quiet-wait S       before each cell, wait up to S s for other processes to go quiet (default 120; 0: don't)
  --retries N          run a cell again up to N times while other processes used > 25% of a core (default 2)
  --log-level L        kefu's LOG_LEVEL (default info, as npm start)
  --seed N             seed of the message sequence (default 1)
  --quick              2 s cells, 0.5 s warm-up, queue of 200, 5 s quiet wait, 1 retry: a smoke run
  --keep               keep the temp data folders
  --self-test          check the pure helpers (no servers, nothing timed)

Messages come from ../shared/bench/messages.json (or E2E_BENCH_DIR).
`;

const num = (v: string | undefined, name: string, def: number): number => {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new BenchError(`--${name} must be a number ≥ 0 (got "${v}")`);
  return n;
};

export function parseOptions(argv: string[]): E2eOptions | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'process-warmup': { type: 'string' },
      messages: { type: 'string' },
      concurrency: { type: 'string' },
      mix: { type: 'string' },
      queue: { type: 'string' },
      compare: { type: 'string' },
      floor: { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
      'cpu-prof-cell': { type: 'string' },
      top: { type: 'string' },
      storage: { type: 'string' },
      conversations: { type: 'string' },
      'log-level': { type: 'string' },
      'quiet-wait': { type: 'string' },
      retries: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean' },
      keep: { type: 'boolean' },
      'self-test': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return 'help';
  const quick = Boolean(v.quick);
  const storage = v.storage ?? v.conversations;
  return {
    durationMs: 1000 * num(v.duration, 'duration', quick ? 2 : 10),
    warmupMs: 1000 * num(v.warmup, 'warmup', quick ? 0.5 : 2),
    processWarmupMs: 1000 * num(v['process-warmup'], 'process-warmup', quick ? 0 : 3),
    ...(v.messages ? { messages: num(v.messages, 'messages', 0) } : {}),
    concurrency: (v.concurrency ?? '1,8,64').split(',').map((c) => Math.max(1, Math.round(num(c, 'concurrency', 1)))),
    mixes: parseMixes(v.mix),
    queue: Math.round(num(v.queue, 'queue', quick ? 200 : 5000)),
    ...(v.compare ? { compare: v.compare } : {}),
    floor: Boolean(v.floor),
    cpuProf: Boolean(v['cpu-prof']),
    cpuProfCell: parseCell(v['cpu-prof-cell'] ?? 'no-escalation:c8'),
    top: Math.round(num(v.top, 'top', 25)),
    ...(storage ? { storage: Math.round(num(storage, 'storage', 0)) } : {}),
    logLevel: v['log-level'] ?? 'info',
    seed: Math.round(num(v.seed, 'seed', 1)),
    keep: Boolean(v.keep),
    selfTest: Boolean(v['self-test']),
    quietWaitMs: 1000 * num(v['quiet-wait'], 'quiet-wait', quick ? 5 : 120),
    retries: Math.round(num(v.retries, 'retries', quick ? 1 : 2)),
  };
}

function parseMixes(list: string | undefined): MixName[] {
  if (!list) return [...MIXES];
  return list.split(',').map((m) => {
    if (!(MIXES as readonly string[]).includes(m)) throw new BenchError(`--mix: unknown mix "${m}" (known: ${MIXES.join(', ')})`);
    return m as MixName;
  });
}

/** "no-escalation:c8" → { mix, concurrency }. */
export function parseCell(spec: string): { mix: MixName; concurrency: number } {
  const m = /^([a-z-]+):c?(\d+)$/.exec(spec);
  if (!m || !(MIXES as readonly string[]).includes(m[1] as string)) throw new BenchError(`--cpu-prof-cell must look like no-escalation:c8 or realistic:c64 (got "${spec}")`);
  return { mix: m[1] as MixName, concurrency: Number(m[2]) };
}
