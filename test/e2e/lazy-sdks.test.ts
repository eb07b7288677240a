/**
 * Start-up loads a platform SDK or a store driver only when it is configured: @slack/bolt, telegraf,
 * mongoose and ioredis each cost a noticeable part of the two seconds a start may take
 * (docs/performance.md). Checked in a child process, where no other test loaded them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const OPTIONAL = ['@slack/bolt', 'telegraf', 'mongoose', 'ioredis'];

/** The packages loaded once the demo app is built with `env` (names from require.cache). */
function packagesLoaded(env: Record<string, string>): string[] {
  const code = `
    const { createKefuApp } = require(${JSON.stringify(join(ROOT, 'server/create-app'))});
    const { demoApp } = require(${JSON.stringify(join(ROOT, 'demo/app'))});
    // A channel that cannot reach its platform fails the start; what was loaded by then is the answer.
    createKefuApp({ ...demoApp, locales: ${JSON.stringify(join(ROOT, 'locales'))} }).catch(() => undefined).then(async (app) => {
      const names = new Set(Object.keys(require.cache).flatMap((k) => k.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)/)?.[1] ?? []));
      await app?.close();
      console.log(JSON.stringify([...names]));
    });`;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', CONSOLE_AGENTS: 'anna:a-long-password-1', ...env },
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('start-up loads only the SDKs it uses', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-lazy-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the embedded defaults load none of Slack, Telegram, MongoDB and Redis', () => {
    const loaded = packagesLoaded({ DATA_DIR: dir });
    assert.ok(loaded.includes('fastify') && loaded.includes('better-sqlite3'), 'the probe sees what start-up loads');
    assert.deepEqual(
      OPTIONAL.filter((p) => loaded.includes(p)),
      [],
    );
  });

  it('a configured Telegram channel loads telegraf (and still not the others)', () => {
    const loaded = packagesLoaded({
      DATA_DIR: dir,
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'secret-1',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    });
    assert.deepEqual(
      OPTIONAL.filter((p) => loaded.includes(p)),
      ['telegraf'],
    );
  });
});
