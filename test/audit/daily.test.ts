/**
 * The daily automatic audit (issue 12, item 4): a signed digest per day outside the store, chained
 * day to day; an edited entry, a log rewritten from entry 1, or an altered digest is caught (by
 * the next day's verification and by `kefu audit verify --since`); each day is written once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as auditCommand } from '../../cli/commands/audit';
import { silentLogger } from '../../core';
import { createAuditLog } from '../../plugins/audit';
import { startDailyAudit } from '../../server/audit-daily';
import { dayBefore, localClock, parseDailyTime, startOfDay } from '../../server/audit-daily/clock';
import { signatureValid } from '../../server/audit-daily/digest';
import { loadServerSecret } from '../../server/secret';
import { createSqliteData, type SqliteData } from '../../stores/sqlite';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { startApp } from '../support/server';
import { tamperAuditEntry } from '../support/tamper';
import { captureIo } from '../support/command-io';

const DAY = 86_400_000;
const MONDAY = Date.parse('2026-11-30T10:00:00Z');

describe('daily automatic audit', function () {
  this.timeout(30_000);
  let dir: string;
  let data: SqliteData;
  let key: Buffer;
  const clock = { t: MONDAY };
  const env = () => ({ DATA_DIR: dir, LOG_LEVEL: 'silent' });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-daily-'));
    data = createSqliteData({ path: join(dir, 'kefu.db') });
    key = (await loadServerSecret({ DATA_DIR: dir })).keyFor('audit-digest');
    clock.t = MONDAY;
    afterDays.length = 0;
  });
  afterEach(async () => {
    await data.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const log = () => createAuditLog({ data, now: () => clock.t });
  const afterDays: string[] = [];
  const daily = () =>
    startDailyAudit({
      data,
      dataDir: dir,
      key,
      at: parseDailyTime('03:00 Asia/Shanghai'),
      log: silentLogger,
      now: () => clock.t,
      afterDay: async (date) => void afterDays.push(date),
    });

  it('days in a zone: where they start, and what day it is there', () => {
    assert.equal(startOfDay('2026-12-01', 'UTC'), Date.parse('2026-12-01T00:00:00Z'));
    assert.equal(startOfDay('2026-12-01', 'Asia/Shanghai'), Date.parse('2026-11-30T16:00:00Z'));
    assert.equal(startOfDay('2026-07-01', 'America/New_York'), Date.parse('2026-07-01T04:00:00Z'));
    assert.deepEqual(localClock(Date.parse('2026-11-30T20:30:00Z'), 'Asia/Shanghai'), { date: '2026-12-01', minutes: 4 * 60 + 30 });
    assert.equal(dayBefore('2026-03-01'), '2026-02-28');
  });

  it('writes one signed digest per day with the day’s entries by action, chained to the day before', async () => {
    await log().append({ actor: 'anna', action: 'login', target: 'anna', detail: {} });
    await log().append({ actor: 'anna', action: 'claim', target: 'web:a', detail: {} });
    clock.t += DAY; // Tuesday
    await log().append({ actor: 'wang', action: 'reply', target: 'web:b', detail: { delivery: 'sent', attachments: 0 } });
    const audit = await daily();
    const monday = await audit.run('2026-11-30');
    assert.ok(monday?.ok);
    assert.deepEqual(monday.actions, { login: 1, claim: 1 });
    assert.equal(monday.entries, 3);
    assert.ok(signatureValid(monday, key));
    assert.equal(await audit.run('2026-11-30'), undefined, 'a day is written once');
    assert.deepEqual(afterDays, ['2026-11-30'], 'the daily reports ran once for the day');
    const tuesday = await audit.run('2026-12-01');
    assert.deepEqual(tuesday?.actions, { reply: 1 });
    assert.equal(typeof tuesday?.previous, 'string', 'chained to Monday’s digest');
    assert.deepEqual(audit.last(), { date: '2026-12-01', ok: true, verifiedAt: clock.t, entries: 3 });
    assert.equal((await audit.recent(5)).length, 2);
    audit.stop();

    const c = captureIo();
    assert.equal(await auditCommand(['verify', '--since', '2026-11-30'], c.io, { env: env(), data }), 0, c.out() + c.err());
    assert.match(c.out(), /daily digests OK: 2 since 2026-11-30/);
  });

  it('an edited entry fails the next day’s verification; an altered digest and a rewritten log are caught', async () => {
    for (let i = 0; i < 3; i++) await log().append({ actor: 'anna', action: 'reply', target: `web:c${i}`, detail: { delivery: 'sent', attachments: 0 } });
    const audit = await daily();
    assert.ok((await audit.run('2026-11-30'))?.ok);

    await tamperAuditEntry(data, 2, (e) => ({ ...e, target: 'web:someone-else' }));
    const broken = await audit.run('2026-12-01');
    assert.equal(broken?.ok, false);
    assert.equal(broken?.problem?.seq, 2);
    assert.equal(audit.last()?.ok, false, 'shown as failed');
    audit.stop();

    const file = join(dir, 'audit', '2026-11-30.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"entries": 3', '"entries": 4'));
    const c = captureIo();
    assert.equal(await auditCommand(['verify', '--since', '2026-11-30'], c.io, { env: env(), data }), 1);
    assert.match(c.out(), /2026-11-30: the digest does not match its signature/);
    assert.match(c.out(), /2026-12-01: that day's verification failed/);
  });

  it('a log rewritten from entry 1 verifies on its own, but not against the digest', async () => {
    for (let i = 0; i < 2; i++) await log().append({ actor: 'anna', action: 'claim', target: `web:r${i}`, detail: {} });
    const audit = await daily();
    assert.ok((await audit.run('2026-11-30'))?.ok);
    audit.stop();
    // A forger with the database rebuilds the whole chain with other entries: it verifies by itself.
    data.db.prepare('DELETE FROM kefu_audit').run();
    data.db.prepare("DELETE FROM kefu_meta WHERE name = 'audit-head'").run();
    for (let i = 0; i < 2; i++) await log().append({ actor: 'wang', action: 'claim', target: `web:forged${i}`, detail: {} });
    assert.ok((await createAuditLog({ data }).verify()).ok, 'the rewritten chain is consistent in itself');
    const next = await (await daily()).run('2026-12-01');
    assert.equal(next?.ok, false);
    assert.equal(next?.problem?.kind, 'rewritten');
  });

  it('/healthz and the console (supervisors) show the last verification', async () => {
    await log().append({ actor: 'anna', action: 'login', target: 'anna', detail: {} });
    const audit = await daily();
    await audit.run('2026-11-30');
    audit.stop();
    await data.close();
    const app = await startApp({}, { classifier: createKeywordClassifier() }, dir);
    try {
      const health = (await (await fetch(`${app.url}/healthz`)).json()) as { audit?: { date: string; ok: boolean } };
      assert.deepEqual({ date: health.audit?.date, ok: health.audit?.ok }, { date: '2026-11-30', ok: true });
      const as = async (agentId: string) => {
        const login = await fetch(`${app.url}/console/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ agentId, password: `${agentId}-pass-12345` }),
        });
        const { token } = (await login.json()) as { token: string };
        return fetch(`${app.url}/console/api/audit/daily`, { headers: { authorization: `Bearer ${token}` } });
      };
      const supervisor = (await (await as('lilei')).json()) as { digests: Array<{ date: string }> };
      assert.deepEqual(
        supervisor.digests.map((d) => d.date),
        ['2026-11-30'],
      );
      assert.equal((await as('wang')).status, 403, 'agents do not read the audit');
    } finally {
      await app.stop(true);
      data = createSqliteData({ path: join(dir, 'kefu.db') }); // afterEach closes it
    }
  });
});
