/**
 * The environment a story run builds its app with: the bot's own settings (language, NLU
 * threshold, handoff thresholds) as configured, but its data in a throw-away folder, no external
 * database or cluster, no log lines in the report, the web chat page not built, support open at
 * every hour (so a story does not depend on the time it runs), and a console password per agent.
 */
import { randomBytes } from 'node:crypto';

export type Env = Record<string, string | undefined>;

/** Settings that would reach outside the test (a shared database, a cluster): a story run never uses them. */
const OUTSIDE = ['MONGODB_URI', 'REDIS_URL'];

/** Random console passwords for these agents, as CONSOLE_AGENTS ("anna:…,wang:…"). */
export function testConsoleAgents(agentIds: readonly string[]): string {
  return agentIds.map((id) => `${id}:story-${randomBytes(9).toString('hex')}`).join(',');
}

/**
 * @example
 * const env = storyEnv(process.env, mkdtempSync(join(tmpdir(), 'kefu-test-')), ['anna', 'wang']);
 */
export function storyEnv(base: Env, dataDir: string, agentIds: readonly string[]): Env {
  const env: Env = { ...base };
  for (const key of OUTSIDE) delete env[key];
  return {
    ...env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PORT: '0',
    WEB_CHAT_ENABLED: 'false',
    BUSINESS_HOURS: 'always',
    CONSOLE_AGENTS: base.CONSOLE_AGENTS || testConsoleAgents(agentIds),
  };
}
