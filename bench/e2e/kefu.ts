/**
 * Starts kefu as `npm start` does (`node --require tsx/cjs demo/main.ts` in the repo), on a free
 * port of 127.0.0.1 with its own DATA_DIR, console logins chosen by the bench, and optionally
 * `--cpu-prof`. Platform adapters stay off: their variables are removed from the child's env.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, type RunningServer, startServer } from './servers';

export const CONSOLE_AGENT = 'anna';

export interface KefuStart {
  repo: string;
  dataDir: string;
  logFile: string;
  logLevel: string;
  consolePassword: string;
  /** Copy a trained models folder in first, so start-up skips NLU training. */
  modelsFrom?: string;
  cpuProfDir?: string;
  port?: number;
}

const PLATFORM_VARS = /^(TELEGRAM_|SLACK_|WECHAT_|WECHATY_|MONGODB_URI$|KEFU_ENCRYPTION_KEY$|AGENTS_FILE$|BUSINESS_HOURS$|HANDOFF_)/;

export async function startKefu(opts: KefuStart): Promise<RunningServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  if (opts.modelsFrom && existsSync(opts.modelsFrom) && !existsSync(join(opts.dataDir, 'models'))) cpSync(opts.modelsFrom, join(opts.dataDir, 'models'), { recursive: true });
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PLATFORM_VARS.test(k)));
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: opts.logLevel,
    CONSOLE_AGENTS: ['anna', 'wang', 'lilei'].map((id) => `${id}:${opts.consolePassword}`).join(','),
    // The whole load comes from one address: the per-client limits are for real traffic.
    WEB_RATE_LIMIT_PER_IP: '0',
    WEB_RATE_LIMIT_PER_CONVERSATION: '0',
    WEB_ESCALATIONS_PER_IP_PER_HOUR: '0',
  });
  const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  return startServer({
    name: 'kefu',
    command: process.execPath,
    args: [...prof, '--require', 'tsx/cjs', 'demo/main.ts'],
    cwd: opts.repo,
    env,
    port,
    logFile: opts.logFile,
  });
}

/** The floor server (floor-server.ts) from the repo, on the models kefu trained (copied once into `modelsDir`). */
export async function startFloor(opts: { repo: string; logFile: string; modelsDir: string; modelsFrom?: string }): Promise<RunningServer> {
  if (opts.modelsFrom && existsSync(opts.modelsFrom) && !existsSync(opts.modelsDir)) cpSync(opts.modelsFrom, opts.modelsDir, { recursive: true });
  const port = await freePort();
  return startServer({
    name: 'floor',
    command: process.execPath,
    args: ['--require', 'tsx/cjs', 'bench/e2e/floor-server.ts', '--port', String(port), '--models', opts.modelsDir],
    cwd: opts.repo,
    env: { ...process.env, NODE_ENV: 'production' },
    port,
    logFile: opts.logFile,
  });
}

/** The command line the bench uses, for the report. */
export function kefuCommand(cpuProf: boolean): string {
  return `node ${cpuProf ? '--cpu-prof --cpu-prof-dir=<dir> ' : ''}--require tsx/cjs demo/main.ts  (PORT=<free> HOST=127.0.0.1 DATA_DIR=<fresh temp dir> LOG_LEVEL=… CONSOLE_AGENTS=… WEB_RATE_LIMIT_PER_IP=0 WEB_RATE_LIMIT_PER_CONVERSATION=0 WEB_ESCALATIONS_PER_IP_PER_HOUR=0)`;
}
