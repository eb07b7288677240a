/**
 * The chat page passes on the identity the shop gives it (link fragment), removes it from the
 * address bar, and goes on as a visitor when the server refuses it. Real Chromium, real app.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { createSignedIdentity, signIdentity } from '../../adapters/web';
import { launchChromium } from '../support/browser';
import { conversationIdOf, nthBotReply, openChat, typeAndEnter } from '../support/chat-page';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type RunningApp, startApp } from '../support/server';

const SECRET = 'shop-backend-secret-0123456789abcdef';

describe('web chat page: verified identity (Chromium)', function () {
  /** The conversation's handoff, once the escalation is stored. */
  const handoffOf = async (key: string) => {
    for (let i = 0; i < 100; i++) {
      const record = await s.app.handoff.get(key);
      if (record) return record;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`no handoff for ${key}`);
  };
  this.timeout(60_000);
  let browser: Browser;
  let s: RunningApp;
  before(async () => {
    browser = await launchChromium();
    s = await startApp({ WEB_IDENTITY_SECRET: SECRET }, { classifier: createKeywordClassifier() });
    // The demo team starts offline; away still counts as present, so a request for a person waits in the queue.
    for (const agent of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(agent, 'away');
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('sends the identity from the link fragment with every message, and drops it from the address bar', async () => {
    const signed = createSignedIdentity({ userId: 'shop-7', name: 'Li Lei', email: 'lilei@example.com', exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
    const chat = await openChat(browser, `${s.url}/#identity=${signed.identity}&signature=${signed.signature}`);
    try {
      assert.equal(new URL(chat.page.url()).hash, '', 'the fragment is gone from the address bar');
      await typeAndEnter(chat.page, 'hi');
      await nthBotReply(chat.page, 1);
      await chat.page.reload();
      await chat.page.locator('.msg--welcome').waitFor();
      await typeAndEnter(chat.page, 'talk to a human please');
      const id = await conversationIdOf(chat.page);
      assert.deepEqual((await handoffOf(`web:${id}`))?.customer, { userId: 'shop-7', name: 'Li Lei', email: 'lilei@example.com' }, 'kept for the tab across a reload');
      assert.deepEqual(chat.errors, []);
    } finally {
      await chat.context.close();
    }
  });

  it('the agent’s console shows the verified id and email, and a visitor as unverified', async () => {
    const verified = createSignedIdentity({ userId: 'shop-9', name: 'Han Meimei', email: 'han@example.com', exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
    const customers = [
      { url: `${s.url}/#identity=${verified.identity}&signature=${verified.signature}`, heading: 'Han Meimei', facts: 'shop-9 · han@example.com' },
      { url: `${s.url}/`, heading: /^Visitor #\d{4}$/, facts: 'unverified visitor' },
    ];
    for (const c of customers) {
      const chat = await openChat(browser, c.url);
      const agentContext = await browser.newContext({ locale: 'en-US' });
      try {
        await typeAndEnter(chat.page, 'talk to a human please');
        const key = `web:${await conversationIdOf(chat.page)}`;
        await handoffOf(key);
        const agentId = 'lilei'; // bilingual; takes it from the queue (the demo team starts offline)
        assert.ok((await s.app.handoff.claim(key, agentId)).ok);
        const agent = await agentContext.newPage();
        await agent.goto(`${s.url}/console/`);
        await agent.fill('#login-agent', agentId);
        await agent.fill('#login-password', `${agentId}-pass-12345`);
        await agent.click('#login-form button[type=submit]');
        await agent.locator(`button[data-key="${key}"]`).first().click();
        await agent.locator('.view__head h2', { hasText: c.heading }).waitFor();
        await agent.getByText(c.facts, { exact: true }).waitFor();
        assert.equal(await agent.getByText('Mallory').count(), 0);
      } finally {
        await agentContext.close();
        await chat.context.close();
      }
    }
  });

  it('an identity the server refuses: the message still goes, as a visitor', async () => {
    const signed = createSignedIdentity({ userId: 'shop-8', name: 'Mallory', exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
    const forged = signIdentity(signed.identity, 'not-the-shop-secret-0123456789abcdef');
    const chat = await openChat(browser, `${s.url}/#identity=${signed.identity}&signature=${forged}`);
    try {
      await typeAndEnter(chat.page, 'talk to a human please');
      const id = await conversationIdOf(chat.page);
      const customer = (await handoffOf(`web:${id}`))?.customer;
      assert.match(customer?.name ?? '', /^Visitor #\d{4}$/);
      assert.equal(await chat.page.locator('.msg--failed').count(), 0);
      assert.deepEqual(chat.errors, []);
    } finally {
      await chat.context.close();
    }
  });
});
