/**
 * Staff accounts over real HTTP: an admin creates an agent (who can log in and is routed to at once),
 * resets a password (old sessions end), disables (sessions end, the agent goes offline and their
 * conversation goes back to the queue) and enables; every change is audited; accounts survive a
 * restart, hashed with scrypt, no password in the store; supervisors cannot manage staff. The store
 * itself: the same on memory and SQLite data, and `refresh()` picks up another instance's changes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repositories } from '../../core';
import type { AuditEntry } from '../../plugins/audit';
import type { AgentProfile } from '../../plugins/handoff';
import { createMemoryData } from '../../core/data/memory';
import { verifyPassword } from '../../server/staff/password';
import { createStaffStore, STAFF_META } from '../../server/staff/store';
import { wireStaff } from '../../server/staff/wire';
import { createSqliteData } from '../../stores/sqlite';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type MongoServerForTests, mongoForTests } from '../support/mongo-server';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { asPage, conv, login, openSocket, type Staff } from './console-support';

const MIA = { id: 'mia', name: 'Mia', role: 'agent', password: 'mia-first-pass-1', languages: ['en'], skills: ['general', 'orders'], capacity: 2 };

describe('staff accounts', function () {
  this.timeout(40_000);

  describe('managed by an admin in the console', () => {
    let s: RunningApp;
    let anna: Staff;
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-staff-'));
    before(async () => {
      s = await startApp({}, { classifier: createKeywordClassifier() }, dataDir);
      anna = await login(s.url, 'anna');
    });
    after(async () => {
      await s?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses bad input and non-admins with coded errors', async () => {
      const short = await asPage(s.url, anna, 'POST', '/console/api/staff', { ...MIA, password: 'short' });
      assert.deepEqual([short.status, short.json.error?.code], [400, 'KEFU_ERR_STAFF_INPUT_INVALID']);
      const role = await asPage(s.url, anna, 'POST', '/console/api/staff', { ...MIA, role: 'owner' });
      assert.equal(role.json.error?.code, 'KEFU_ERR_STAFF_INPUT_INVALID');
      const taken = await asPage(s.url, anna, 'POST', '/console/api/staff', { ...MIA, id: 'wang' });
      assert.equal(taken.json.error?.code, 'KEFU_ERR_STAFF_INPUT_INVALID');
      const lilei = await login(s.url, 'lilei');
      const bySupervisor = await asPage(s.url, lilei, 'POST', '/console/api/staff', MIA);
      assert.deepEqual([bySupervisor.status, bySupervisor.json.error?.code], [403, 'KEFU_ERR_CONSOLE_FORBIDDEN']);
      const missing = await asPage(s.url, anna, 'POST', '/console/api/staff/nobody/disable', {});
      assert.deepEqual([missing.status, missing.json.error?.code], [404, 'KEFU_ERR_STAFF_NOT_FOUND']);
      const self = await asPage(s.url, anna, 'POST', '/console/api/staff/anna/disable', {});
      assert.equal(self.json.error?.code, 'KEFU_ERR_STAFF_INPUT_INVALID', 'an admin cannot lock themselves out');
    });

    it('creates an agent who logs in and is routed to at once', async () => {
      const created = await asPage<{ account: { id: string; role: string; disabled: boolean } }>(s.url, anna, 'POST', '/console/api/staff', MIA);
      assert.equal(created.status, 200, JSON.stringify(created.json));
      assert.deepEqual([created.json.account.id, created.json.account.role, created.json.account.disabled], ['mia', 'agent', false]);
      assert.ok(!JSON.stringify(created.json).includes('hash'), 'no hash leaves the server');
      const list = await asPage<{ accounts: Array<{ id: string; role: string }> }>(s.url, anna, 'GET', '/console/api/staff');
      assert.deepEqual(
        list.json.accounts.map((a) => `${a.id}:${a.role}`),
        ['anna:admin', 'lilei:supervisor', 'mia:agent', 'wang:agent'],
      );
      const mia = await login(s.url, 'mia', MIA.password);
      for (const a of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(a, 'away');
      assert.equal((await asPage(s.url, mia, 'POST', '/console/api/status', { status: 'online' })).status, 200);
      await postMessage(s.url, { conversationId: 'm1', text: 'I need a human' });
      assert.equal((await s.app.handoff.get('web:m1'))?.offer?.agentId, 'mia', 'routing offered it to the new agent');
      assert.equal((await asPage(s.url, mia, 'POST', '/console/api/conversations/web:m1/accept', {})).status, 200);
      assert.equal((await s.app.handoff.get('web:m1'))?.agentId, 'mia', 'she accepted it');
      assert.equal((await asPage(s.url, mia, 'GET', conv('web:m1'))).status, 200);
    });

    it('a password reset ends the old sessions; the old password stops working', async () => {
      const before = await login(s.url, 'mia', MIA.password);
      const reset = await asPage(s.url, anna, 'POST', '/console/api/staff/mia/password', { password: 'mia-second-pass-2' });
      assert.equal(reset.status, 200);
      assert.equal((await asPage(s.url, before, 'GET', '/console/api/state')).status, 401);
      await assert.rejects(login(s.url, 'mia', MIA.password), /401/);
      await login(s.url, 'mia', 'mia-second-pass-2');
    });

    it('disabling ends the sessions and takes the agent offline (the conversation goes back to the queue); enabling lets them in again', async () => {
      const mia = await login(s.url, 'mia', 'mia-second-pass-2');
      const live = await openSocket(s.url, { cookie: mia.cookie, origin: s.url });
      assert.equal(live.status, 101);
      const closed = new Promise<number>((resolve) => live.ws?.on('close', (code) => resolve(code)));
      const disabled = await asPage(s.url, anna, 'POST', '/console/api/staff/mia/disable', {});
      assert.equal(disabled.status, 200);
      assert.equal(await closed, 4401, 'the open console socket is closed too');
      assert.equal((await asPage(s.url, mia, 'GET', '/console/api/state')).status, 401);
      await assert.rejects(login(s.url, 'mia', 'mia-second-pass-2'), /401/);
      const agent = (await s.app.handoff.agents()).find((a) => a.id === 'mia');
      assert.equal(agent?.status, 'offline');
      assert.notEqual((await s.app.handoff.get('web:m1'))?.agentId, 'mia');
      assert.equal((await asPage(s.url, anna, 'POST', '/console/api/staff/mia/enable', {})).status, 200);
      await login(s.url, 'mia', 'mia-second-pass-2');
    });

    it('audits every change, without passwords', async () => {
      await s.app.handoff.idle();
      const log = await asPage<{ entries: AuditEntry[] }>(s.url, anna, 'GET', '/console/api/audit?limit=200');
      const staffRows = log.json.entries
        .filter((e) => e.action.startsWith('staff.'))
        .map((e) => `${e.actor} ${e.action} ${e.target}`)
        .reverse();
      assert.deepEqual(staffRows, ['system staff.seed CONSOLE_AGENTS', 'anna staff.create mia', 'anna staff.password mia', 'anna staff.disable mia', 'anna staff.enable mia']);
      assert.ok(!JSON.stringify(log.json).includes('mia-second-pass-2'));
    });

    it('keeps accounts across a restart, hashed with scrypt; the created agent is routable again', async () => {
      await s.stop(true);
      s = await startApp({}, { classifier: createKeywordClassifier() }, dataDir, Number(new URL(s.url).port));
      const stored = await s.app.engine.data.meta.get<{ accounts: Array<{ id: string; hash: string }> }>(STAFF_META);
      const text = JSON.stringify(stored?.value);
      for (const pw of ['mia-second-pass-2', 'anna-pass-12345', 'wang-pass-12345']) assert.ok(!text.includes(pw), 'no plaintext password is stored');
      const mia = stored?.value.accounts.find((a) => a.id === 'mia');
      assert.match(mia?.hash ?? '', /^scrypt\$16384\$8\$1\$/);
      assert.ok(await verifyPassword('mia-second-pass-2', mia?.hash ?? ''));
      await login(s.url, 'mia', 'mia-second-pass-2');
      assert.ok(
        (await s.app.handoff.agents()).some((a) => a.id === 'mia'),
        'back in the agents list',
      );
    });
  });

  it('start-up seeding forgets the plaintext passwords it was given', async () => {
    const s = await startApp({}, { classifier: createKeywordClassifier() });
    try {
      const logins = new Map([['anna', 'anna-new-pass-123']]);
      const store = await wireStaff({ service: s.app.handoff, agents: await s.app.handoff.agents(), logins }, s.app.engine);
      assert.equal(logins.size, 0);
      assert.deepEqual(await store.check('anna', 'anna-new-pass-123'), { id: 'anna', role: 'admin' });
    } finally {
      await s.stop();
    }
  });

  /** Two stores on one data, as two instances: one changes, the other sees it after refresh(). */
  async function twoInstances(data: Repositories): Promise<void> {
    const added: string[] = [];
    const sink = { addAgent: async (p: AgentProfile) => void added.push(p.id) };
    const here = await createStaffStore({ data, agents: sink });
    const there = await createStaffStore({ data });
    await there.seed([{ id: 'ops', role: 'admin', password: 'ops-password-123' }]);
    const profile: AgentProfile = { id: 'zoe', name: 'Zoe', skills: ['general'], languages: ['zh'], capacity: 1, status: 'offline' };
    await there.create({ profile, role: 'supervisor', password: 'zoe-password-123' });
    assert.equal(here.account('zoe'), undefined, 'not yet seen here');
    await here.refresh();
    assert.deepEqual(await here.check('zoe', 'zoe-password-123'), { id: 'zoe', role: 'supervisor' });
    assert.equal(await here.check('zoe', 'wrong-password-1'), undefined);
    assert.deepEqual(added, ['zoe']);
    await there.setDisabled('zoe', true);
    await here.refresh();
    assert.equal(await here.check('zoe', 'zoe-password-123'), undefined, 'disabled elsewhere');
    await Promise.all([here.resetPassword('ops', 'ops-password-456'), there.setDisabled('zoe', false)]);
    await here.refresh();
    assert.ok(await here.check('ops', 'ops-password-456'), 'concurrent changes both kept (compare-and-set)');
    assert.ok(await here.check('zoe', 'zoe-password-123'));
  }

  for (const [name, open] of [
    ['memory', async () => createMemoryData()],
    ['SQLite', async (dir: string) => createSqliteData({ path: join(dir, 'kefu.db') })],
  ] as const) {
    it(`the store on ${name} data: another instance's changes arrive with refresh()`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kefu-staff-store-'));
      const data: Repositories = await open(dir);
      try {
        await twoInstances(data);
      } finally {
        await data.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("the store on MongoDB data (the app's, on MONGODB_URI or the in-process wire server)", async function () {
    let mongo: MongoServerForTests;
    try {
      mongo = await mongoForTests();
    } catch (err) {
      console.log(`  SKIPPED staff store on MongoDB: no MongoDB-protocol server could start here (${(err as Error).message})`);
      return this.skip();
    }
    const uri = `${mongo.uri}${mongo.uri.includes('?') ? '&' : '?'}serverMonitoringMode=poll`;
    const app = await startApp({ MONGODB_URI: uri }, { classifier: createKeywordClassifier() });
    try {
      assert.equal(app.app.engine.data.kind, 'mongodb');
      await login(app.url, 'anna'); // seeded into MongoDB at start-up
      await twoInstances(app.app.engine.data);
    } finally {
      await app.stop();
      await mongo.stop();
    }
  });
});
