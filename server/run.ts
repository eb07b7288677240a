/**
 * Runs a kefu app as a process: build it from the options and the environment, listen, print the
 * address, and close gracefully on SIGTERM/SIGINT. `npm start` runs the demo shop this way
 * (demo/main.ts); a bot project may too: `runKefu({ dialogs, locales: './locales' })`.
 */
import { isKefuError, type Logger } from '../core';
import { createKefuApp, type KefuAppOptions } from './create-app';

export interface RunOptions extends KefuAppOptions {
  /** What the start-up line calls the bot (default "kefu bot"). */
  name?: string;
}

export function runKefu(options: RunOptions): void {
  start(options).catch((err: unknown) => {
    if (isKefuError(err)) process.stderr.write(`kefu: ${err.code}: ${err.message}\n`);
    else process.stderr.write(`kefu: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}

async function start(options: RunOptions): Promise<void> {
  const app = await createKefuApp(options);
  const address = await app.listen();
  app.engine.log.info({ address }, `kefu listening: open ${address}/ for the web chat`);
  process.stdout.write(`${options.name ?? 'kefu bot'}: ${address}/  (health: ${address}/healthz)\n`);

  let stopping = false;
  const stop = (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    app.engine.log.info({ signal: reason }, 'shutting down: finishing in-flight turns');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app.close().then(
      () => process.exit(exitCode),
      (err: unknown) => {
        app.engine.log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  guardProcess(app.engine.log, stop);
}

/**
 * The last line of defence, for errors outside any request's handler chain (docs/security.md, "Bad
 * input"). A rejected promise nobody awaited is logged and kefu keeps serving: the operation that
 * failed is already abandoned, what must survive is in the store (written whole or not at all), and
 * Node's default, exiting, would let one request that reaches a forgotten `.catch` stop every
 * conversation. An uncaught exception is different: it unwound synchronous code half-way, so
 * in-memory state may be inconsistent; kefu logs it and shuts down gracefully (exit code 1) for the
 * supervisor to restart it. The fuzz test fails on either log line, so they get fixed, not hidden.
 */
function guardProcess(log: Logger, stop: (reason: string, exitCode: number) => void): void {
  process.on('unhandledRejection', (reason: unknown) => {
    log.error({ code: 'KEFU_ERR_INTERNAL', err: describe(reason) }, 'unhandled rejection: a promise failed with nothing awaiting it; kefu keeps running');
  });
  process.on('uncaughtException', (err: Error) => {
    log.error({ code: 'KEFU_ERR_INTERNAL', err: describe(err) }, 'uncaught exception: kefu shuts down to restart clean');
    stop('uncaughtException', 1);
  });
}

function describe(err: unknown): { name: string; message: string; stack?: string } {
  if (!(err instanceof Error)) return { name: typeof err, message: String(err).slice(0, 200) };
  return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
}
