/**
 * The servers of one cell: a kefu with a fresh DATA_DIR (the first one of a run trains its NLU
 * models, the later ones start from a copy of them), with --compare a botbuilder bot (the first
 * trains and writes its model cache, the later ones load it), and with --floor the floor server. Start-up times go to the context.
 */
import { join } from 'node:path';
import { type BotbuilderInstall, startBotbuilder } from './botbuilder';
import { progress, type RunContext } from './context';
import { createJsonClient, type JsonClient } from './http-client';
import { startFloor, startKefu } from './kefu';
import type { RunningServer } from './servers';

export interface Target {
  server: RunningServer;
  client: JsonClient;
  dataDir?: string;
}

export async function startKefuTarget(ctx: RunContext, name: string, cpuProfDir?: string): Promise<Target> {
  const dataDir = join(ctx.runDir, `kefu-${name}`);
  const cold = !ctx.modelsDir;
  const what = cold ? 'cold start: fresh DATA_DIR, trains the NLU models' : 'fresh DATA_DIR, trained models copied in';
  const t = await launchKefu(ctx, name, dataDir, what, cpuProfDir);
  ctx.modelsDir ??= join(dataDir, 'models');
  return t;
}

/** Stops kefu and starts it again on the same data; `what` says what the data holds. */
export async function restartKefuTarget(ctx: RunContext, t: Target, name: string, what: string): Promise<Target> {
  await stopTarget(t);
  return startKefuOn(ctx, name, t.dataDir as string, what);
}

/** Starts kefu on the data a stopped kefu left in `dataDir`. */
export function startKefuOn(ctx: RunContext, name: string, dataDir: string, what: string): Promise<Target> {
  return launchKefu(ctx, name, dataDir, `restart on the same data, ${what}`);
}

async function launchKefu(ctx: RunContext, name: string, dataDir: string, what: string, cpuProfDir?: string): Promise<Target> {
  const server = await startKefu({
    repo: ctx.repo,
    dataDir,
    logFile: join(ctx.runDir, `kefu-${name}.log`),
    logLevel: ctx.opts.logLevel,
    consolePassword: ctx.consolePassword,
    ...(ctx.modelsDir ? { modelsFrom: ctx.modelsDir } : {}),
    ...(cpuProfDir ? { cpuProfDir } : {}),
  });
  const t: Target = { server, client: createJsonClient(server.port, 128), dataDir };
  await recordStart(ctx, t, what);
  return t;
}

/** The floor (`--floor`, floor-server.ts): HTTP + kefu's classifier, on the models the run's first kefu trained. */
export async function startFloorTarget(ctx: RunContext, name: string): Promise<Target> {
  const server = await startFloor({
    repo: ctx.repo,
    logFile: join(ctx.runDir, `floor-${name}.log`),
    modelsDir: join(ctx.runDir, 'floor-models'),
    ...(ctx.modelsDir ? { modelsFrom: ctx.modelsDir } : {}),
  });
  const t: Target = { server, client: createJsonClient(server.port, 128) };
  await recordStart(ctx, t, 'HTTP + classifier only');
  return t;
}

export async function startBotbuilderTarget(ctx: RunContext, install: BotbuilderInstall, name: string): Promise<Target> {
  const cache = join(ctx.runDir, 'botbuilder-model.json');
  const cold = !ctx.starts.some((s) => s.target === 'botbuilder');
  const server = await startBotbuilder(install, ctx.repo, join(ctx.runDir, `botbuilder-${name}.log`), cache);
  const what = cold ? 'cold start: trains nlp.js, writes its model cache' : 'model loaded from its cache';
  const t: Target = { server, client: createJsonClient(server.port, 128) };
  await recordStart(ctx, t, what);
  return t;
}

/**
 * Records the start-up and primes the server with one English and one Chinese message: the first
 * Chinese message after a start builds nlp.js's zh dictionary (about a second), which would
 * otherwise fall into the first cell.
 */
async function recordStart(ctx: RunContext, t: Target, what: string): Promise<void> {
  const n = ctx.starts.length;
  const firstEnMs = await timedMessage(ctx, t, `${ctx.tag}-prime-${n}-en`, 'hello');
  const firstZhMs = await timedMessage(ctx, t, `${ctx.tag}-prime-${n}-zh`, '你好');
  ctx.starts.push({ target: t.server.name, what, ms: t.server.startMs, firstEnMs, firstZhMs });
  progress(
    `  ${t.server.name} up in ${Math.round(t.server.startMs)} ms (${what}), pid ${t.server.pid}, port ${t.server.port}; first en/zh message ${Math.round(firstEnMs)}/${Math.round(firstZhMs)} ms`,
  );
}

async function timedMessage(ctx: RunContext, t: Target, conversationId: string, text: string): Promise<number> {
  const t0 = performance.now();
  try {
    const res = await t.client.post('/api/web/messages', { conversationId, text });
    if (res.status !== 200) ctx.notes.push(`${t.server.name}: first message "${text}" answered HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  } catch (err) {
    ctx.notes.push(`${t.server.name}: first message "${text}" failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return performance.now() - t0;
}

export async function stopTarget(t: Target): Promise<number> {
  t.client.close();
  return t.server.stop();
}
