/**
 * The console's Analytics, Inbox and Audit log tabs in real Chromium against the real app: KPI
 * tiles and SVG charts match the day's conversations, the view switches to Chinese, an agent
 * labels an unrecognised message, and the audit log lists it and verifies (then names a tampered
 * entry).
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { tamperAuditEntry } from '../support/tamper';
import { MINUTE, rankingClassifier } from './support';

const DAY0 = Date.UTC(2025, 2, 3, 9, 0);

describe('console analytics, inbox and audit (Chromium)', function () {
  this.timeout(60_000);
  let s: RunningApp;
  let browser: Browser;
  let page: Page;
  const clock = { t: DAY0 };
  const pageErrors: string[] = [];
  const tile = (kpi: string) => page.locator(`.kpi[data-kpi="${kpi}"] .kpi__value`);

  before(async () => {
    s = await startApp({}, { classifier: rankingClassifier(), now: () => clock.t });
    const h = s.app.handoff;
    for (const a of await h.agents()) await h.setAgentStatus(a.id, 'away'); // escalations wait in the queue
    await postMessage(s.url, { conversationId: 'w1', text: 'hello' });
    await postMessage(s.url, { conversationId: 'w2', text: 'the widget wobbles' });
    await postMessage(s.url, { conversationId: 'w3', text: 'I need a human' });
    await postMessage(s.url, { conversationId: 'w4', text: '转人工' });
    clock.t = DAY0 + 2 * MINUTE;
    assert.ok((await h.claim('web:w3', 'anna')).ok);
    clock.t = DAY0 + 3 * MINUTE;
    assert.ok((await h.reply('web:w3', 'anna', { text: 'Hi, Anna here' })).ok);
    clock.t = DAY0 + 5 * MINUTE;
    assert.ok((await h.resolve('web:w3', 'anna')).ok);
    await h.idle();
    await postMessage(s.url, { conversationId: 'w3', text: '5', payload: 'csat:5' });
    await h.idle();

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: Number(process.env.SHOT_HEIGHT ?? 900) }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${s.url}/console/`);
    await page.fill('#login-agent', 'anna');
    await page.fill('#login-password', 'anna-pass-12345');
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('Analytics: KPI tiles, a line chart per day, escalation reasons and CSAT bars for the chosen range', async () => {
    await page.click('#tab-analytics');
    await page.locator('#an-refresh').waitFor();
    await page.fill('#an-from', '2025-03-02');
    await page.fill('#an-to', '2025-03-04');
    await page.click('#an-refresh');
    await page.locator('#chart-daily').waitFor();
    assert.equal(await tile('conversations').textContent(), '4');
    assert.equal(await tile('escalationRate').textContent(), '50%');
    assert.equal(await tile('automationRate').textContent(), '50%');
    assert.equal(await tile('fallbackRate').textContent(), '25%');
    assert.equal(await tile('avgWait').textContent(), '2 min');
    assert.equal(await tile('firstResponse').textContent(), '3 min');
    assert.equal(await tile('handleTime').textContent(), '3 min');
    assert.equal(await tile('csat').textContent(), '5.00 / 5');
    assert.equal(await page.locator('#chart-daily path.chart__line').count(), 2);
    assert.equal(await page.locator('#chart-daily circle.series--conversations').count(), 3);
    assert.equal(await page.locator('#chart-daily circle.series--conversations title').nth(1).textContent(), '2025-03-03 Conversations: 4');
    assert.equal(await page.locator('#chart-daily circle.series--escalations title').nth(1).textContent(), '2025-03-03 Escalations: 2');
    assert.equal(await page.locator('#chart-reasons rect.chart__bar').count(), 5);
    assert.equal(await page.locator('#chart-reasons rect.chart__bar title').first().textContent(), 'Asked for a person: 2 · 50%');
    assert.equal(await page.locator('#chart-reasons rect.chart__bar').nth(1).getAttribute('width'), '0.0');
    assert.deepEqual(await page.locator('#chart-csat rect.chart__bar title').allTextContents(), ['1★: 0', '2★: 0', '3★: 0', '4★: 0', '5★: 1']);
    assert.deepEqual(await page.locator('#an-locales tbody td:first-child').allTextContents(), ['en', 'zh']);
    await page.screenshot({ path: '/tmp/kefu-console-analytics.png', fullPage: true });
  });

  it('switches the views to Chinese and back', async () => {
    await page.click('#ui-lang');
    await page.locator('#tab-analytics', { hasText: '数据分析' }).waitFor();
    await page.locator('.kpi[data-kpi="conversations"] .kpi__label', { hasText: '会话数' }).waitFor();
    await page.locator('#chart-daily', { hasText: '每日会话与转人工' }).waitFor();
    assert.equal(await tile('avgWait').textContent(), '2分');
    await page.screenshot({ path: '/tmp/kefu-console-analytics-zh.png', fullPage: true });
    await page.click('#ui-lang');
    await page.locator('#tab-analytics', { hasText: 'Analytics' }).waitFor();
  });

  it('Inbox: an agent labels an unrecognised message; it leaves the open list', async () => {
    await page.click('#tab-inbox');
    const item = page.locator('#inbox-list li', { hasText: 'the widget wobbles' });
    await item.waitFor();
    assert.equal(await item.locator('.inbox__count').textContent(), '1×');
    await item.locator('.chip[data-intent="refund.request"]').click();
    assert.equal(await item.locator('.inbox__intent').inputValue(), 'refund.request');
    await page.screenshot({ path: '/tmp/kefu-console-inbox.png', fullPage: true });
    await item.locator('.inbox__label').click();
    await page.locator('#toast', { hasText: 'Labelled: refund.request' }).waitFor();
    await page.locator('.empty', { hasText: 'Nothing here.' }).waitFor();
    const labelled = await s.app.engine.data.inbox.list({}, { limit: 10 });
    assert.deepEqual(
      labelled.items.map((e) => [e.status, e.intent, e.by]),
      [['labelled', 'refund.request', 'anna']],
    );
  });

  it('Inbox: the intents offered are the bot’s; a new intent is its own, explicit action', async () => {
    await postMessage(s.url, { conversationId: 'w5', text: 'can the glow be made purple' });
    await page.click('#tab-analytics');
    await page.click('#tab-inbox');
    const item = page.locator('#inbox-list li', { hasText: 'can the glow be made purple' });
    await item.waitFor();
    const offered = await item.locator('.inbox__intent option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    assert.ok(offered.includes('order.status') && offered.includes('refund.request'), `the bot's intents: ${offered.join(', ')}`);
    assert.ok(!offered.includes('colour.change'), 'nothing the bot does not know');
    await item.locator('.inbox__new').click();
    await item.locator('.inbox__new-name').fill('colour.change');
    await item.locator('.inbox__new-create').click();
    await page.locator('#toast', { hasText: 'New intent: colour.change' }).waitFor();
    const entry = (await s.app.engine.data.inbox.list({}, { limit: 10 })).items.find((e) => e.text.includes('purple'));
    assert.deepEqual([entry?.status, entry?.intent], ['labelled', 'colour.change']);
  });

  it('Audit log: lists staff actions newest first, verifies, and names an entry tampered with in the store', async () => {
    await page.click('#tab-audit');
    await page.locator('#audit-table tbody tr').first().waitFor();
    const actions = await page.locator('#audit-table tbody td.audit__action').allTextContents();
    assert.equal(actions[0], 'inbox.label');
    for (const a of ['login', 'claim', 'reply', 'resolve', 'status']) assert.ok(actions.includes(a), `${a} in ${actions.join(',')}`);
    await page.click('#audit-verify');
    await page.locator('#audit-result.audit__result--ok', { hasText: `Chain intact: ${actions.length} entries` }).waitFor();

    await tamperAuditEntry(s.app.engine.data, 3, (e) => ({ ...e, actor: 'mallory' }));
    await page.click('#audit-verify');
    await page.locator('#audit-result.audit__result--broken', { hasText: 'Broken at entry #3 (edited)' }).waitFor();
    await page.screenshot({ path: '/tmp/kefu-console-audit.png', fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
