import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKefuError, loadConfig, silentLogger } from '../../core';
import { DEMO_AGENTS, parseAgents } from '../../plugins/handoff';
import { parseConsoleAgents, wireHandoff } from '../../server/wire-handoff';

describe('handoff wiring from config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-agents-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads AGENTS_FILE and CONSOLE_AGENTS', async () => {
    const file = join(dir, 'agents.json');
    writeFileSync(file, JSON.stringify([{ id: 'mia', name: 'Mia', skills: ['orders'], languages: ['en'], capacity: 2, status: 'online', handles: { slack: 'U1' } }]));
    const w = await wireHandoff(loadConfig({ AGENTS_FILE: file, CONSOLE_AGENTS: 'mia:secret1-secret1' }), silentLogger);
    assert.deepEqual(
      w.agents.map((a) => a.id),
      ['mia'],
    );
    assert.equal(w.logins.get('mia'), 'secret1-secret1');
    assert.equal(w.service.findAgentByHandle('slack', 'U1')?.id, 'mia');
  });

  it('without CONSOLE_AGENTS writes random demo logins to an owner-only file under DATA_DIR and never prints a password', async () => {
    const lines: string[] = [];
    const dataDir = join(dir, 'data');
    const w = await wireHandoff(loadConfig({ DATA_DIR: dataDir }), silentLogger, { print: (l) => lines.push(l) });
    assert.equal(w.logins.size, DEMO_AGENTS.length);
    assert.equal(lines.length, 1);
    const file = join(dataDir, 'console-logins.txt');
    assert.ok(lines[0]?.includes(file), 'the line says where the logins are');
    const text = readFileSync(file, 'utf8');
    for (const [id, pw] of w.logins) {
      assert.ok(lines[0]?.includes(id), `the line names ${id}`);
      assert.ok(!lines[0]?.includes(pw), 'no password is printed');
      assert.ok(text.includes(`${id} ${pw}`), `the file holds ${id}'s password`);
    }
    assert.equal(statSync(file).mode & 0o777, 0o600, 'only the owner reads the file');
  });

  it('the demo team starts offline (nobody is logged in), and no demo agent auto-accepts', () => {
    assert.ok(DEMO_AGENTS.every((a) => a.status === 'offline' && !a.autoAccept));
  });

  it('explains bad agents files and console logins, naming each problem', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ id: 'Bad Id', name: '', skills: [], languages: ['fr'], capacity: 0 }]));
    await assert.rejects(
      wireHandoff(loadConfig({ AGENTS_FILE: file }), silentLogger),
      (e: unknown) => isKefuError(e, 'KEFU_ERR_HANDOFF_AGENTS_INVALID') && /0\.id/.test(e.message) && /0\.languages/.test(e.message) && /0\.capacity/.test(e.message),
    );
    writeFileSync(file, '{not json');
    await assert.rejects(
      wireHandoff(loadConfig({ AGENTS_FILE: file }), silentLogger),
      (e: unknown) => isKefuError(e, 'KEFU_ERR_HANDOFF_AGENTS_INVALID') && /not valid JSON/.test(e.message),
    );
    await assert.rejects(
      wireHandoff(loadConfig({ AGENTS_FILE: join(dir, 'missing.json') }), silentLogger),
      (e: unknown) => isKefuError(e, 'KEFU_ERR_HANDOFF_AGENTS_INVALID') && /Cannot read/.test(e.message),
    );
    assert.throws(() => parseAgents([DEMO_AGENTS[0], DEMO_AGENTS[0]]), /twice/);
    assert.throws(
      () => parseConsoleAgents('anna:secret,ghost:secret1,wang:123', DEMO_AGENTS),
      (e: unknown) => isKefuError(e, 'KEFU_ERR_CONFIG_INVALID') && /ghost/.test(e.message) && /"wang" must have at least 12/.test(e.message),
    );
  });
});
