/** `kefu audit verify|list` against the SQLite file the server uses (DATA_DIR/kefu.db). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/commands/audit';
import { type AuditEntry, createAuditLog } from '../../plugins/audit';
import { createSqliteData } from '../../stores/sqlite';
import { tamperAuditEntry } from '../support/tamper';
import { captureIo } from '../support/command-io';

describe('kefu audit', () => {
  let dir: string;
  let env: Record<string, string>;
  let head: AuditEntry;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-audit-cli-'));
    env = { DATA_DIR: dir };
    const data = createSqliteData({ path: join(dir, 'kefu.db') });
    const audit = createAuditLog({ data });
    await audit.append({ actor: 'anna', action: 'login', target: 'anna' });
    await audit.append({ actor: 'anna', action: 'claim', target: 'web:c1' });
    head = await audit.append({ actor: 'anna', action: 'resolve', target: 'web:c1' });
    await data.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('verify prints OK with the last seq and hash, and exits 0', async () => {
    const c = captureIo();
    assert.equal(await run(['verify'], c.io, { env }), 0, c.err());
    assert.equal(c.out(), `audit log OK: 3 entries; last 3 ${head.hash}\n`);
    const anchored = captureIo();
    assert.equal(await run(['verify', '--expect', `3:${head.hash}`], anchored.io, { env }), 0);
    const wrong = captureIo();
    assert.equal(await run(['verify', '--expect', `2:${head.hash}`], wrong.io, { env }), 1);
    assert.match(wrong.out(), /BROKEN at entry 2/);
  });

  it('list prints the newest entries first', async () => {
    const c = captureIo();
    assert.equal(await run(['list', '--limit', '2'], c.io, { env }), 0);
    const lines = c.out().trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^\s*3 .* anna\s+resolve\s+web:c1$/);
    const json = captureIo();
    await run(['list', '--json'], json.io, { env });
    assert.deepEqual(
      json
        .out()
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as AuditEntry).action),
      ['resolve', 'claim', 'login'],
    );
  });

  it('names the tampered entry and exits 1', async () => {
    const data = createSqliteData({ path: join(dir, 'kefu.db') });
    await tamperAuditEntry(data, 2, (e) => ({ ...e, actor: 'wang' }));
    await data.close();
    const c = captureIo();
    assert.equal(await run(['verify'], c.io, { env }), 1);
    assert.match(c.out(), /^audit log BROKEN at entry 2 \(edited\): Entry 2 was changed after it was written/);
    assert.match(c.out(), /KEFU_ERR_AUDIT_CHAIN_BROKEN; 1 entries before it verify/);
    const json = captureIo();
    assert.equal(await run(['verify', '--json'], json.io, { env }), 1);
    assert.deepEqual(JSON.parse(json.out()), {
      ok: false,
      entries: 1,
      seq: 2,
      problem: 'edited',
      message: 'Entry 2 was changed after it was written (its hash no longer matches its content).',
      code: 'KEFU_ERR_AUDIT_CHAIN_BROKEN',
    });
  });

  it('--help exits 0; a missing or unknown subcommand and bad options exit 2', async () => {
    const help = captureIo();
    assert.equal(await run(['--help'], help.io, { env }), 0);
    assert.match(help.out(), /usage: kefu audit verify/);
    for (const argv of [[], ['fix'], ['verify', '--expect', 'x'], ['list', '--limit', '0'], ['verify', '--nope']]) {
      const c = captureIo();
      assert.equal(await run(argv, c.io, { env }), 2, argv.join(' '));
      assert.notEqual(c.err(), '');
    }
  });
});
