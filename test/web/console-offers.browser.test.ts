/**
 * Offers in the console (Chromium, real app): routing offers a waiting conversation to the agent
 * who is online; the console shows a card with the customer, topic and language, Accept, Decline
 * and a countdown. Accept opens the conversation with the agent; Decline passes it on.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { openConsole } from './console-page';

type Offered = { offer?: { agentId: string }; declinedBy?: string[]; state: string; agentId?: string };

describe('console offers (Chromium)', function () {
  this.timeout(120_000);
  let s: RunningApp;
  let browser: Browser;

  before(async function () {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    if (typeof (s.app.handoff as { accept?: unknown }).accept !== 'function') {
      await s.stop();
      this.skip(); // offers are the presence work's (plugins/handoff); this runs once it is on main
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows an offer with a countdown; Accept takes it, Decline passes it on', async () => {
    const anna = await openConsole(browser, s.url, 'anna', 'anna-pass-12345');
    const page = anna.page;
    await postMessage(s.url, { conversationId: 'o1', text: 'where is my order?' });
    await postMessage(s.url, { conversationId: 'o1', text: 'I need a human' });
    const card = page.locator('.offer[data-key="web:o1"]');
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /Visitor #\d{4} · Where’s my order\? · English/);
    assert.match((await card.locator('.offer__countdown').textContent()) ?? '', /^\d+ s left to accept$/);
    await card.locator('.offer__accept').click();
    await page.locator('.conversation[data-key="web:o1"] #conv-state', { hasText: 'with anna' }).waitFor();
    await card.waitFor({ state: 'detached' });
    assert.equal((await s.app.handoff.get('web:o1'))?.agentId, 'anna');

    await postMessage(s.url, { conversationId: 'o2', text: 'I need a human' });
    const second = page.locator('.offer[data-key="web:o2"]');
    await second.waitFor();
    await second.locator('.offer__decline').click();
    await second.waitFor({ state: 'detached' });
    const record = (await s.app.handoff.get('web:o2')) as Offered | undefined;
    assert.equal(record?.state, 'queued');
    assert.ok(record?.declinedBy?.includes('anna'), 'anna passed on it');
    assert.deepEqual(anna.errors, []);
  });
});
