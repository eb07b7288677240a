/** `npm start`'s entry as a real process: starts on the embedded defaults, stops cleanly on SIGTERM. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'demo/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('e2e: demo/main.ts process', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('starts with no .env, serves /healthz, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-main-'));
    dirs.push(dir);
    const p = startMain({ PORT: '0', DATA_DIR: dir });
    let url: string | undefined;
    for (let i = 0; i < 1200 && !url; i++) {
      url = p.output().match(/kefu demo bot: (http:\/\/[^/\s]+)\//)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 100));
      if (p.child.exitCode !== null) break;
    }
    assert.ok(url, `server did not print its address:\n${p.output()}`);
    const health = (await (await fetch(`${url}/healthz`)).json()) as { ok: boolean };
    assert.equal(health.ok, true);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0, p.output());
  });

  it('refuses to start on a bad variable and names it', async () => {
    const p = startMain({ PORT: 'http', MONGODB_URI: 'localhost:27017' });
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /KEFU_ERR_CONFIG_INVALID/);
    assert.match(p.output(), /PORT: /);
    assert.match(p.output(), /MONGODB_URI: must start with mongodb:\/\//);
  });
});
