/**
 * Issue 4's second journey, all in real Chromium against the real server (buildApp: real NLU, demo
 * dialogs, SQLite): a customer on the web chat asks for a person; an agent logged into the web
 * console sees it arrive live, claims it and replies; the customer sees the reply pushed into the
 * page; the agent resolves; the customer answers the CSAT question by button and it is recorded.
 */
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { type ChatPage, conversationIdOf, openChat, typeAndEnter } from '../support/chat-page';
import { type RunningApp, startApp } from '../support/server';

describe('journey: web chat customer ↔ agent in the web console (Chromium)', function () {
  this.timeout(120_000);
  let s: RunningApp;
  let browser: Browser;
  let chat: ChatPage;
  let agent: Page;

  before(async () => {
    s = await startApp();
    browser = await launchChromium();
    chat = await openChat(browser, `${s.url}/`);
    agent = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('escalates, is claimed and answered from the console, resolved, and rated', async () => {
    // The agent logs in and is away, so the escalation waits in the queue for her to claim it.
    await agent.goto(`${s.url}/console/`);
    await agent.fill('#login-agent', 'anna');
    await agent.fill('#login-password', 'anna-pass-12345');
    await agent.click('#login-form button[type=submit]');
    await agent.locator('#live[data-state="live"]').waitFor();
    for (const id of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(id, 'away');

    const { page } = chat;
    await typeAndEnter(page, 'where is my order?');
    await page.locator('.msg--bot:not(.msg--welcome)', { hasText: /order number/ }).waitFor();
    await typeAndEnter(page, 'I want to talk to a real person');
    await page.locator('.msg', { hasText: /queue/i }).first().waitFor();
    const key = `web:${await conversationIdOf(page)}`;

    const item = agent.locator(`#queue button[data-key="${key}"]`);
    await item.waitFor(); // pushed to the console over its WebSocket
    await item.click();
    await agent.locator('.conversation').getByText('I want to talk to a real person').first().waitFor();
    await agent.click('#claim');
    await agent.locator('#conv-state', { hasText: 'with anna' }).waitFor();

    await agent.fill('#reply-text', 'Hi, this is Anna. Your lamp left the warehouse yesterday.');
    await agent.click('#reply-send');
    await page.locator('.msg--agent', { hasText: 'Hi, this is Anna. Your lamp left the warehouse yesterday.' }).waitFor(); // server-sent event

    const botReplies = page.locator('.msg--bot:not(.msg--welcome)');
    const before = await botReplies.count();
    await typeAndEnter(page, 'thanks, when will it arrive?');
    await agent.locator('.conversation > ol.transcript .line--customer', { hasText: 'when will it arrive' }).waitFor();
    await page.locator('#typing').waitFor({ state: 'hidden' }); // the page got the (empty) answer
    assert.equal(await botReplies.count(), before, 'the bot stays silent while the agent has the conversation');

    await agent.click('#resolve');
    const rating = page.locator('.quick-reply', { hasText: /^5$/ }).last();
    await rating.waitFor();
    await rating.click();
    await agent.locator('.conversation dd', { hasText: '5/5' }).waitFor();
    const record = await s.app.handoff.get(key);
    assert.equal(record?.state, 'resolved');
    assert.equal(record?.agentId, 'anna');
    assert.equal(record?.csat, 5);
    assert.deepEqual(chat.errors, []);
    await page.screenshot({ path: '/tmp/kefu-journey-chat.png' });
    await agent.screenshot({ path: '/tmp/kefu-journey-console.png' });
  });
});
