/** Starts kefu: load config (and .env), build the app, listen; SIGTERM/SIGINT close it gracefully. */
import { existsSync } from 'node:fs';
import { isKefuError, loadConfig } from '../core';
import { buildApp } from './app';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = await buildApp(config);
  const address = await app.http.listen({ port: config.PORT, host: config.HOST });
  app.engine.log.info({ address }, `kefu listening: open ${address}/ for the web chat`);
  process.stdout.write(`kefu demo bot: ${address}/  (health: ${address}/healthz)\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.engine.log.info({ signal }, 'shutting down: finishing in-flight turns');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.engine.log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (isKefuError(err)) process.stderr.write(`kefu: ${err.code}: ${err.message}\n`);
  else process.stderr.write(`kefu: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
