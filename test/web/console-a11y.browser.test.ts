/**
 * axe-core (serious and critical) on every console view in real Chromium: the login page, the desk
 * with a conversation, a ticket (its P1 badge), search results, the shortcut list, and the
 * Analytics, Inbox, Canned responses, Audit log, Staff and Knowledge base tabs; in English at
 * 1280 px, and in Chinese at 390 px, where nothing may be wider than the screen.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { axeViolations, type ConsolePage, horizontalOverflow, openConsole } from './console-page';

const TABS = ['analytics', 'inbox', 'canned', 'audit', 'staff', 'kb', 'experiments', 'qa'] as const;

describe('console accessibility and small screens (Chromium, axe-core)', function () {
  this.timeout(180_000);
  let s: RunningApp;
  let browser: Browser;
  const results: Record<string, string[]> = {};

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'offline');
    await postMessage(s.url, { conversationId: 'a-ticket', text: 'I need a human' }); // nobody online: a ticket
    await s.app.handoff.updateTicket('T-000001', 'lilei', { priority: 1 }); // a P1 badge in the lists
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
    await postMessage(s.url, { conversationId: 'a1', text: 'where is my order?' });
    await postMessage(s.url, { conversationId: 'a1', text: 'I need a human' });
  });
  after(async () => {
    console.log(`      axe serious/critical per view: ${JSON.stringify(results)}`);
    await browser?.close();
    await s?.stop();
  });

  /** Checks the page as it is now; `label` names the view in the report. */
  async function check(page: Page, label: string, narrow: boolean): Promise<void> {
    await page.waitForTimeout(150); // let a view that just drew settle (charts, focus)
    results[label] = await axeViolations(page);
    assert.deepEqual(results[label], [], `${label}: axe found serious or critical violations`);
    if (narrow) assert.equal(await horizontalOverflow(page), 0, `${label}: wider than 390 px`);
  }

  async function everyView(c: ConsolePage, lang: string, narrow: boolean): Promise<void> {
    const { page } = c;
    await check(page, `${lang} desk`, narrow);
    await page.locator('#queue button[data-key="web:a1"]').click();
    await page.locator('.conversation[data-key="web:a1"]').waitFor();
    await page.locator('#past li').first().waitFor();
    await check(page, `${lang} conversation`, narrow);
    await page.locator('#tickets button[data-ticket]').first().click();
    await page.locator('.ticket').waitFor();
    await check(page, `${lang} ticket`, narrow);
    await page.fill('#search', 'human');
    await page.locator('#search-list button').first().waitFor();
    await check(page, `${lang} search`, narrow);
    await page.press('#search', 'Escape');
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('?');
    await page.locator('#keys[open]').waitFor();
    await check(page, `${lang} shortcuts`, narrow);
    await page.keyboard.press('Escape');
    for (const tab of TABS) {
      await page.click(`#tab-${tab}`);
      await page.locator('#insights > *').first().waitFor();
      await page.waitForLoadState('networkidle');
      await check(page, `${lang} ${tab}`, narrow);
    }
    await page.click('#tab-desk');
    assert.deepEqual(c.errors, []);
  }

  it('the login page', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 800 } })).newPage();
    await page.goto(`${s.url}/console/`);
    await check(page, 'login', true);
    await page.context().close();
  });

  it('every view in English at 1280 px', async () => {
    const anna = await openConsole(browser, s.url, 'anna', 'anna-pass-12345');
    await anna.page.locator('#tickets .badge--p1').waitFor();
    await everyView(anna, 'en', false);
    await anna.page.context().close();
  });

  it('every view in Chinese at 390 px, without horizontal overflow', async () => {
    const anna = await openConsole(browser, s.url, 'anna', 'anna-pass-12345', { viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await anna.page.locator('#tab-desk', { hasText: '对话' }).waitFor();
    await everyView(anna, 'zh', true);
    await anna.page.context().close();
  });
});
