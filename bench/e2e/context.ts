/**
 * What every e2e mode shares: the repo, a temp folder for this run (data dirs, logs, profiles),
 * a run tag that keeps conversation ids fresh, the messages, the console password, and the
 * start-up times and notes collected on the way.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CellResult } from './load';
import { type BenchMessage, loadMessages, sharedBenchDir } from './mix';
import type { E2eOptions } from './options';

export interface StartRecord {
  target: string;
  what: string;
  ms: number;
  /** Latency of the first English, then the first Chinese message after the start. */
  firstEnMs?: number;
  firstZhMs?: number;
}

export interface RunContext {
  opts: E2eOptions;
  repo: string;
  runDir: string;
  tag: string;
  messages: BenchMessage[];
  consolePassword: string;
  results: CellResult[];
  starts: StartRecord[];
  notes: string[];
  /** The trained models of the first kefu start, copied into later data dirs. */
  modelsDir?: string;
  /** Deletes runDir unless --keep. */
  dispose(): void;
}

/** The kefu checkout this bench belongs to. */
export function repoRoot(): string {
  return resolve(__dirname, '..', '..');
}

export function createContext(opts: E2eOptions): RunContext {
  const repo = repoRoot();
  const runDir = mkdtempSync(join(tmpdir(), 'kefu-bench-e2e-'));
  const messages = loadMessages(join(sharedBenchDir(repo), 'messages.json'));
  const remove = () => rmSync(runDir, { recursive: true, force: true });
  // Also on Ctrl-C (the signal handler exits the process); servers are killed first, by servers.ts.
  if (!opts.keep) process.once('exit', remove);
  return {
    opts,
    repo,
    runDir,
    tag: randomBytes(3).toString('hex'),
    messages,
    consolePassword: randomBytes(9).toString('hex'),
    results: [],
    starts: [],
    notes: [],
    dispose() {
      if (opts.keep) process.stderr.write(`bench e2e: kept ${runDir}\n`);
      else remove();
    },
  };
}

/** Progress goes to stderr, so stdout holds only the report. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}
