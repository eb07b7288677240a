/**
 * The agent workspace in real Chromium against the real app (issue 11, item 5): customers by name
 * ("Visitor #1234", never a raw id) with readable topics, a new escalation rings (live region,
 * notification, "(1)" in the title), previews and unread badges in the lists, times with dates,
 * the customer profile with past conversations, search, `/thanks` expanding in the reply box,
 * Enter sends and Shift+Enter adds a line, the shortcut list (`?`), tabs with arrow keys, the
 * resolved list, and the desk in Chinese.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp, tokenFor } from '../support/server';
import { type ConsolePage, openConsole } from './console-page';

/** Notifications the page shows (the Notification API, stubbed as granted before the page loads); a string, so no compiled helper is missing in the page. */
const STUB_NOTIFICATIONS = `
  window.shownNotifications = [];
  window.Notification = function (title, opts) { window.shownNotifications.push((opts && opts.body) || ''); };
  window.Notification.permission = 'granted';
  window.Notification.requestPermission = async () => 'granted';
`;

describe('console agent workspace (Chromium)', function () {
  this.timeout(120_000);
  let s: RunningApp;
  let browser: Browser;
  let anna: ConsolePage;
  let page: Page;

  const say = (conversationId: string, text: string) => postMessage(s.url, { conversationId, text });
  const item = (list: string, key: string) => page.locator(`#${list} button[data-key="${key}"]`);

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    browser = await launchChromium();
    anna = await openConsole(browser, s.url, 'anna', 'anna-pass-12345', { beforeLoad: (p) => p.addInitScript({ content: STUB_NOTIFICATIONS }) });
    page = anna.page;
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away'); // escalations wait in the queue
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page.screenshot({ path: `/tmp/kefu-workspace-${this.currentTest.title.slice(0, 20).replace(/\W+/g, '-')}.png` });
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('alerts on a new escalation and lists it by name and topic, with a preview, a badge and a date', async () => {
    await say('w1', 'where is my order?');
    await say('w1', 'I want to talk to a human');
    const queued = item('queue', 'web:w1');
    await queued.waitFor();
    const visitor = (await s.app.handoff.get('web:w1'))?.customer.name ?? '';
    assert.match(visitor, /^Visitor #\d{4}$/);
    assert.equal(await queued.locator('.item__who').textContent(), visitor);
    assert.match((await queued.locator('.item__meta').textContent()) ?? '', /^Where’s my order\? · web · en · #1/);
    await queued.locator('.item__preview', { hasText: /^system: .*queue/ }).waitFor();
    assert.match((await queued.locator('.item__time').textContent()) ?? '', /\d{4}/, 'the time has its date');
    assert.equal(await queued.locator('.unread').textContent(), '1');
    await page.waitForFunction(() => document.title.startsWith('(1) '));
    assert.match((await page.locator('#alert-live').textContent()) ?? '', new RegExp(`New conversation waiting: ${visitor} \\(Where’s my order\\?\\)`));
    assert.deepEqual(await page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications), [
      `New conversation waiting: ${visitor} (Where’s my order?)`,
    ]);
    assert.doesNotMatch((await page.locator('.side').textContent()) ?? '', /web-|order\.status/);

    await queued.click();
    await page.locator('.conversation h2', { hasText: visitor }).waitFor();
    await page.waitForFunction(() => !document.title.startsWith('('));
    assert.equal(await item('queue', 'web:w1').locator('.unread').count(), 0);
    assert.match((await page.locator('#profile').textContent()) ?? '', /Topic\s*Where’s my order\?/);
    await page.locator('#past li', { hasText: '(this one)' }).waitFor();
  });

  it('expands /thanks, sends on Enter, adds a line on Shift+Enter', async () => {
    await page.click('#claim');
    await page.locator('#conv-state', { hasText: 'with anna' }).waitFor();
    const reply = page.locator('#reply-text');
    await reply.click();
    await reply.pressSequentially('/than');
    await page.locator('#canned-suggest [role="option"][aria-selected="true"]', { hasText: '/thanks' }).waitFor();
    await reply.press('Enter');
    await page.waitForFunction(() => (document.querySelector('#reply-text') as HTMLTextAreaElement | null)?.value === 'Thank you for your patience!', undefined, { timeout: 5000 });
    await reply.press('Enter');
    await page.locator('.conversation .line--agent', { hasText: 'Thank you for your patience!' }).waitFor();
    assert.equal(await reply.inputValue(), '');
    await reply.pressSequentially('Line one');
    await reply.press('Shift+Enter');
    await reply.pressSequentially('line two');
    assert.equal(await reply.inputValue(), 'Line one\nline two');
    await reply.press('Control+Enter');
    await page.locator('.conversation .line--agent', { hasText: 'line two' }).waitFor();
  });

  it('shows the customer typing; tells the customer the agent is typing and has seen their message', async () => {
    const signals: Array<{ type: string; from?: string; seq?: number }> = [];
    s.app.handoff.onEvent((e) => {
      if (e.type === 'handoff.typing' || e.type === 'handoff.seen') signals.push(e as { type: string; from?: string; seq?: number });
    });
    const typing = await fetch(`${s.url}/api/web/typing`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(s.url, 'w1')}` },
      body: JSON.stringify({ conversationId: 'w1' }),
    });
    assert.equal(typing.status, 202);
    await page.locator('#customer-typing', { hasText: 'The customer is typing' }).waitFor();
    // Typing signals go out at most once per 3 s per side (and the /thanks test typed here): keep typing until one does.
    const agentTyped = () => signals.some((e) => e.type === 'handoff.typing' && e.from === 'agent');
    for (let round = 0; round < 4 && !agentTyped(); round++) {
      await page.locator('#reply-text').pressSequentially(round ? '.' : 'On it');
      for (let i = 0; i < 70 && !agentTyped(); i++) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(
      signals.some((e) => e.type === 'handoff.typing' && e.from === 'agent'),
      'the agent’s typing went out',
    );
    await say('w1', 'are you still there?');
    const last = (await s.app.engine.data.messages.before('web:w1', undefined, 20)).filter((m) => m.from === 'customer').at(-1);
    const seenLast = () => signals.some((e) => e.type === 'handoff.seen' && e.seq === last?.seq);
    for (let i = 0; i < 200 && !seenLast(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(seenLast(), 'the agent with the conversation open has seen the customer’s latest message');
  });

  it('counts unread messages of another conversation and keeps its preview current; resolved ones are listed', async () => {
    await say('w2', '我要人工客服');
    await item('queue', 'web:w2').click();
    await page.locator('.conversation[data-key="web:w2"]').waitFor();
    await say('w1', 'the parcel number is 123456');
    const mine = item('mine', 'web:w1');
    await mine.locator('.unread', { hasText: '1' }).waitFor();
    await mine.locator('.item__preview', { hasText: 'customer: the parcel number is 123456' }).waitFor();
    await page.waitForFunction(() => document.title.startsWith('(1) '));
    await mine.click();
    await page.locator('.conversation[data-key="web:w1"]').waitFor();
    await page.click('#resolve');
    await item('resolved', 'web:w1').waitFor();
  });

  it('finds conversations as the agent types', async () => {
    const visitor = (await s.app.handoff.get('web:w2'))?.customer.name ?? '';
    await page.fill('#search', visitor.slice(-4));
    await page.locator('#search-list button[data-key="web:w2"]').waitFor();
    await page.fill('#search', 'parcel number');
    await page.locator('#search-list .list__none').waitFor(); // later messages are not in the searched transcript
    await page.fill('#search', 'where is my order');
    await page.locator('#search-list button[data-key="web:w1"]').waitFor();
    await page.press('#search', 'Escape');
    await page.locator('#search-results').waitFor({ state: 'hidden' });
  });

  it('shows the shortcut list on ?, moves through tabs with the arrow keys', async () => {
    await page.locator('body').click({ position: { x: 5, y: 880 } });
    await page.keyboard.press('?');
    await page.locator('#keys[open] #keys-list dt', { hasText: 'Shift + Enter' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('#keys').waitFor({ state: 'hidden' });
    await page.focus('#tab-desk');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-analytics', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-analytics');
    await page.keyboard.press('End');
    const last = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('#tabs [role="tab"]:not([hidden])')].at(-1)?.id ?? '');
    assert.equal(await page.getAttribute(`#${last}`, 'aria-selected'), 'true');
    await page.keyboard.press('Home');
    assert.equal(await page.getAttribute('#tab-desk', 'aria-selected'), 'true');
    assert.equal(await page.getAttribute('#tab-analytics', 'tabindex'), '-1');
  });

  it('speaks Chinese everywhere on the desk, and /thanks expands in Chinese for a Chinese customer', async () => {
    await item('queue', 'web:w2').click();
    await page.locator('.conversation[data-key="web:w2"]').waitFor();
    await page.click('#ui-lang');
    await page.locator('#claim', { hasText: '接入' }).waitFor();
    const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();
    assert.equal(await text('#tab-desk'), '对话');
    assert.match(await text('#queue-title'), /^排队中/);
    assert.equal(await text('#status option[value="online"]'), '在线');
    assert.equal(await text('#logout'), '退出登录');
    assert.match(await text('.conversation h2'), /^访客 #\d{4}$/);
    assert.match(await text('#profile'), /主题/);
    assert.match(await text('#resolved-title'), /已解决/);
    assert.match(await text('#resolved .item__meta'), /^查询订单/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await page.click('#claim');
    await page.locator('#conv-state', { hasText: '由 anna 接待' }).waitFor();
    await page.locator('#reply-send', { hasText: '发送' }).waitFor();
    await page.locator('#reply-text').pressSequentially('/thanks');
    await page.locator('#reply-text').press('Tab');
    assert.equal(await page.locator('#reply-text').inputValue(), '感谢您的耐心等待！');
    await page.click('#ui-lang');
    assert.deepEqual(anna.errors, []);
  });
});
