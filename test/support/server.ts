/** Starts the real kefu app on 127.0.0.1:0 with a temporary DATA_DIR, for end-to-end tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../core';
import { type AppOverrides, buildApp, type KefuApp } from '../../server/app';

export interface RunningApp {
  app: KefuApp;
  url: string;
  dataDir: string;
  /** Closes the app; removes the data dir unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

/** `port` (default 0: any free one) lets a test restart the app at the same address, as a page expects. */
export async function startApp(env: Record<string, string> = {}, overrides: AppOverrides = {}, dataDir?: string, port = 0): Promise<RunningApp> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kefu-e2e-'));
  const config: Readonly<Config> = loadConfig({
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATA_DIR: dir,
    CONSOLE_AGENTS: 'anna:anna-pass-12345,wang:wang-pass-12345,lilei:lilei-pass-12345',
    ...env,
  });
  const app = await buildApp(config, overrides);
  const url = await app.http.listen({ port, host: '127.0.0.1' });
  return {
    app,
    url,
    dataDir: dir,
    async stop(keepData = false) {
      await app.close();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs a web chat message and returns status and parsed JSON. */
export async function postMessage(
  url: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; json: WebReply }> {
  const res = await fetch(`${url}/api/web/messages`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as WebReply };
}

export interface WebReply {
  conversationId?: string;
  locale?: string;
  duplicate?: boolean;
  replies?: Array<{ text: string; quickReplies?: Array<{ label: string; payload: string }>; from?: string }>;
  error?: { code: string; message: string };
}

export function replyText(r: WebReply): string {
  return (r.replies ?? []).map((x) => x.text).join('\n');
}
