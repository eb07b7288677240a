/** Starts the real kefu app on 127.0.0.1:0 with a temporary DATA_DIR, for end-to-end tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../core';
import { demoDialogs } from '../../dialogs';
import { type AppOverrides, type BotParts, buildApp, type KefuApp } from '../../server/app';

export interface RunningApp {
  app: KefuApp;
  url: string;
  dataDir: string;
  /** Closes the app; removes the data dir unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
}

/** `port` (default 0: any free one) lets a test restart the app at the same address, as a page expects. */
/** The demo shop's app unless `overrides` gives other dialogs. */
export async function startApp(env: Record<string, string> = {}, overrides: AppOverrides & Partial<BotParts> = {}, dataDir?: string, port = 0): Promise<RunningApp> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kefu-e2e-'));
  const config: Readonly<Config> = loadConfig({
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATA_DIR: dir,
    CONSOLE_AGENTS: 'anna:anna-pass-12345,wang:wang-pass-12345,lilei:lilei-pass-12345',
    ...env,
  });
  const app = await buildApp(config, { dialogs: demoDialogs, ...overrides });
  const url = await app.http.listen({ port, host: '127.0.0.1' });
  dataDirOf.set(url, dir);
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

/** Conversation tokens the tests' customers got, by server and conversation (as a page keeps them). */
const conversationTokens = new Map<string, string>();
/** Each app's data dir by its URL: a restarted app (new URL, same data) still knows its customers' tokens. */
const dataDirOf = new Map<string, string>();
const tokenKey = (url: string, conversationId: unknown) => `${dataDirOf.get(url) ?? url} ${String(conversationId)}`;

/** The conversation token a test customer holds (for GET /api/web/messages and the event ticket). */
export function tokenFor(url: string, conversationId: string): string | undefined {
  return conversationTokens.get(tokenKey(url, conversationId));
}

/** Authorization headers for a conversation the test customer holds the token of. */
export function asCustomer(url: string, conversationId: string): Record<string, string> {
  const token = tokenFor(url, conversationId);
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * POSTs a web chat message as its conversation's customer (with the conversation token once it
 * has one) and returns status and parsed JSON.
 */
export async function postMessage(
  url: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; json: WebReply }> {
  const conversationId = typeof body === 'object' && body !== null ? (body as { conversationId?: unknown }).conversationId : undefined;
  const auth = typeof conversationId === 'string' && !headers.authorization ? asCustomer(url, conversationId) : {};
  const res = await fetch(`${url}/api/web/messages`, { method: 'POST', headers: { ...headers, ...auth }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const json = (await res.json()) as WebReply;
  if (json.conversationToken && typeof conversationId === 'string') conversationTokens.set(tokenKey(url, conversationId), json.conversationToken);
  return { status: res.status, json };
}

export interface WebReply {
  conversationId?: string;
  locale?: string;
  duplicate?: boolean;
  /** Given once, with the conversation's first answer. */
  conversationToken?: string;
  replies?: Array<{ text: string; quickReplies?: Array<{ label: string; payload: string }>; from?: string }>;
  error?: { code: string; message: string };
}

export function replyText(r: WebReply): string {
  return (r.replies ?? []).map((x) => x.text).join('\n');
}

/** The demo team's console passwords in tests (startApp's CONSOLE_AGENTS). */
export const DEMO_PASSWORD = (agentId: string) => `${agentId}-pass-12345`;

/**
 * Logs demo agents in to the console, as staff starting their shift would: a login is a sign of
 * life, so they are online (the demo team starts offline). Returns each agent's session token.
 * `url` is a listening app, or `app` to use `inject()`.
 */
export async function logInAgents(target: string | Pick<KefuApp, 'inject'>, ids: readonly string[] = ['anna', 'wang', 'lilei']): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const agentId of ids) {
    const body = { agentId, password: DEMO_PASSWORD(agentId) };
    const json =
      typeof target === 'string'
        ? ((await (await fetch(`${target}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as {
            token?: string;
          })
        : (((await target.inject({ method: 'POST', url: '/console/api/login', payload: body })).json() as { token?: string }) ?? {});
    if (!json.token) throw new Error(`${agentId} could not log in: ${JSON.stringify(json)}`);
    tokens.set(agentId, json.token);
  }
  return tokens;
}
