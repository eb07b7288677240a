/**
 * The expert tier in the console (Chromium, real app): the assigned agent escalates a conversation
 * to the expert queue with a note (the note is required); the record goes to the expert tier; a
 * missed first-response target reaches the supervisor's console as an alert and shows on the
 * conversation; the Analytics tab shows the tier split beside the brief's 68/22/10.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { openConsole } from './console-page';

describe('console expert tier (Chromium)', function () {
  this.timeout(120_000);
  let s: RunningApp;
  let browser: Browser;

  before(async () => {
    s = await startApp({ SLA_AGENT_FIRST_RESPONSE_SECONDS: '1', SLA_EXPERT_FIRST_RESPONSE_SECONDS: '600' }, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('Anna escalates to the expert queue with a note; Li Lei (supervisor) is alerted of the missed target; analytics shows the split', async () => {
    const anna = await openConsole(browser, s.url, 'anna', 'anna-pass-12345');
    const lilei = await openConsole(browser, s.url, 'lilei', 'lilei-pass-12345');
    await s.app.handoff.setAgentStatus('lilei', 'away'); // not taking conversations yet: the first one is Anna's
    await postMessage(s.url, { conversationId: 'x1', text: 'where is my order?' });
    await postMessage(s.url, { conversationId: 'x1', text: 'I need a human' });
    assert.ok((await s.app.handoff.claim('web:x1', 'anna')).ok);

    // Nobody answered within 1 s: the supervisor's console says so (the tick runs every 5 s).
    await lilei.page.locator('#toast.toast--error', { hasText: /First-response target missed \(agent\)/ }).waitFor({ timeout: 15_000 });

    const page = anna.page;
    await page.locator('button[data-key="web:x1"]').first().click();
    await page.locator('#escalate-expert').waitFor();
    assert.match((await page.locator('#profile').textContent()) ?? '', /First-response target missed \(agent\)/);
    await page.click('#escalate-expert');
    await page.locator('#toast.toast--error', { hasText: 'Write a note for the expert first.' }).waitFor();
    assert.equal((await s.app.handoff.get('web:x1'))?.level, undefined, 'nothing sent without a note');
    await page.fill('#expert-note', 'Parcel held at customs; needs a decision on a refund');
    await page.selectOption('#expert-skill', 'refunds');
    await page.click('#escalate-expert');
    await page.locator('#toast', { hasText: 'Escalated to the expert queue' }).waitFor();
    const r = await s.app.handoff.get('web:x1');
    assert.deepEqual(
      [r?.state, r?.level, r?.escalatedBy, r?.skill, r?.escalationNote],
      ['queued', 'expert', 'anna', 'refunds', 'Parcel held at customs; needs a decision on a refund'],
    );

    await s.app.handoff.setAgentStatus('lilei', 'online');
    await lilei.page.locator('.offer[data-key="web:x1"] .offer__accept').click();
    await lilei.page.locator('.conversation[data-key="web:x1"] #profile', { hasText: 'Expert queue' }).waitFor();
    assert.match((await lilei.page.locator('#profile').textContent()) ?? '', /anna: Parcel held at customs/);
    assert.equal(await lilei.page.locator('#escalate-expert').count(), 0, 'an expert conversation is not escalated again');
    assert.ok((await s.app.handoff.resolve('web:x1', 'lilei')).ok);

    await lilei.page.click('#tab-analytics');
    const tiers = lilei.page.locator('#an-tiers');
    await tiers.waitFor();
    const rows = await tiers.locator('tbody tr').allTextContents();
    assert.equal(rows[0], 'Reference (brief: 120,000 a day)68%22%10%');
    assert.match(rows[1] ?? '', /^Measured, all0% \(0\)0% \(0\)100% \(1\)$/);
    await lilei.page.screenshot({ path: '/tmp/kefu-console-expert-analytics.png', fullPage: true });
    assert.deepEqual([...anna.errors, ...lilei.errors], []);
  });
});
