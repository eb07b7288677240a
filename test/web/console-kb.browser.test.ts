/**
 * The console's Knowledge base view in real Chromium against the real app and NLU: a supervisor
 * sees the demo's FAQs, adds one (the training status goes from training to ready, and the bot
 * then answers the new question), edits an answer, switches to the Chinese entries and the Chinese
 * view, and deletes an entry; an agent has no Knowledge base tab.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { postMessage, type RunningApp, startApp } from '../support/server';

describe('console Knowledge base view (Chromium)', function () {
  this.timeout(90_000);
  let s: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  async function pageAs(id: string, password: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${s.url}/console/`);
    await page.fill('#login-agent', id);
    await page.fill('#login-password', password);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor();
    return page;
  }

  const reply = async (text: string, conversationId: string) =>
    ((await postMessage(s.url, { conversationId, userId: conversationId, text })).json.replies ?? []).map((r) => r.text).join('\n');

  before(async () => {
    s = await startApp({});
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('is not offered to agents', async () => {
    const page = await pageAs('wang', 'wang-pass-12345');
    assert.equal(await page.locator('#tab-kb').isHidden(), true);
    await page.context().close();
  });

  it('lets a supervisor add, edit and delete FAQs and shows the training status, in English and Chinese', async () => {
    const page = await pageAs('lilei', 'lilei-pass-12345');
    await page.click('#tab-kb');
    await page.locator('#kb-table tr[data-intent="faq.hours"]').waitFor();
    assert.equal(await page.locator('#kb-table tr[data-intent="faq.shipping"] .kb__title').textContent(), 'Shipping & delivery');
    assert.match((await page.locator('#kb-status').textContent()) ?? '', /Model ready/);

    await page.fill('#kb-intent', 'faq.warranty');
    await page.fill('#kb-title', 'Warranty');
    await page.fill('#kb-questions', 'is there a warranty\nhow long is the warranty\ndo lamps come with a guarantee\nwarranty period for a lamp');
    await page.fill('#kb-answer', 'Every lamp has a 2-year warranty.');
    await page.fill('#kb-buttons', 'Talk to a person | intent:agent.request');
    await page.click('#kb-save');
    await page.locator('#kb-table tr[data-intent="faq.warranty"]').waitFor();
    assert.equal(await page.locator('#kb-table tr[data-intent="faq.warranty"] .kb__version').textContent(), 'v1 by lilei');
    await page.locator('#kb-status[data-state="ready"]').waitFor({ timeout: 30_000 }); // polled while training
    assert.match(await reply('how long is the warranty on my lamp?', 'kb-web-1'), /2-year warranty/);

    await page.click('#kb-table tr[data-intent="faq.warranty"] .kb__edit');
    assert.equal(await page.inputValue('#kb-intent'), 'faq.warranty');
    assert.equal(await page.inputValue('#kb-buttons'), 'Talk to a person | intent:agent.request');
    await page.fill('#kb-answer', 'Every lamp has a 3-year warranty.');
    await page.click('#kb-save');
    await page.locator('#kb-table tr[data-intent="faq.warranty"] .kb__version', { hasText: 'v2 by lilei' }).waitFor();
    assert.match(await reply('is there a warranty', 'kb-web-2'), /3-year warranty/);

    await page.click('#ui-lang'); // the view in Chinese, the Chinese entries
    await page.selectOption('#kb-locale', 'zh');
    await page.locator('#kb-table tr[data-intent="faq.shipping"] .kb__title', { hasText: '配送与运费' }).waitFor();
    assert.equal(await page.locator('#insights h2').textContent(), '知识库');
    assert.equal(await page.locator('#tab-kb').textContent(), '知识库');
    await page.click('#kb-table tr[data-intent="faq.hours"] .kb__delete');
    await page.locator('#kb-table tr[data-intent="faq.hours"]').waitFor({ state: 'detached' });
    await page.locator('#kb-status[data-state="ready"]').waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await reply('客服几点上班', 'kb-web-3'), /人工客服每天9:00–21:00/);
    assert.deepEqual(pageErrors, []);
  });
});
