/**
 * The console's role-aware tabs and the admin's Staff view in real Chromium against the real app
 * (security headers on, so the page's POSTs pass the CSRF check under `Referrer-Policy:
 * no-referrer`): an agent sees no Analytics, Audit log, Staff or Knowledge base tab, a supervisor no Staff tab;
 * an admin creates an account, resets its password, disables and enables it, in English and in
 * Chinese, and the server agrees at each step.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type RunningApp, startApp } from '../support/server';
import { until } from '../support/until';

const loginWith = (url: string, id: string, password: string) =>
  fetch(`${url}/console/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: id, password }) });

describe('console roles and the Staff view (Chromium)', function () {
  this.timeout(60_000);
  let s: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  async function pageAs(id: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/.test(m.text())) pageErrors.push(m.text());
    });
    await page.goto(`${s.url}/console/`);
    await page.fill('#login-agent', id);
    await page.fill('#login-password', password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor();
    await page.locator('#live[data-state="live"]').waitFor(); // the socket passed the Origin check
    return page;
  }

  const visibleTabs = (page: Page) => page.locator('#tabs button[data-tab]:not([hidden])').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.tab));

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('hides the tabs a role cannot use: agent (no analytics, audit, staff), supervisor (no staff)', async () => {
    const agent = await pageAs('wang', 'wang-pass-12345');
    assert.deepEqual(await visibleTabs(agent), ['desk', 'inbox', 'canned']);
    await agent.selectOption('#status', 'away'); // a POST from the page: accepted with the page's Origin
    await until('wang away', async () => (await s.app.handoff.agents()).find((a) => a.id === 'wang')?.status === 'away', 5000);
    await agent.context().close();
    const supervisor = await pageAs('lilei', 'lilei-pass-12345');
    assert.deepEqual(await visibleTabs(supervisor), ['desk', 'analytics', 'inbox', 'canned', 'audit', 'kb', 'experiments', 'qa']);
    await supervisor.context().close();
  });

  it('an admin creates an account, resets its password, disables and enables it', async () => {
    const page = await pageAs('anna', 'anna-pass-12345');
    assert.deepEqual(await visibleTabs(page), ['desk', 'analytics', 'inbox', 'canned', 'audit', 'staff', 'kb', 'experiments', 'qa']);
    await page.click('#tab-staff');
    await page.locator('#staff-table tr[data-staff-id="wang"]').waitFor();
    assert.equal(await page.locator('#staff-table tr[data-staff-id="lilei"] .staff__role').textContent(), 'Supervisor');

    await page.fill('#staff-new-id', 'mia');
    await page.fill('#staff-new-name', 'Mia Chen');
    await page.selectOption('#staff-new-role', 'supervisor');
    await page.fill('#staff-new-password', 'mia-first-pass-1');
    await page.check('#staff-new-zh');
    await page.fill('#staff-new-skills', 'orders, refunds');
    await page.click('#staff-new-submit');
    const row = page.locator('#staff-table tr[data-staff-id="mia"]');
    await row.waitFor();
    assert.equal(await row.locator('.staff__role').textContent(), 'Supervisor');
    const mia = (await s.app.handoff.agents()).find((a) => a.id === 'mia');
    assert.deepEqual([mia?.name, mia?.languages, mia?.skills], ['Mia Chen', ['en', 'zh'], ['orders', 'refunds']]);
    assert.equal((await loginWith(s.url, 'mia', 'mia-first-pass-1')).status, 200);

    await row.locator('.staff__password').fill('mia-second-pass-2');
    await row.locator('.staff__reset').click();
    await page.locator('#toast', { hasText: 'Password of mia reset' }).waitFor();
    assert.equal((await loginWith(s.url, 'mia', 'mia-first-pass-1')).status, 401);
    assert.equal((await loginWith(s.url, 'mia', 'mia-second-pass-2')).status, 200);

    await page.locator('#staff-table tr[data-staff-id="mia"] .staff__toggle[data-action="disable"]').click();
    await page.locator('#staff-table tr[data-staff-id="mia"] .staff__state', { hasText: 'Disabled' }).waitFor();
    assert.equal((await loginWith(s.url, 'mia', 'mia-second-pass-2')).status, 401);

    await page.click('#ui-lang'); // 中文
    await page.locator('#tab-staff', { hasText: '人员管理' }).waitFor();
    await page.locator('#staff-table tr[data-staff-id="mia"] .staff__state', { hasText: '已停用' }).waitFor();
    await page.locator('#staff-table tr[data-staff-id="mia"] .staff__toggle[data-action="enable"]').click();
    await page.locator('#staff-table tr[data-staff-id="mia"] .staff__state', { hasText: '启用中' }).waitFor();
    assert.equal((await loginWith(s.url, 'mia', 'mia-second-pass-2')).status, 200);
    await page.screenshot({ path: '/tmp/kefu-console-staff.png' });
    await page.click('#ui-lang'); // back to English for the next page
    assert.deepEqual(pageErrors, []);
  });
});
