/**
 * Key rotation on MongoDB (the CongoDB wire server, or MONGODB_URI): written with key A, read with
 * B + old A, `kefu keys rotate` (the real CLI, in its own process) moves every collection to B, and
 * B alone reads everything.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createAuditLog } from '../../plugins/audit';
import { keyId } from '../../stores/encrypted/cipher';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type MongoServerForTests, mongoForTests } from '../support/mongo-server';
import { asCustomer, postMessage, type RunningApp, startApp } from '../support/server';

const run = promisify(execFile);
const KEFU = resolve(__dirname, '../../bin/kefu.js');
const A = randomBytes(32).toString('hex');
const B = randomBytes(32).toString('hex');
const idOf = (hex: string) => keyId(Buffer.from(hex, 'hex'));

describe('key rotation (MongoDB, kefu keys rotate)', function () {
  this.timeout(120_000);
  let mongo: MongoServerForTests | undefined;
  // One DATA_DIR for every start: the test customer's conversation token is kept per data dir.
  const dir = mkdtempSync(join(tmpdir(), 'kefu-rotate-mongo-'));
  before(async () => {
    try {
      mongo = await mongoForTests();
    } catch (err) {
      console.log(`  SKIPPED key rotation on MongoDB: no MongoDB-protocol server could start here (${(err as Error).message})`);
    }
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await mongo?.stop();
  });

  it('writes with A, reads with B + old A, rotates every collection to B, then reads with B alone', async function () {
    if (!mongo) return this.skip();
    const uri = `${mongo.uri}${mongo.uri.includes('?') ? '&' : '?'}serverMonitoringMode=poll`;
    const c = `rot-${Date.now()}`;
    const start = (env: Record<string, string>) => startApp({ MONGODB_URI: uri, ...env }, { classifier: createKeywordClassifier() }, dir);
    const kefu = (args: string[], env: Record<string, string>) =>
      run(process.execPath, [KEFU, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', MONGODB_URI: uri, KEFU_ENCRYPTION_OLD_KEYS: '', ...env } }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
      );
    const status = async (env: Record<string, string>) => {
      const r = await kefu(['keys', 'status', '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as { tables: Array<{ table: string; byKeyId: Record<string, number> }> };
    };
    const history = async (s: RunningApp) =>
      (
        (await (await fetch(`${s.url}/api/web/messages?conversationId=${c}&after=0`, { headers: asCustomer(s.url, c) })).json()) as { messages: Array<{ text: string }> }
      ).messages.map((m) => m.text);

    let s = await start({ KEFU_ENCRYPTION_KEY: A });
    await postMessage(s.url, { conversationId: c, text: 'hi' });
    await postMessage(s.url, { conversationId: c, text: 'talk to a human please' });
    await createAuditLog({ data: s.app.engine.data }).append({ actor: 'anna', action: 'login', target: 'anna' });
    await s.stop(true);

    s = await start({ KEFU_ENCRYPTION_KEY: B, KEFU_ENCRYPTION_OLD_KEYS: A });
    assert.ok((await history(s)).includes('talk to a human please'), 'opens with B + old A');
    await postMessage(s.url, { conversationId: c, text: 'still there?' });
    await s.stop(true);
    const before = await status({ KEFU_ENCRYPTION_KEY: B, KEFU_ENCRYPTION_OLD_KEYS: A });
    const messages = before.tables.find((t) => t.table === 'messages')?.byKeyId ?? {};
    assert.ok((messages[idOf(A)] ?? 0) > 0 && (messages[idOf(B)] ?? 0) > 0, `old and new messages: ${JSON.stringify(messages)}`);

    const rotated = await kefu(['keys', 'rotate', '--batch', '3'], { KEFU_ENCRYPTION_KEY: B, KEFU_ENCRYPTION_OLD_KEYS: A });
    assert.equal(rotated.code, 0, rotated.stderr + rotated.stdout);
    assert.match(rotated.stdout, /KEFU_ENCRYPTION_OLD_KEYS can be removed/);
    const after = await status({ KEFU_ENCRYPTION_KEY: B });
    for (const t of after.tables)
      assert.deepEqual(
        Object.keys(t.byKeyId).filter((id) => id !== idOf(B)),
        [],
        `${t.table} is all on B`,
      );
    assert.ok(Object.keys(after.tables.find((t) => t.table === 'audit')?.byKeyId ?? {}).length, 'the audit collection was rotated too');

    s = await start({ KEFU_ENCRYPTION_KEY: B });
    try {
      const said = await history(s);
      for (const text of ['hi', 'talk to a human please', 'still there?']) assert.ok(said.includes(text), `"${text}" reads with B alone`);
      assert.ok(await s.app.handoff.get(`web:${c}`));
      assert.equal((await createAuditLog({ data: s.app.engine.data }).verify()).ok, true);
    } finally {
      await s.stop(true);
    }
  });
});
