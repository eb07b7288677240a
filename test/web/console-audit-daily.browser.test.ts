/**
 * The console's Audit log tab shows the last daily automatic verification (issue 12, item 4): green
 * when the day verified, a red alert naming the problem when it did not. Real Chromium, real app.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { silentLogger } from '../../core';
import { createAuditLog } from '../../plugins/audit';
import { startDailyAudit } from '../../server/audit-daily';
import { parseDailyTime } from '../../server/audit-daily/clock';
import { loadServerSecret } from '../../server/secret';
import { createSqliteData } from '../../stores/sqlite';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { startApp } from '../support/server';
import { openConsole } from './console-page';

describe('console: the daily automatic audit (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let dir: string;
  before(async () => {
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'kefu-daily-ui-'));
    const data = createSqliteData({ path: join(dir, 'kefu.db') });
    await createAuditLog({ data }).append({ actor: 'anna', action: 'login', target: 'anna', detail: {} });
    const key = (await loadServerSecret({ DATA_DIR: dir })).keyFor('audit-digest');
    const daily = await startDailyAudit({ data, dataDir: dir, key, at: parseDailyTime('03:00'), log: silentLogger });
    await daily.run('2026-11-30');
    daily.stop();
    await data.close();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const auditTab = async () => {
    const app = await startApp({}, { classifier: createKeywordClassifier() }, dir);
    const { page, errors } = await openConsole(browser, app.url, 'lilei', 'lilei-pass-12345');
    await page.click('#tab-audit');
    return { app, page, errors };
  };

  it('a verified day is shown in green', async () => {
    const { app, page, errors } = await auditTab();
    try {
      await page.locator('#audit-daily.audit__result--ok', { hasText: 'Daily automatic audit: 2026-11-30 verified (1 entries)' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await page.context().close();
      await app.stop(true);
    }
  });

  it('a failed day is a red alert naming the problem', async () => {
    const file = join(dir, 'audit', '2026-12-01.json');
    const failed = {
      ...JSON.parse(readFileSync(join(dir, 'audit', '2026-11-30.json'), 'utf8')),
      date: '2026-12-01',
      ok: false,
      problem: { seq: 1, kind: 'edited', message: 'Entry 1 was edited.' },
    };
    writeFileSync(file, JSON.stringify(failed));
    const { app, page } = await auditTab();
    try {
      const alert = page.locator('#audit-daily[role="alert"].audit__result--broken');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /2026-12-01 FAILED: Entry 1 was edited\./);
    } finally {
      await page.context().close();
      await app.stop(true);
    }
  });
});
