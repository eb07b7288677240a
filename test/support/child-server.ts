/**
 * kefu as `npm start` runs it, in a child process (so a test can kill it with SIGKILL, or run
 * several on one data dir), and a web customer's client for it that keeps each conversation's token.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** SIGKILL, and resolves when the process is gone. */
  kill(): Promise<void>;
}

/** Starts `demo/main.ts` on a free port with `env` over the test defaults; resolves when it prints its address. */
export function startChildServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const fullEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    WEB_RATE_LIMIT_PER_IP: '0',
    WEB_RATE_LIMIT_PER_CONVERSATION: '0',
    WEB_ESCALATIONS_PER_IP_PER_HOUR: '0',
    ...env,
  };
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'demo/main.ts'], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /kefu demo bot: (http:\/\/[^/\s]+)\//.exec(out);
      if (m?.[1]) resolve({ url: m[1], child, kill });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${err.slice(-500)}`)));
  });
}

/** Web chat customers: POSTs that carry (and keep) each conversation's token, whichever server they go to. */
export function createWebCustomers() {
  const tokens = new Map<string, string>();
  return {
    tokens,
    async post(url: string, path: string, body: unknown, bearer?: string): Promise<{ status: number; json: Record<string, unknown> }> {
      const conversationId = (body as { conversationId?: string }).conversationId;
      const auth = bearer ?? (conversationId ? tokens.get(conversationId) : undefined);
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (conversationId && typeof json.conversationToken === 'string') tokens.set(conversationId, json.conversationToken);
      return { status: res.status, json };
    },
  };
}
