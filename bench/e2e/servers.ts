/**
 * Starting and stopping the servers under test as child processes: kefu the way `npm start` runs it
 * (`node --require tsx/cjs demo/main.ts`, optionally with --cpu-prof) and the botbuilder bot from
 * its scratch install. Start-up time is spawn → first 200 from GET /healthz. Every child is killed
 * when the bench exits, fails or gets Ctrl-C.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { BenchError } from './bench-error';
import { getOnce } from './http-client';

export interface RunningServer {
  name: 'kefu' | 'botbuilder' | 'floor';
  pid: number;
  port: number;
  /** Spawn → first healthy /healthz, ms. */
  startMs: number;
  logFile: string;
  /** SIGTERM, wait for a graceful exit (SIGKILL after `graceMs`); resolves with the ms it took. */
  stop(graceMs?: number): Promise<number>;
}

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Kill every child still running when the bench ends, however it ends. */
export function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nbench e2e: ${signal}; stopping ${live.size} server(s)\n`);
    for (const child of live) child.kill('SIGTERM');
    setTimeout(() => process.exit(130), 3000).unref();
    const check = setInterval(() => {
      if (live.size === 0) process.exit(130);
    }, 100);
    check.unref();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? done(addr.port) : fail(new Error('no port'))));
    });
  });
}

export interface SpawnSpec {
  name: RunningServer['name'];
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  port: number;
  logFile: string;
  timeoutMs?: number;
}

/** Spawns a server with stdout and stderr appended to `logFile`, and waits for /healthz. */
export async function startServer(spec: SpawnSpec): Promise<RunningServer> {
  const fd = openSync(spec.logFile, 'a');
  const started = performance.now();
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.add(child);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  void exited.then(() => live.delete(child));
  await waitHealthy(spec, child, exited);
  const startMs = performance.now() - started;
  return {
    name: spec.name,
    pid: child.pid as number,
    port: spec.port,
    startMs,
    logFile: spec.logFile,
    stop: (graceMs = 20_000) => stopChild(child, exited, graceMs),
  };
}

async function waitHealthy(spec: SpawnSpec, child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  const deadline = performance.now() + (spec.timeoutMs ?? 180_000);
  let gone: number | null | undefined;
  void exited.then((code) => {
    gone = code;
  });
  while (performance.now() < deadline) {
    if (gone !== undefined || child.exitCode !== null) {
      throw new BenchError(`${spec.name} exited (code ${gone ?? child.exitCode}) before /healthz answered. Its output (${spec.logFile}):\n${tail(spec.logFile, 40)}`);
    }
    try {
      if ((await getOnce(spec.port, '/healthz', 1000)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new BenchError(`${spec.name} did not answer GET /healthz on port ${spec.port} within ${(spec.timeoutMs ?? 180_000) / 1000} s. Its output:\n${tail(spec.logFile, 40)}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<number> {
  const t = performance.now();
  if (child.exitCode !== null || child.signalCode !== null) return 0;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  return performance.now() - t;
}

/** The last `lines` lines of a log file. */
export function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
