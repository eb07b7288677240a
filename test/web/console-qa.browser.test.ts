/**
 * The console's Quality (质检) view in real Chromium against the real app: a supervisor sees a
 * conversation an agent resolved without greeting or closing, with its reasons and the agent's
 * score; dismisses it (it moves to the Dismissed list); the view switches to Chinese; agents have
 * no Quality tab.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { asPage, conv, login } from '../e2e/console-support';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';

describe('console Quality view (Chromium)', function () {
  this.timeout(90_000);
  let s: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  async function pageAs(id: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${s.url}/console/`);
    await page.fill('#login-agent', id);
    await page.fill('#login-password', password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor();
    return page;
  }

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
    const wang = await login(s.url, 'wang');
    await postMessage(s.url, { conversationId: 'qa-b1', text: 'I need a human' });
    await asPage(s.url, wang, 'POST', conv('web:qa-b1', 'claim'), {});
    await asPage(s.url, wang, 'POST', conv('web:qa-b1', 'reply'), { text: 'Your parcel arrives tomorrow.' });
    await asPage(s.url, wang, 'POST', conv('web:qa-b1', 'resolve'), {});
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('is not offered to agents', async () => {
    const page = await pageAs('wang', 'wang-pass-12345');
    assert.equal(await page.locator('#tab-qa').isHidden(), true);
    await page.context().close();
  });

  it('lets a supervisor review a flagged conversation and dismiss it, in English and Chinese', async () => {
    const page = await pageAs('lilei', 'lilei-pass-12345');
    await page.click('#tab-qa');
    const row = page.locator('#qa-flags tr', { hasText: 'web:qa-b1' });
    await row.waitFor();
    assert.deepEqual(await row.locator('li[data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag'))), ['no_greeting', 'no_closing']);
    assert.match((await row.locator('li[data-flag="no_greeting"]').textContent()) ?? '', /no greeting/);
    assert.equal(await page.locator('#qa-agents tr[data-agent="wang"] td').nth(2).textContent(), '90');
    assert.equal(await page.getAttribute('#qa-export', 'href'), '/console/api/qa/export.csv');

    await row.locator('button[data-action="dismiss"]').click();
    await row.waitFor({ state: 'detached' });
    await page.selectOption('#qa-status', 'dismissed');
    await page.locator('#qa-flags tr', { hasText: 'web:qa-b1' }).waitFor();
    assert.equal(await page.locator('#qa-flags tr', { hasText: 'web:qa-b1' }).locator('button[data-action="dismiss"]').count(), 0);

    await page.click('#ui-lang');
    await page.locator('#insights h2', { hasText: '质检' }).waitFor();
    assert.equal(await page.locator('#tab-qa').textContent(), '质检');
    assert.deepEqual(pageErrors, []);
    await page.context().close();
  });
});
