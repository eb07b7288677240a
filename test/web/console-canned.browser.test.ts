/**
 * Canned responses managed in the console (Chromium, real app): a supervisor adds one with English
 * and Chinese texts, edits and deletes it in the Canned responses tab; an agent sees the list
 * without edit controls and expands the new shortcut in a reply; each change is in the audit log.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { AuditEntry } from '../../plugins/audit';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { asPage, login } from '../e2e/console-support';
import { openConsole } from './console-page';

describe('console canned responses (Chromium)', function () {
  this.timeout(120_000);
  let s: RunningApp;
  let browser: Browser;

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('a supervisor adds, edits and deletes one; an agent uses it', async () => {
    const lilei = await openConsole(browser, s.url, 'lilei', 'lilei-pass-12345');
    const page = lilei.page;
    page.on('dialog', (d) => void d.accept());
    await page.click('#tab-canned');
    await page.locator('#canned-table tr[data-shortcut="thanks"]').waitFor();
    await page.fill('#canned-shortcut', 'refund');
    await page.fill('#canned-en', 'Your refund is on its way: 3-5 working days.');
    await page.fill('#canned-zh', '退款已在处理中，3-5 个工作日到账。');
    await page.click('#canned-save');
    const row = page.locator('#canned-table tr[data-shortcut="refund"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /退款已在处理中/);
    await row.locator('.canned__edit').click();
    assert.equal(await page.inputValue('#canned-shortcut'), 'refund');
    await page.fill('#canned-en', 'Your refund is on its way.');
    await page.click('#canned-save');
    await row.locator('td', { hasText: 'Your refund is on its way.' }).waitFor();
    await page.fill('#canned-shortcut', 'Not Valid');
    await page.fill('#canned-en', 'x');
    await page.click('#canned-save');
    assert.equal(await page.locator('#canned-table tr[data-shortcut="Not Valid"]').count(), 0, 'the form refuses a bad shortcut');

    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
    await postMessage(s.url, { conversationId: 'c1', text: 'I need a human' });
    const wang = await openConsole(browser, s.url, 'wang', 'wang-pass-12345');
    await wang.page.click('#tab-canned');
    await wang.page.locator('#canned-table tr[data-shortcut="refund"]').waitFor();
    assert.equal(await wang.page.locator('.canned__edit, #canned-form').count(), 0, 'agents only read the list');
    await wang.page.click('#tab-desk');
    await wang.page.locator('#queue button[data-key="web:c1"]').click();
    await wang.page.click('#claim');
    await wang.page.locator('#reply-text').pressSequentially('Hello! /ref');
    await wang.page.locator('#reply-text').press('Enter');
    assert.equal(await wang.page.locator('#reply-text').inputValue(), 'Hello! Your refund is on its way.');

    await row.locator('.canned__delete').click();
    await row.waitFor({ state: 'detached' });
    const audit = await asPage<{ entries: AuditEntry[] }>(s.url, await login(s.url, 'lilei'), 'GET', '/console/api/audit?limit=50');
    const changes = audit.json.entries.filter((e) => e.action.startsWith('canned.')).map((e) => `${e.actor} ${e.action} ${e.target}`);
    assert.deepEqual(changes.sort(), ['lilei canned.create /refund', 'lilei canned.delete /refund', 'lilei canned.update /refund']);
    assert.deepEqual([...lilei.errors, ...wang.errors], []);
  });
});
