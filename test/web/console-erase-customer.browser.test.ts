/**
 * Erasure of a customer from the console (Chromium, real app): an admin's customer profile has the
 * button, an agent's does not; the confirm names the customer; a conversation with a person on it
 * is refused with the server's message; once it has ended, the customer's conversations are erased
 * and the count is announced (Chinese console).
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { openConsole } from './console-page';

describe('console: erase a customer (Chromium)', function () {
  this.timeout(120_000);
  let s: RunningApp;
  let browser: Browser;

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
    await postMessage(s.url, { conversationId: 'gone-soon', text: 'I need a human' });
    await s.app.handoff.idle();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('only admins see the button; a live handoff is refused; then the customer is erased', async () => {
    const wang = await openConsole(browser, s.url, 'wang', 'wang-pass-12345');
    await wang.page.locator('#queue button[data-key="web:gone-soon"]').click();
    await wang.page.locator('#past-section').waitFor();
    assert.equal(await wang.page.locator('#erase-customer').count(), 0, 'agents have no erase button');

    const anna = await openConsole(browser, s.url, 'anna', 'anna-pass-12345', { locale: 'zh-CN' });
    const page = anna.page;
    const confirms: string[] = [];
    page.on('dialog', (d) => {
      confirms.push(d.message());
      void d.accept();
    });
    await page.locator('#queue button[data-key="web:gone-soon"]').click();
    await page.locator('#erase-customer').click();
    await page.locator('#erase-customer-status', { hasText: 'with a person' }).waitFor();
    assert.match(confirms[0] ?? '', /删除与该客户（web:gone-soon）有关的全部数据/);
    assert.ok((await s.app.engine.data.messages.after('web:gone-soon', 0, 10)).length > 0, 'nothing was erased');

    const data = s.app.engine.data;
    const live = await data.handoffs.active('web:gone-soon');
    if (live) await data.handoffs.update({ ...live.value, state: 'cancelled' }, live.version);
    await page.locator('#erase-customer').click();
    await page.locator('#erase-customer-status', { hasText: '已删除该客户的 1 个会话' }).waitFor();
    assert.deepEqual(await data.messages.after('web:gone-soon', 0, 10), []);
    assert.deepEqual([...wang.errors, ...anna.errors], []);
  });
});
