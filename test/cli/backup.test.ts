/**
 * `kefu backup`: the real command (a process of its own) copies the running server's SQLite store
 * while customers keep writing; the copy passes SQLite's integrity check, and a server started on
 * it has the conversations, their tokens and their messages.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { run } from '../../cli/commands/backup';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp, tokenFor } from '../support/server';
import { captureIo } from '../support/command-io';

const KEFU = resolve(__dirname, '../../bin/kefu.js');
const exec = promisify(execFile);

describe('kefu backup', function () {
  this.timeout(60_000);
  const classifier = createKeywordClassifier();
  let dir: string;
  let s: RunningApp | undefined;
  let restored: RunningApp | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-backup-'));
  });
  afterEach(async () => {
    await s?.stop(true);
    await restored?.stop();
    s = restored = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the store while the server answers customers; a server started on the copy has their conversations', async () => {
    const data = join(dir, 'data');
    // No web rate limits: the customers below write as fast as the server answers, for as long as the backup takes.
    s = await startApp({ WEB_RATE_LIMIT_PER_IP: '0', WEB_RATE_LIMIT_PER_CONVERSATION: '0' }, { classifier }, data);
    const url = s.url;
    for (const id of ['b1', 'b2', 'b3']) assert.equal((await postMessage(url, { conversationId: id, text: 'where is my order' })).status, 200);
    const dest = join(dir, 'copies', 'kefu-backup.db');
    let stop = false;
    let answered = 0;
    const customers = (async () => {
      for (let i = 0; !stop; i++) {
        const res = await postMessage(url, { conversationId: `during${i % 5}`, text: 'hello' });
        assert.equal(res.status, 200, 'the server answers during the backup');
        answered += 1;
      }
    })();
    const cli = await exec(process.execPath, [KEFU, 'backup', dest], { env: { ...process.env, DATA_DIR: data }, cwd: resolve(__dirname, '../..') });
    stop = true;
    await customers;
    assert.match(cli.stdout, /^backup OK: .*kefu-backup\.db \(\d+ bytes, \d+ ms; integrity check ok\)\n {2}conversations \d+, messages \d+/);
    assert.ok(answered > 0);
    assert.equal(statSync(dest).mode & 0o777, 0o600, 'owner-only, as the store');
    assert.equal(existsSync(`${dest}.partial-${process.pid}`), false);

    const copyDir = join(dir, 'restored');
    mkdirSync(copyDir, { recursive: true });
    copyFileSync(dest, join(copyDir, 'kefu.db'));
    restored = await startApp({}, { classifier }, copyDir);
    for (const id of ['b1', 'b2', 'b3']) {
      const res: Response = await fetch(`${restored.url}/api/web/messages?conversationId=${id}`, { headers: { authorization: `Bearer ${tokenFor(url, id)}` } });
      assert.equal(res.status, 200, `the copy knows ${id}'s token`);
      const body = (await res.json()) as { messages: Array<{ from: string; text: string }> };
      assert.deepEqual(
        body.messages.filter((m) => m.from === 'customer').map((m) => m.text),
        ['where is my order'],
      );
    }
  });

  it('refuses to replace a file without --force, to run against MongoDB, and says so', async () => {
    const data = join(dir, 'data');
    s = await startApp({}, { classifier }, data);
    await s.stop(true);
    s = undefined;
    const dest = join(dir, 'there.db');
    writeFileSync(dest, 'not a backup');
    const kept = captureIo();
    assert.equal(await run([dest], kept.io, { env: { DATA_DIR: data } }), 2);
    assert.match(kept.err(), /KEFU_ERR_CONFIG_INVALID: .*exists; choose a new file, or pass --force/);
    const forced = captureIo();
    assert.equal(await run([dest, '--force', '--json'], forced.io, { env: { DATA_DIR: data } }), 0, forced.err());
    const summary = JSON.parse(forced.out()) as { rows: Record<string, number>; bytes: number };
    assert.ok(summary.bytes > 0 && summary.rows.kefu_messages === 0);
    const mongo = captureIo();
    assert.equal(await run([join(dir, 'm.db')], mongo.io, { env: { DATA_DIR: data, MONGODB_URI: 'mongodb://127.0.0.1:1/kefu' } }), 2);
    assert.match(mongo.err(), /mongodump/);
    const missing = captureIo();
    assert.equal(await run([join(dir, 'x.db')], missing.io, { env: { DATA_DIR: join(dir, 'nowhere') } }), 1);
    assert.match(missing.err(), /no SQLite store at/);
    const none = captureIo();
    assert.equal(await run([], none.io, { env: { DATA_DIR: data } }), 2);
  });
});
