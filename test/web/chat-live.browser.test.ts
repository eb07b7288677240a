/**
 * The chat page's live parts in a real Chromium against the real app: the header says who answers
 * (the assistant, the queue with the place, an agent, a ticket) in both languages; typing both
 * ways and "seen"; "New chat" asks first in the page's own dialog; a server shutdown ends the
 * event stream at once (the page says so, and what failed to send goes again when it is back).
 * axe-core finds no serious or critical violation in any of these states, at 390 px.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { AgentProfile, HandoffEvent } from '../../plugins/handoff';
import { eraseConversation } from '../../server/erasure';
import { launchChromium } from '../support/browser';
import { axeViolations, type ChatPage, conversationIdOf, headerStatus, nthBotReply, openChat, typeAndEnter } from '../support/chat-page';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { freePort } from '../support/ports';
import { type RunningApp, startApp } from '../support/server';
import { until } from '../support/until';

const PHONE = { viewport: { width: 390, height: 844 } };
const team = (status: AgentProfile['status']): AgentProfile[] => [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 3, status, role: 'admin' },
  { id: 'wang', name: '王芳 Wang Fang', skills: ['refunds'], languages: ['zh'], capacity: 3, status, role: 'agent' },
  { id: 'lilei', name: 'Li Lei', skills: ['orders', 'general'], languages: ['en', 'zh'], capacity: 2, status, role: 'supervisor' },
];

async function noAxeViolations(chat: ChatPage, state: string): Promise<void> {
  assert.deepEqual(await axeViolations(chat.page), [], `axe, ${state}`);
}

describe('web chat page: state, typing, seen, new chat, shutdown (Chromium)', function () {
  this.timeout(90_000);
  let browser: Browser;
  const classifier = createKeywordClassifier();
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  describe('with a support team', () => {
    let s: RunningApp;
    const events: HandoffEvent[] = [];
    before(async () => {
      s = await startApp({}, { classifier, agents: team('away') });
      s.app.handoff.addAgentChannel({ name: 'test-console', mirrorsRemote: true, onEvent: async (e) => void events.push(e) });
    });
    after(async () => {
      await s?.stop();
    });

    it('the header follows the conversation (assistant, queued #1, with Anna), typing both ways and "Seen"', async () => {
      const chat = await openChat(browser, s.url, PHONE);
      const { page } = chat;
      try {
        await noAxeViolations(chat, 'welcome');
        await typeAndEnter(page, 'hi');
        await nthBotReply(page, 1);
        assert.equal(await headerStatus(page).textContent(), 'Replies in seconds');
        await noAxeViolations(chat, 'conversation');
        await typeAndEnter(page, 'a human please');
        await headerStatus(page).filter({ hasText: 'Waiting for an agent · #1 in line' }).waitFor();
        await noAxeViolations(chat, 'queued');
        const key = `web:${await conversationIdOf(page)}`;

        await page.getByLabel('Your message').pressSequentially('my lamp');
        const typed = await until('the customer typing', () => events.find((e) => e.type === 'handoff.typing' && e.key === key), 5000);
        assert.ok(typed.type === 'handoff.typing' && typed.from === 'customer');

        assert.equal((await s.app.handoff.claim(key, 'anna')).ok, true);
        await headerStatus(page).filter({ hasText: 'With Anna' }).waitFor(); // pushed: no reload, no message needed
        assert.equal((await s.app.handoff.typing(key, 'agent', 'anna')).ok, true);
        await page.getByRole('status').filter({ hasText: 'Anna is typing…' }).waitFor();
        await noAxeViolations(chat, 'with an agent, typing');
        await s.app.handoff.reply(key, 'anna', { text: 'Hi, Anna here. Which lamp?' });
        await page.locator('.msg--agent', { hasText: 'Which lamp?' }).waitFor();
        assert.equal(await page.locator('#agent-typing').isHidden(), true, 'the typing indicator goes when the message comes');

        const asked = (await s.app.engine.data.messages.after(key, 0, 100)).find((m) => m.from === 'customer' && m.text === 'a human please');
        assert.ok(asked);
        await s.app.handoff.seen(key, 'anna', asked.seq);
        await page.locator('.msg--customer', { hasText: 'a human please' }).getByText('Seen').waitFor();
        assert.equal(await page.locator('.msg__seen').count(), 1);
        await page.getByRole('button', { name: '中文' }).click();
        assert.equal(await headerStatus(page).textContent(), 'Anna 为您服务');
        assert.equal(await page.locator('.msg__seen').textContent(), '已读');
        assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'no sideways scrolling at 390 px');
        const resolved = await s.app.handoff.resolve(key, 'anna');
        assert.equal(resolved.ok, true, JSON.stringify(resolved));
        // Back with the assistant. The closing notice is in the conversation's language (English) and
        // the page follows it, before or after the header changes: either wording is right.
        await headerStatus(page)
          .filter({ hasText: /^(通常秒回|Replies in seconds)$/ })
          .waitFor();
        assert.deepEqual(chat.errors, []);
      } finally {
        await chat.context.close();
      }
    });

    it('after an erasure the page follows the new numbering: an agent reply written later still shows', async () => {
      const chat = await openChat(browser, s.url, PHONE);
      const { page } = chat;
      try {
        for (let i = 1; i <= 6; i++) {
          await typeAndEnter(page, 'hi');
          await nthBotReply(page, i);
        }
        const key = `web:${await conversationIdOf(page)}`;
        await eraseConversation(s.app.engine.data, key, 'test'); // the page keeps its cursor (12) and its token
        await typeAndEnter(page, 'a human please');
        await headerStatus(page).filter({ hasText: 'Waiting for an agent' }).waitFor();
        assert.equal((await s.app.handoff.claim(key, 'anna')).ok, true);
        await s.app.handoff.reply(key, 'anna', { text: 'Anna here, after the erasure.' });
        const stored = (await s.app.engine.data.messages.after(key, 0, 100)).find((m) => m.text === 'Anna here, after the erasure.');
        assert.ok(stored && stored.seq < 12, `the reply is numbered below the page's old cursor (seq ${stored?.seq})`);
        await page.locator('.msg--agent', { hasText: 'after the erasure' }).waitFor();
        // The page's cursor follows the new numbering (else every catch-up would read from 0 again).
        const savedCursor = () => page.evaluate((id) => Number(localStorage.getItem(`kefu.chat.cursor.${id}`)), key.slice(4));
        for (const end = Date.now() + 5000; (await savedCursor()) !== stored.seq; ) {
          if (Date.now() > end) assert.fail(`the page's cursor is ${await savedCursor()}, not ${stored.seq}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        await s.app.handoff.resolve(key, 'anna');
        assert.deepEqual(chat.errors, []);
      } finally {
        await chat.context.close();
      }
    });

    it('a ticket: the header names it, in both languages', async () => {
      for (const a of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(a, 'offline');
      const chat = await openChat(browser, s.url, PHONE);
      try {
        await typeAndEnter(chat.page, 'a human please');
        await headerStatus(chat.page)
          .filter({ hasText: /^Ticket T-\d{6} · we will reply here$/ })
          .waitFor();
        await noAxeViolations(chat, 'ticket');
        await chat.page.getByRole('button', { name: '中文' }).click();
        assert.match((await headerStatus(chat.page).textContent()) ?? '', /^工单 T-\d{6} · 我们会在这里回复您$/);
        await chat.page.reload();
        await headerStatus(chat.page)
          .filter({ hasText: /^工单 T-\d{6}/ })
          .waitFor(); // from GET /api/web/state
        assert.deepEqual(chat.errors, []);
      } finally {
        await chat.context.close();
      }
    });

    it('"New chat" asks first in the page\'s own dialog (never window.confirm), in both languages', async () => {
      const chat = await openChat(browser, s.url, PHONE);
      const { page } = chat;
      page.on('dialog', (d) => {
        chat.errors.push(`a browser dialog: ${d.message()}`);
        void d.dismiss();
      });
      try {
        await typeAndEnter(page, 'hi');
        await nthBotReply(page, 1);
        const id = await conversationIdOf(page);
        const newChat = page.getByRole('button', { name: 'Start a new conversation' });
        await newChat.click();
        const dialog = page.getByRole('dialog', { name: 'Start a new chat?' });
        await dialog.waitFor();
        await noAxeViolations(chat, 'the new-chat confirm');
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
        await newChat.click();
        await dialog.getByRole('button', { name: 'Keep this chat' }).click();
        assert.equal(await conversationIdOf(page), id, 'kept');
        assert.equal(await page.locator('.msg--customer').count(), 1);
        await page.getByRole('button', { name: '中文' }).click();
        await page.getByRole('button', { name: '开始新的对话' }).click();
        const zh = page.getByRole('dialog', { name: '开始新的对话？' });
        await zh.getByRole('button', { name: '开始新对话' }).click();
        await page.locator('.msg--customer').first().waitFor({ state: 'detached' });
        assert.notEqual(await conversationIdOf(page), id);
        assert.equal(await page.locator('.msg--customer').count(), 0);
        assert.equal(await headerStatus(page).textContent(), '通常秒回');
        assert.deepEqual(chat.errors, []);
      } finally {
        await chat.context.close();
      }
    });
  });

  it('a shutdown ends the event stream at once: the page says Reconnecting…, and a message that failed meanwhile is sent again when the server is back, once', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'kefu-chat-shutdown-'));
    let app = await startApp({}, { classifier }, dir, port);
    const chat = await openChat(browser, app.url, PHONE);
    const { page } = chat;
    try {
      await typeAndEnter(page, 'hi');
      await nthBotReply(page, 1);
      await headerStatus(page).filter({ hasText: 'Replies in seconds' }).waitFor();
      const started = Date.now();
      await app.stop(true);
      assert.ok(Date.now() - started < 3000, `closing with a page open took ${Date.now() - started} ms`);
      await headerStatus(page).filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 3000 });
      await noAxeViolations(chat, 'reconnecting');
      await typeAndEnter(page, 'where is my order');
      const msg = page.locator('.msg--customer', { hasText: 'where is my order' });
      await msg.locator('.msg__retry').waitFor();
      app = await startApp({}, { classifier }, dir, port);
      await msg.locator('.msg__retry').waitFor({ state: 'detached', timeout: 20_000 }); // nobody pressed Retry
      await page.locator('.msg--bot', { hasText: /order number/i }).waitFor();
      await headerStatus(page).filter({ hasText: 'Replies in seconds' }).waitFor();
      const said = await app.app.engine.data.messages.after(`web:${await conversationIdOf(page)}`, 0, 100);
      assert.equal(said.filter((m) => m.from === 'customer' && m.text === 'where is my order').length, 1);
      assert.deepEqual(
        chat.errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e)),
        [],
      );
    } finally {
      await chat.context.close();
      await app.stop();
    }
  });
});
