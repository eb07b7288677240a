/**
 * The fuzz test's target: `demo/main.ts` as a real child process (so a crash is seen as an exit,
 * not as a failed test in the same process), with the web chat, the console and all four platform
 * adapters on, each against a local fake: the Telegram Bot API, the Slack Web API and the WeChat API
 * servers of test/support, and wechaty's mock puppet.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalSlackServer, startSlackServer } from './slack-server';
import { startTelegramServer, type TelegramServer } from './telegram-server';
import { startWechatServer, type WechatServer } from './wechat-server';

const ROOT = join(__dirname, '..', '..');

/** The secrets the target is configured with; the fuzzer signs valid requests with them. */
export const FUZZ_SECRETS = {
  telegram: 'fuzz-telegram_secret-0123456789',
  slack: 'fuzz-slack-signing-secret',
  wechatToken: 'fuzzWechatToken',
  wechatAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  agent: { id: 'anna', password: 'anna-pass-12345' },
} as const;

export interface FuzzTarget {
  readonly url: string;
  readonly wechatAppId: string;
  /** Exit code or signal once the process ended (undefined while it runs). */
  exited(): string | undefined;
  /** What the process wrote to stdout and stderr (its log lines). */
  output(): string;
  stop(): Promise<void>;
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const telegram = await startTelegramServer();
  const slack = await startSlackServer();
  const wechat = await startWechatServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-fuzz-'));
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'demo/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...targetEnv(dataDir, telegram, slack, wechat) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exit: string | undefined;
  const collect = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ended = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = signal ?? String(code);
      resolve();
    }),
  );
  const stopAll = async () => {
    if (exit === undefined) child.kill('SIGTERM');
    await ended;
    await Promise.all([telegram.close(), slack.close(), wechat.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = await addressOf(
    child,
    () => out,
    () => exit,
  ).catch(async (err: unknown) => {
    await stopAll();
    throw err;
  });
  return { url, wechatAppId: wechat.appId, exited: () => exit, output: () => out, stop: stopAll };
}

function targetEnv(dataDir: string, telegram: TelegramServer, slack: LocalSlackServer, wechat: WechatServer): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CONSOLE_AGENTS: `${FUZZ_SECRETS.agent.id}:${FUZZ_SECRETS.agent.password},wang:wang-pass-12345`,
    // Limits would answer most of the run with 429 before the interesting code is reached.
    WEB_RATE_LIMIT_PER_IP: '0',
    WEB_RATE_LIMIT_PER_CONVERSATION: '0',
    WEB_ESCALATIONS_PER_IP_PER_HOUR: '0',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: FUZZ_SECRETS.telegram,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: FUZZ_SECRETS.slack,
    SLACK_API_URL: slack.apiUrl,
    SLACK_SUPPORT_CHANNEL: 'C0SUPPORT',
    WECHAT_TOKEN: FUZZ_SECRETS.wechatToken,
    WECHAT_APP_ID: wechat.appId,
    WECHAT_APP_SECRET: wechat.appSecret,
    WECHAT_API_BASE: wechat.url,
    WECHAT_ENCODING_AES_KEY: FUZZ_SECRETS.wechatAesKey,
    WECHATY_PUPPET: 'wechaty-puppet-mock',
  };
}

async function addressOf(child: ChildProcess, output: () => string, exited: () => string | undefined): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    const url = output().match(/kefu demo bot: (http:\/\/[^/\s]+)\//)?.[1];
    if (url) return url;
    if (exited() !== undefined) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`kefu (pid ${child.pid}) did not start:\n${output().slice(-4000)}`);
}
