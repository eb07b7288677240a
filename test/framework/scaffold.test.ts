/**
 * `kefu init` as a new bot author meets it: scaffold a project, `npm install` (kefu by path: no
 * network), `npm start`, and talk to the bot in English and Chinese, handoff included; `npm test`
 * runs the project's stories. The transcript is printed: it is what the author sees.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebCustomers } from '../support/child-server';

const ROOT = join(__dirname, '..', '..');
const KEFU_BIN = join(ROOT, 'bin', 'kefu.js');

function startBot(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', CONSOLE_AGENTS: 'anna:anna-pass-12345,wang:wang-pass-12345,lilei:lilei-pass-12345' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /: (http:\/\/[^/\s]+)\/ {2}\(health/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${out.slice(-800)}`)));
  });
}

describe('kefu init: from nothing to a running bilingual bot with handoff', function () {
  this.timeout(240_000);
  let root: string;
  let bot: { url: string; child: ChildProcess } | undefined;
  const project = () => join(root, 'weather-bot');

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kefu-init-'));
  });
  after(() => {
    if (bot?.child.pid) process.kill(-bot.child.pid, 'SIGKILL'); // npm and the bot under it
    rmSync(root, { recursive: true, force: true });
  });

  it('scaffolds a project whose README gives the two commands, and refuses a folder that is not empty', () => {
    execFileSync(process.execPath, [KEFU_BIN, 'init', 'weather-bot'], { cwd: root });
    for (const file of [
      'package.json',
      'app.ts',
      'bot.ts',
      'dialogs/weather.ts',
      'locales/en/corpus.json',
      'locales/zh/corpus.json',
      'stories/weather.yaml',
      '.env.example',
      '.gitignore',
      'README.md',
    ]) {
      assert.ok(existsSync(join(project(), file)), `${file} is there`);
    }
    const readme = readFileSync(join(project(), 'README.md'), 'utf8');
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /npm test/);
    const pkg = JSON.parse(readFileSync(join(project(), 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.match(pkg.dependencies.kefu ?? '', /^file:/, 'depends on this checkout by path (works offline)');
    assert.throws(() => execFileSync(process.execPath, [KEFU_BIN, 'init', 'weather-bot'], { cwd: root, stdio: 'pipe' }), /KEFU_ERR_INIT_TARGET_NOT_EMPTY/);
  });

  it('npm install && npm start: the bot answers in English and Chinese and hands off to an agent', async () => {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline'], { cwd: project(), stdio: 'pipe' });
    bot = await startBot(project());
    const { post } = createWebCustomers();
    const transcript: string[] = [];
    const say = async (conversationId: string, text: string) => {
      const res = await post(bot?.url ?? '', '/api/web/messages', { conversationId, text });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const replies = (res.json.replies as Array<{ text: string }>).map((r) => r.text);
      transcript.push(`  customer: ${text}`, ...replies.map((r) => `  bot:      ${r}`));
      return replies.join('\n');
    };
    assert.match(await say('en-1', 'hello'), /How can I help/);
    assert.match(await say('en-1', 'what is the weather like'), /Which city/);
    assert.match(await say('en-1', 'Lisbon'), /always sunny in Lisbon/);
    for (const agentId of ['anna', 'wang']) {
      // Agents start offline; logging in to the console starts their shift (presence).
      const login = await post(bot?.url ?? '', '/console/api/login', { agentId, password: `${agentId}-pass-12345` });
      assert.equal(login.status, 200, JSON.stringify(login.json));
    }
    assert.match(await say('en-1', 'I want to talk to a person'), /connecting you with a person/);
    assert.match(await say('zh-1', '今天天气怎么样'), /哪个城市/);
    assert.match(await say('zh-1', '杭州'), /杭州和客服湾一样/);
    assert.match(await say('zh-1', '转人工'), /转接人工客服/);
    console.log(`      the scaffold's bot:\n${transcript.join('\n')}`);
  });

  it('the issue’s contract, verbatim: an ES module project runs bot.ts with node --import tsx', () => {
    const esm = join(root, 'esm-bot');
    mkdirSync(join(esm, 'node_modules'), { recursive: true });
    writeFileSync(join(esm, 'package.json'), JSON.stringify({ name: 'esm-bot', type: 'module', dependencies: { kefu: `file:${ROOT}` } }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline'], { cwd: esm, stdio: 'pipe' });
    symlinkSync(join(ROOT, 'node_modules', 'tsx'), join(esm, 'node_modules', 'tsx')); // as `npm i -D tsx` would
    cpSync(join(project(), 'locales'), join(esm, 'locales'), { recursive: true });
    writeFileSync(
      join(esm, 'bot.ts'),
      [
        "import { createKefuApp, defineDialog } from 'kefu';",
        'const weather = defineDialog({',
        "  id: 'weather', triggers: ['weather.ask'],",
        "  texts: { en: { sunny: 'Always sunny in Kefu Bay.' }, zh: { sunny: '客服湾永远是晴天。' } },",
        "  run(ctx) { ctx.say('sunny'); },",
        '});',
        "const app = await createKefuApp({ dialogs: [weather], locales: './locales' });",
        'const address = await app.listen({ port: Number(process.env.PORT ?? 3000) });',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a line of the author's bot.ts, written out as text
        "const res = await fetch(`${address}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId: 'c1', text: 'weather please' }) });",
        'console.log(JSON.stringify((await res.json()).replies));',
        'await app.close();',
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bot.ts'], { cwd: esm, env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    assert.match(out, /Always sunny in Kefu Bay\./);
  });

  it('npm test runs the project’s stories in both languages', () => {
    const out = execFileSync('npm', ['test', '--silent'], { cwd: project(), env: { ...process.env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    assert.match(out, /the weather, asked for a city \(zh\)/);
    assert.match(out, /\b3 passed, 0 failed/);
  });
});
