/**
 * `kefu chat` as a person uses it (issue 11, item 3): after "talk to a human", what an agent writes
 * elsewhere (here: another process on the same DATA_DIR, as the server's console would) is printed
 * in the terminal; console passwords never are.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteData } from '../../stores/sqlite';
import { message } from '../data/fixtures';

const ROOT = join(__dirname, '..', '..');

describe('kefu chat relays agents’ answers', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-chat-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints an agent’s reply written by another process, and no password', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'kefu.js'), 'chat', '--conversation', 'relay-1'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const until = async (pattern: RegExp, what: string) => {
      for (let i = 0; i < 1200 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, pattern, what);
    };
    try {
      await until(/you> /, 'the chat starts');
      child.stdin.write('talk to a human please\n');
      await until(/bot> .*(person|queue|ticket|agent)/i, 'the bot answers the request');
      const data = createSqliteData({ path: join(dir, 'kefu.db') });
      try {
        await data.commit({
          key: 'cli:relay-1',
          ref: { channel: 'cli', conversationId: 'relay-1', userId: 'cli-user' },
          messages: [message({ from: 'agent', text: 'Hi, Anna here from the console.' })],
        });
      } finally {
        await data.close();
      }
      await until(/agent> Hi, Anna here from the console\./, 'the agent’s reply is printed');
      child.stdin.write('/quit\n');
      await new Promise((r) => child.once('exit', r));
      assert.doesNotMatch(out, /[0-9a-f]{16}/, 'no generated password in the output');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
