/**
 * `kefu test [paths…] [--app MODULE]`: runs conversation stories (docs/stories.md) against the bot
 * in-process, through its HTTP API, and prints `N passed, N failed` with a diff per failure.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isKefuError } from '../../core';
import { DEMO_AGENTS, parseAgentsJson } from '../../plugins/handoff';
import { createKefuApp, type KefuAppOptions } from '../../server/create-app';
import { appOptionsFrom } from '../app-module';
import { DEFAULT_STORY_PATHS, formatFailure, formatStoryLine, loadStories, runStories, type StoryApp } from '../../testing';
import { type Env, storyEnv } from '../../testing/story-env';
import type { CommandIo } from './train';

const HELP = `usage: kefu test [paths…] [--app MODULE] [--wait MS]

Runs conversation stories (YAML or JSON, docs/stories.md) against the bot, in-process, through
its web chat and console API, and prints one line per story, a diff per failure and
"N passed, N failed". Exits 1 when a story fails.

  paths          story files or folders (default: ${DEFAULT_STORY_PATHS.join(', ')}/, all *.yaml, *.yml, *.json)
  --app MODULE   your bot: a module exporting its createKefuApp options (default export or "app",
                 as for kefu chat), or a factory "createApp(test)" (default: the demo shop)
  --wait MS      how long a step waits for a message that has not arrived (default 2000)
  --help         this text

The bot is built from the environment (and .env) with its NLU trained from LOCALES_DIR, but with
its data in a temporary folder, no MONGODB_URI or REDIS_URL, no platform channels, support open
at all hours, and a console password per agent (CONSOLE_AGENTS, made up when not set).
`;

/** What a test app factory is given: pass it on to createKefuApp (`createKefuApp({ ...options, ...test })`). */
export interface TestAppSettings {
  env: Env;
  channels: [];
}

type TestApp = StoryApp & { close(): Promise<void> };
type AppFactory = (test: TestAppSettings) => Promise<TestApp>;

/** A factory the --app module exports as `createApp`, if any (else it exports options: cli/app-module.ts). */
function factoryIn(appPath: string | undefined): AppFactory | undefined {
  if (!appPath || !existsSync(resolve(appPath))) return undefined;
  const mod = require(resolve(appPath)) as { createApp?: unknown }; // bin/kefu.js registered tsx: it may be TypeScript
  return typeof mod.createApp === 'function' ? (mod.createApp as AppFactory) : undefined;
}

/** Who can log in to the console in stories: the app's agents, else AGENTS_FILE's, else the sample team. */
function agentIdsOf(options: KefuAppOptions | undefined, env: Env): string[] {
  if (options?.agents) return options.agents.map((a) => a.id);
  if (env.AGENTS_FILE) return parseAgentsJson(readFileSync(env.AGENTS_FILE, 'utf8'), `AGENTS_FILE "${env.AGENTS_FILE}"`).map((a) => a.id);
  return DEMO_AGENTS.map((a) => a.id);
}

async function buildTestApp(appPath: string | undefined, dataDir: string): Promise<TestApp> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const factory = factoryIn(appPath);
  const options = factory ? undefined : appOptionsFrom(appPath ? ['--app', appPath] : []);
  const settings: TestAppSettings = { env: storyEnv(process.env, dataDir, agentIdsOf(options, process.env)), channels: [] };
  if (factory) return factory(settings);
  return createKefuApp({ ...(options as KefuAppOptions), ...settings });
}

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let parsed: { values: { app?: string; wait?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { app: { type: 'string' }, wait: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (err) {
    io.stderr.write(`kefu test: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const waitMs = values.wait === undefined ? undefined : Number(values.wait);
  if (waitMs !== undefined && !(Number.isInteger(waitMs) && waitMs >= 0)) {
    io.stderr.write(`kefu test: --wait must be a number of milliseconds (got "${values.wait}")\n`);
    return 2;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
  try {
    const stories = await loadStories(positionals.length ? positionals : DEFAULT_STORY_PATHS);
    const app = await buildTestApp(values.app, dataDir);
    try {
      const report = await runStories(app, stories, { ...(waitMs === undefined ? {} : { waitMs }), onStory: (r) => io.stdout.write(`${formatStoryLine(r)}\n`) });
      for (const failed of report.results.filter((r) => !r.passed)) io.stdout.write(`\n${formatFailure(failed)}\n`);
      io.stdout.write(`\n${report.passed} passed, ${report.failed} failed\n`);
      return report.failed ? 1 : 0;
    } finally {
      await app.close();
    }
  } catch (err) {
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu test: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
