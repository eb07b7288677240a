/** Starts kefu: load config (and .env), build the app, listen; SIGTERM/SIGINT close it gracefully. */
import { existsSync } from 'node:fs';
import { isKefuError, loadConfig, type Logger } from '../core';
import { buildApp } from './app';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = await buildApp(config);
  const address = await app.http.listen({ port: config.PORT, host: config.HOST });
  app.engine.log.info({ address }, `kefu listening: open ${address}/ for the web chat`);
  process.stdout.write(`kefu demo bot: ${address}/  (health: ${address}/healthz)\n`);

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

main().catch((err: unknown) => {
  if (isKefuError(err)) process.stderr.write(`kefu: ${err.code}: ${err.message}\n`);
  else process.stderr.write(`kefu: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
