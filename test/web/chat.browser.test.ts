/**
 * The customer chat page in a real Chromium against the real app (demo dialogs, web channel,
 * SQLite in a temporary DATA_DIR). A keyword classifier stands in for the NLU so replies are
 * deterministic; the page is what is under test here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { type ChatPage, conversationIdOf, createGatedClassifier, nthBotReply, openChat, solidPng, typeAndEnter } from '../support/chat-page';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type RunningApp, startApp } from '../support/server';
import { freePort } from '../support/ports';

describe('web chat page (Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let s: RunningApp;
  const gated = createGatedClassifier(createKeywordClassifier());
  const ref = (conversationId: string) => ({ channel: 'web', conversationId, userId: conversationId });

  before(async () => {
    browser = await launchChromium();
    s = await startApp({}, { classifier: gated.classifier });
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  describe('a conversation', () => {
    let chat: ChatPage;
    let page: Page;
    before(async () => {
      chat = await openChat(browser, s.url);
      page = chat.page;
    });
    after(async () => {
      await chat?.context.close();
    });

    it('greets in both languages before the first exchange, with an accessible, empty composer', async () => {
      const welcome = (await page.locator('.msg--welcome').textContent()) ?? '';
      assert.match(welcome, /How can I help/);
      assert.match(welcome, /有什么可以帮您/);
      assert.equal(await page.getByRole('log').getAttribute('aria-live'), 'polite');
      assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true, 'nothing to send yet');
      assert.equal(await page.getByRole('button', { name: 'EN', exact: true }).getAttribute('aria-pressed'), 'true');
      assert.match(await conversationIdOf(page), /^web-[0-9a-f-]{36}$/);
    });

    it('sends on Enter, shows the typing indicator while waiting, then the bot reply with quick replies', async () => {
      const release = gated.hold();
      await typeAndEnter(page, 'hi');
      await page.locator('.msg--customer', { hasText: 'hi' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Assistant is typing' }).waitFor({ state: 'visible' });
      assert.equal(await page.getByLabel('Your message').inputValue(), '', 'the box is cleared on send');
      release();
      assert.match(await nthBotReply(page, 1), /welcome to Lumen & Co/);
      await page.locator('#typing').waitFor({ state: 'hidden' });
      const buttons = page.locator('.msg--bot').last().locator('.quick-reply');
      assert.ok((await buttons.count()) >= 3, 'the greeting offers topics as buttons');
    });

    it('does not send on Shift+Enter (new line) or when the text is blank', async () => {
      const box = page.getByLabel('Your message');
      await box.fill('line one');
      await box.press('Shift+Enter');
      await box.pressSequentially('line two');
      assert.equal(await box.inputValue(), 'line one\nline two');
      await box.fill('   ');
      await box.press('Enter');
      assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
      assert.equal(await page.locator('.msg--customer').count(), 1, 'only "hi" was sent');
      await box.fill('');
    });

    it('a quick reply sends its payload with the label as text, shows the label, and retires the old buttons', async () => {
      const posted = page.waitForRequest((r) => r.url().endsWith('/api/web/messages') && r.method() === 'POST');
      await page.getByRole('button', { name: 'Shipping & delivery' }).click();
      const body = (await posted).postDataJSON() as { payload?: string; text?: string; messageId?: string };
      assert.equal(body.payload, 'intent:faq.shipping');
      assert.equal(body.text, 'Shipping & delivery');
      assert.match(body.messageId ?? '', /^[0-9a-f-]{36}$/);
      await page.locator('.msg--customer', { hasText: 'Shipping & delivery' }).waitFor();
      // the keyword classifier knows nothing of shipping: only the payload can have chosen this answer
      assert.match(await nthBotReply(page, 2), /ship|deliver/i);
      const first = page.locator('.msg--bot').nth(1).locator('.quick-reply');
      for (const b of await first.all()) assert.equal(await b.isDisabled(), true);
    });

    it('follows the conversation language: a Chinese message switches the UI chrome to 中文', async () => {
      await typeAndEnter(page, '我的订单100234到哪了');
      assert.match(await nthBotReply(page, 3), /100234.*[\u4e00-\u9fff]/);
      await page.getByRole('button', { name: '发送' }).waitFor();
      assert.equal(await page.getByLabel('您的消息').getAttribute('placeholder'), '请输入消息…');
      assert.equal(await page.getByRole('button', { name: '中文' }).getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    });

    it('the language toggle switches the chrome by hand', async () => {
      await page.getByRole('button', { name: 'EN', exact: true }).click();
      assert.equal(await page.getByLabel('Your message').getAttribute('placeholder'), 'Type your message…');
      await page.getByRole('button', { name: '中文' }).click();
      assert.equal(await page.getByRole('button', { name: '发送' }).count(), 1);
    });

    it('shows pushed agent and system messages (server-sent events) apart from bot replies', async () => {
      const id = await conversationIdOf(page);
      await s.app.engine.push(ref(id), [{ text: 'Hi, this is Anna from support', locale: 'en', from: 'agent' }]);
      const agent = page.locator('.msg--agent', { hasText: 'Hi, this is Anna from support' });
      await agent.waitFor();
      assert.equal(await agent.locator('.msg__label').textContent(), 'Agent', 'labelled, in the chrome language of the last message (en)');
      await s.app.engine.push(ref(id), [{ text: '您前面还有 2 位', locale: 'zh', from: 'system' }]);
      await page.locator('.msg--system', { hasText: '您前面还有 2 位' }).waitFor();
      assert.equal(await agent.locator('.msg__label').textContent(), '客服', 'labels follow the chrome');
    });

    it('renders links and images safely; markup in text stays text', async () => {
      await page.route('https://img.example.com/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: solidPng(240, 140, [246, 196, 83]) }));
      const id = await conversationIdOf(page);
      const text = 'Label: https://example.com/label?id=7. <img src=x onerror="window.__xss=1"> javascript:alert(1)';
      await s.app.engine.push(ref(id), [
        {
          text,
          locale: 'en',
          from: 'agent',
          attachments: [
            { kind: 'image', url: 'https://img.example.com/lamp.png', name: 'lamp' },
            { kind: 'image', url: 'javascript:alert(1)' },
          ],
        },
      ]);
      const msg = page.locator('.msg--agent').last();
      await msg.locator('.msg__text', { hasText: 'Label:' }).waitFor();
      assert.equal(await msg.locator('.msg__text').textContent(), text, 'the text shows verbatim');
      const links = await msg.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('rel')]));
      assert.deepEqual(links, [
        ['https://example.com/label?id=7', 'https://example.com/label?id=7', 'noopener noreferrer nofollow'],
        ['https://img.example.com/lamp.png', '', 'noopener noreferrer nofollow'],
      ]);
      const img = msg.locator('img');
      assert.equal(await img.count(), 1, 'only the http(s) image is shown');
      await page.waitForFunction(() => document.querySelector<HTMLImageElement>('.msg--agent:last-child img')?.naturalWidth === 240);
      assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
    });

    it('keeps the conversation over a reload: same id, transcript redrawn, the server session continues', async () => {
      const id = await conversationIdOf(page);
      const before = (await s.app.engine.data.messages.after(`web:${id}`, 0, 500)).length;
      assert.ok(before > 0);
      await page.reload();
      await page.locator('.msg--welcome').waitFor();
      assert.equal(await conversationIdOf(page), id);
      assert.equal(await page.evaluate(() => document.body.dataset.conversationId), id);
      await page.locator('.msg--customer', { hasText: 'Shipping & delivery' }).waitFor();
      await page.locator('.msg--agent', { hasText: 'Anna' }).waitFor();
      await typeAndEnter(page, 'thanks');
      await page.locator('.msg--customer', { hasText: 'thanks' }).waitFor();
      await page.locator('#typing').waitFor({ state: 'hidden' });
      const after = (await s.app.engine.data.messages.after(`web:${id}`, 0, 500)).length;
      assert.ok(after > before, `the conversation grew from ${before} to ${after} messages in the same server session`);
    });

    it('looks right (screenshot at /tmp/kefu-chat.png) and had no page errors', async () => {
      await page.screenshot({ path: '/tmp/kefu-chat.png', animations: 'disabled' });
      assert.deepEqual(chat.errors, []);
    });
  });

  describe('across a restart', () => {
    it('agent replies written while the page was closed appear when it reopens, also after a restart, each once', async () => {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'kefu-chat-restart-'));
      let app = await startApp({}, { classifier: gated.classifier }, dir, port);
      const chat = await openChat(browser, app.url);
      try {
        await typeAndEnter(chat.page, 'hi');
        assert.match(await nthBotReply(chat.page, 1), /welcome to Lumen & Co/);
        const id = await conversationIdOf(chat.page);
        await chat.page.close(); // the customer closed the tab; the conversation id stays in the browser
        // Whether or not the server noticed the closed stream yet, the reply is stored for the page to fetch.
        await app.app.engine.push(ref(id), [{ text: 'Anna here: your parcel left today', locale: 'en', from: 'agent' }]);
        await app.stop(true);
        app = await startApp({}, { classifier: gated.classifier }, dir, port);
        await app.app.engine.push(ref(id), [{ text: 'Anna again, after the restart', locale: 'en', from: 'agent' }]);

        const page = await chat.context.newPage();
        await page.goto(app.url);
        await page.locator('.msg--agent', { hasText: 'Anna again, after the restart' }).waitFor();
        assert.equal(await conversationIdOf(page), id);
        assert.equal(await page.locator('.msg--agent', { hasText: 'Anna here: your parcel left today' }).count(), 1);
        assert.equal(await page.locator('.msg--agent', { hasText: 'Anna again, after the restart' }).count(), 1);
        assert.equal(await page.locator('.msg--customer', { hasText: 'hi' }).count(), 1, 'the transcript is redrawn once, not appended twice');
        await page.reload();
        await page.locator('.msg--agent', { hasText: 'Anna again, after the restart' }).waitFor();
        assert.equal(await page.locator('.msg--agent').count(), 2, 'a reload shows each agent reply once');
      } finally {
        await chat.context.close();
        await app.stop();
      }
    });
  });

  describe('when things go wrong', () => {
    let chat: ChatPage;
    let page: Page;
    const phone = { viewport: { width: 360, height: 740 } };
    beforeEach(async function () {
      if (this.currentTest?.title.startsWith('events:')) return; // opens its own page
      chat = await openChat(browser, s.url, phone);
      page = chat.page;
    });
    afterEach(async () => {
      await chat?.context.close();
    });

    it('offline: keeps the message with a Retry button, and sends it by itself once back online', async () => {
      await chat.context.setOffline(true);
      await typeAndEnter(page, 'hello');
      const msg = page.locator('.msg--customer', { hasText: 'hello' });
      await msg.locator('.msg__retry').waitFor();
      assert.match((await page.getByRole('alert').textContent()) ?? '', /Could not reach the server/);
      await chat.context.setOffline(false); // the browser's "online" event: what failed goes again (the same message id)
      assert.match(await nthBotReply(page, 1), /welcome/i);
      assert.equal(await msg.locator('.msg__retry').count(), 0);
      assert.equal(await page.getByRole('alert').isVisible(), false);
    });

    it('a retry reuses the messageId, so a message that did reach the server is answered once', async () => {
      const ids: string[] = [];
      let dropFirstResponse = true;
      await page.route('**/api/web/messages', async (route) => {
        ids.push((route.request().postDataJSON() as { messageId: string }).messageId);
        const response = await route.fetch(); // reaches the real server
        if (dropFirstResponse) {
          dropFirstResponse = false;
          return route.abort('connectionreset'); // ...but the answer is lost on the way back
        }
        return route.fulfill({ response });
      });
      await typeAndEnter(page, 'hello again');
      const msg = page.locator('.msg--customer', { hasText: 'hello again' });
      await msg.getByRole('button', { name: 'Retry' }).click();
      await msg.locator('.msg__retry').waitFor({ state: 'detached' });
      assert.match(await nthBotReply(page, 1), /./, 'the retry is answered (with the first answer)');
      assert.equal(ids.length, 2);
      assert.equal(ids[0], ids[1], 'same messageId on the retry');
      // The lost answer carried the conversation token; the retry of that first message got it again.
      await typeAndEnter(page, 'thanks');
      await page.locator('.msg--customer', { hasText: 'thanks' }).locator('.msg__retry').waitFor({ state: 'detached' });
      assert.equal(ids.length, 3, 'the next message went through in the same conversation');
      const said = await s.app.engine.data.messages.after(`web:${await conversationIdOf(page)}`, 0, 500);
      assert.equal(said.filter((m) => m.from === 'customer' && m.text === 'hello again').length, 1, 'the server handled it once');
    });

    it('events: reopens the event stream after the server refused it, and pushed messages arrive', async () => {
      let attempts = 0;
      let letThrough = () => {};
      const held = new Promise<void>((resolve) => {
        letThrough = resolve;
      });
      const beforeLoad = (p: Page) =>
        p.route(
          (u) => u.pathname === '/api/web/events',
          async (route) => (++attempts === 1 ? route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }) : held.then(() => route.continue())),
        );
      chat = await openChat(browser, s.url, { ...phone, beforeLoad });
      page = chat.page;
      // The stream opens once the conversation has its token, with the first answer.
      await typeAndEnter(page, 'hi');
      await page.getByText('Reconnecting…').waitFor();
      letThrough(); // the page's second attempt may now reach the server
      await page.getByText('Replies in seconds').waitFor(); // open again: EventSource alone would have given up
      assert.equal(attempts, 2);
      await s.app.engine.push(ref(await conversationIdOf(page)), [{ text: 'Still there?', locale: 'en', from: 'agent' }]);
      await page.locator('.msg--agent', { hasText: 'Still there?' }).waitFor();
    });

    it('a page that lost its conversation token starts a new conversation with the message, which is answered', async () => {
      const lost = await openChat(browser, s.url);
      try {
        await typeAndEnter(lost.page, 'hi');
        assert.match(await nthBotReply(lost.page, 1), /welcome to Lumen & Co/);
        const before = await conversationIdOf(lost.page);
        await lost.page.evaluate((id) => localStorage.setItem(`kefu.chat.token.${id}`, 'not-the-token'), before);
        await lost.page.reload();
        await lost.page.locator('.msg--welcome').waitFor();
        await typeAndEnter(lost.page, 'where is my order');
        await lost.page.locator('.msg--bot', { hasText: /order number/i }).waitFor();
        assert.notEqual(await conversationIdOf(lost.page), before);
        assert.deepEqual(lost.errors, []);
      } finally {
        await lost.context.close();
      }
    });

    it('too long: shows the server limit and gives the text back', async () => {
      const long = 'a'.repeat(4001);
      await page.getByLabel('Your message').fill(long);
      assert.equal(await page.locator('#counter').textContent(), '4001 / 4000');
      await page.getByLabel('Your message').press('Enter');
      await page.getByRole('alert').filter({ hasText: 'the limit is 4000' }).waitFor();
      assert.equal(await page.getByLabel('Your message').inputValue(), long, 'nothing is lost');
      assert.equal(await page.locator('.msg--customer').count(), 0);
    });

    it('fits a 360px-wide phone: no sideways scrolling, composer on screen; New chat starts over', async () => {
      await typeAndEnter(page, 'hi');
      await nthBotReply(page, 1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      const box = await page.getByRole('button', { name: 'Send' }).boundingBox();
      assert.ok(box && box.x + box.width <= 360 && box.y + box.height <= 740, `send button off screen: ${JSON.stringify(box)}`);
      const old = await conversationIdOf(page);
      await page.getByRole('button', { name: 'Start a new conversation' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Start new chat' }).click(); // it asks first (chat-live.browser.test.ts)
      await page.locator('.msg--customer').first().waitFor({ state: 'detached' });
      assert.notEqual(await conversationIdOf(page), old);
      assert.equal(await page.locator('.msg--customer').count(), 0);
      assert.deepEqual(chat.errors, []);
    });
  });
});
