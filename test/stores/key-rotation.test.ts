/**
 * Key rotation at rest on SQLite (issue 9): data written with key A opens after a restart with key B
 * and A in KEFU_ENCRYPTION_OLD_KEYS (new writes use B); `kefu keys rotate` (the real CLI, in its own
 * process) re-encrypts every table with B; a restart with B alone reads everything. A record no
 * configured key opens gives a generic public error, without key ids or the conversation's id.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createAuditLog } from '../../plugins/audit';
import { recordAad } from '../../core/data';
import { keyId } from '../../stores/encrypted/cipher';
import { createAesCodec } from '../../stores/encrypted/codec';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { asCustomer, postMessage, type RunningApp, startApp } from '../support/server';

const run = promisify(execFile);
const KEFU = resolve(__dirname, '../../bin/kefu.js');
const A = randomBytes(32).toString('hex');
const B = randomBytes(32).toString('hex');
const idOf = (hex: string) => keyId(Buffer.from(hex, 'hex'));

describe('key rotation (SQLite, kefu keys rotate)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-rotate-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const start = (env: Record<string, string>) => startApp(env, { classifier: createKeywordClassifier() }, dir);
  const kefu = (args: string[], env: Record<string, string>) =>
    run(process.execPath, [KEFU, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: dir, KEFU_ENCRYPTION_OLD_KEYS: '', ...env },
      cwd: resolve(__dirname, '../..'),
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
    );
  const keyIdsOf = (table: string, column = 'body') => {
    const db = new Database(join(dir, 'kefu.db'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT ${column} AS body FROM ${table}`).all() as Array<{ body: string }>;
      return new Set(rows.map((r) => /^kefu:v1:([0-9a-f]{8}):/.exec(r.body)?.[1] ?? 'plain'));
    } finally {
      db.close();
    }
  };
  const history = async (s: RunningApp, c: string) => {
    const res = await fetch(`${s.url}/api/web/messages?conversationId=${c}&after=0`, { headers: asCustomer(s.url, c) });
    assert.equal(res.status, 200);
    return ((await res.json()) as { messages: Array<{ text: string }> }).messages.map((m) => m.text);
  };
  const TABLES = ['kefu_conversations', 'kefu_messages', 'kefu_handoffs', 'kefu_audit', 'kefu_inbox', 'kefu_meta'];

  it('writes with A, reads with B + old A, rotates everything to B, then reads with B alone', async () => {
    let s = await start({ KEFU_ENCRYPTION_KEY: A });
    assert.equal((await postMessage(s.url, { conversationId: 'rot-1', text: 'hi' })).status, 200);
    assert.equal((await postMessage(s.url, { conversationId: 'rot-1', text: 'talk to a human please' })).status, 200);
    assert.equal((await postMessage(s.url, { conversationId: 'rot-2', text: 'qwzx blorp' })).status, 200, 'unrecognised: an inbox entry');
    await createAuditLog({ data: s.app.engine.data }).append({ actor: 'anna', action: 'login', target: 'anna' });
    await s.stop(true);
    for (const t of TABLES) assert.deepEqual(keyIdsOf(t), new Set([idOf(A)]), `${t} is sealed with A`);

    s = await start({ KEFU_ENCRYPTION_KEY: B, KEFU_ENCRYPTION_OLD_KEYS: A });
    assert.ok((await history(s, 'rot-1')).includes('talk to a human please'), 'old records open with B + old A');
    assert.equal((await s.app.handoff.get('web:rot-1'))?.customer.visitor, true);
    assert.equal((await postMessage(s.url, { conversationId: 'rot-1', text: 'still there?' })).status, 200);
    await s.stop(true);
    assert.deepEqual(keyIdsOf('kefu_messages'), new Set([idOf(A), idOf(B)]), 'new writes use B');

    const refused = await kefu(['keys', 'rotate'], { KEFU_ENCRYPTION_KEY: B });
    assert.notEqual(refused.code, 0, 'without the old key the data does not open');
    assert.match(refused.stderr, /KEFU_ERR_STORE_DECRYPT_FAILED.*KEFU_ENCRYPTION_OLD_KEYS/s);

    const rotated = await kefu(['keys', 'rotate', '--batch', '2'], { KEFU_ENCRYPTION_KEY: B, KEFU_ENCRYPTION_OLD_KEYS: A });
    assert.equal(rotated.code, 0, rotated.stderr + rotated.stdout);
    assert.match(rotated.stdout, /messages\s+\d+ re-encrypted, \d+ already current/);
    assert.match(rotated.stdout, /KEFU_ENCRYPTION_OLD_KEYS can be removed/);
    for (const t of TABLES) assert.deepEqual(keyIdsOf(t), new Set([idOf(B)]), `${t} is all on B`);

    const again = await kefu(['keys', 'rotate', '--json'], { KEFU_ENCRYPTION_KEY: B, KEFU_ENCRYPTION_OLD_KEYS: A });
    const summary = JSON.parse(again.stdout) as { tables: Array<{ rewritten: number; current: number }>; remainingUnderOldKeys: number };
    assert.equal(summary.remainingUnderOldKeys, 0);
    assert.ok(
      summary.tables.every((t) => t.rewritten === 0),
      'a second run has nothing left to do (resumable)',
    );

    const status = await kefu(['keys', 'status'], { KEFU_ENCRYPTION_KEY: B });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`messages\\s+\\d+ ${idOf(B)} \\(current\\)`));
    assert.doesNotMatch(status.stdout, new RegExp(idOf(A)));

    s = await start({ KEFU_ENCRYPTION_KEY: B });
    try {
      const said = await history(s, 'rot-1');
      for (const text of ['hi', 'talk to a human please', 'still there?']) assert.ok(said.includes(text), `"${text}" reads with B alone`);
      assert.ok(await s.app.handoff.get('web:rot-1'));
      assert.equal((await createAuditLog({ data: s.app.engine.data }).verify()).ok, true, 'the audit chain still verifies');
      assert.equal((await postMessage(s.url, { conversationId: 'rot-1', text: 'thanks' })).status, 200);
    } finally {
      await s.stop(true);
    }
  });

  it('a record no configured key opens: a coded 500 without key ids, record names or details', async () => {
    const C = randomBytes(32);
    const db = new Database(join(dir, 'kefu.db'));
    const foreign = createAesCodec(C).seal(recordAad('sessions', 'web:rot-1'), JSON.stringify({ hello: 'x' }));
    db.prepare('UPDATE kefu_conversations SET body = ? WHERE key = ?').run(foreign, 'web:rot-1');
    db.close();
    const s = await start({ KEFU_ENCRYPTION_KEY: B });
    try {
      const res = await postMessage(s.url, { conversationId: 'rot-1', text: 'hello?' });
      assert.equal(res.status, 500);
      const body = JSON.stringify(res.json);
      assert.match(body, /KEFU_ERR_STORE_DECRYPT_FAILED/);
      for (const secret of [keyId(C), idOf(B), idOf(A), 'rot-1', 'sessions/']) assert.ok(!body.includes(secret), `the answer shows no "${secret}": ${body}`);
    } finally {
      await s.stop(true);
    }
  });
});
