/**
 * The agent console in real Chromium against a real server: login, a conversation escalating live,
 * claim, reply (received by the customer's channel), resolve, CSAT asked and answered; then a
 * ticket answered from the console with every agent offline. Plus the API's auth edges.
 */
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { consoleRoutes } from '../../server/routes/console';
import { launchChromium } from '../support/browser';
import { createRig, key, type Rig } from './support';
import { until } from '../support/until';

const ANNA = { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en' as const, 'zh' as const], capacity: 2, status: 'online' as const };

describe('agent console (Chromium)', function () {
  this.timeout(60_000);
  let rig: Rig;
  let http: FastifyInstance;
  let url: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    rig = await createRig({ agents: [ANNA] });
    http = Fastify();
    await http.register(consoleRoutes, { engine: rig.engine, handoff: rig.service, logins: new Map([['anna', 'secret-anna']]) });
    url = await http.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    await browser?.close();
    await http?.close();
    await rig?.close();
  });

  it('refuses requests and sockets without a session, and wrong logins, with KEFU_ERR_CONSOLE_AUTH', async () => {
    const state = await fetch(`${url}/console/api/state`);
    assert.equal(state.status, 401);
    assert.equal(((await state.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_CONSOLE_AUTH');
    const wrong = await fetch(`${url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentId: 'anna', password: 'nope' }),
    });
    assert.equal(wrong.status, 401);
    const forged = await fetch(`${url}/console/api/state`, { headers: { authorization: `Bearer anna.${Date.now() + 60_000}.AAAA` } });
    assert.equal(forged.status, 401);
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/console/ws`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    assert.equal(code, 401);
  });

  it('logs in, sees an escalation arrive live, claims, replies, resolves; the customer gets the reply and the CSAT question', async () => {
    await page.goto(`${url}/console/`);
    await page.fill('#login-agent', 'anna');
    await page.fill('#login-password', 'secret-anna');
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor();
    await page.locator('#live[data-state="live"]').waitFor();

    await page.selectOption('#status', 'away'); // present but not taking new chats: escalations queue
    await until('anna away', async () => (await rig.service.agents())[0]?.status === 'away', 20_000);

    await rig.say('c1', 'my order is late');
    assert.match(await rig.say('c1', 'I need a human please'), /number 1 in the queue/);
    const item = page.locator(`#queue button[data-key="${key('c1')}"]`);
    await item.waitFor(); // pushed over the WebSocket, no reload
    await item.click();
    await page.locator('.conversation').getByText('I need a human please').first().waitFor();

    await page.click('#claim');
    await page.locator('#conv-state', { hasText: 'with anna' }).waitFor();
    assert.equal((await rig.service.get(key('c1')))?.agentId, 'anna');

    await page.fill('#reply-text', 'Hi, this is Anna. Your order ships today.');
    await page.click('#reply-send');
    await until(
      'the reply reaching the customer channel',
      () => rig.channel.to('c1').some((m) => m.from === 'agent' && m.text === 'Hi, this is Anna. Your order ships today.'),
      20_000,
    );

    assert.equal(await rig.say('c1', 'great, thank you'), '', 'the bot stays silent');
    await page.locator('.conversation > ol.transcript .line--customer', { hasText: 'great, thank you' }).waitFor();

    await page.fill('#note-text', 'customer happy');
    await page.click('#note-send');
    await page.locator('.conversation > ol.transcript .line--note', { hasText: 'customer happy' }).waitFor();
    assert.ok(!rig.channel.to('c1').some((m) => m.text === 'customer happy'), 'notes never reach the customer');

    await page.click('#resolve');
    await until('the CSAT question', () => rig.channel.to('c1').some((m) => /How satisfied/.test(m.text)), 20_000);
    const csat = rig.channel.to('c1').find((m) => /How satisfied/.test(m.text));
    assert.deepEqual(
      csat?.quickReplies?.map((q) => q.label),
      ['1', '2', '3', '4', '5'],
    );
    await page.locator('#conv-state', { hasText: 'resolved' }).waitFor();
    await rig.say('c1', '', { payload: 'csat:5' });
    assert.equal((await rig.service.get(key('c1')))?.csat, 5);
    await page.locator('.conversation dd', { hasText: '5/5' }).waitFor();
    await page.screenshot({ path: '/tmp/kefu-console-conversation.png' });
  });

  it('with every agent offline, the escalation becomes a ticket the agent answers from the console', async () => {
    await page.selectOption('#status', 'offline');
    await until('anna offline', async () => (await rig.service.agents())[0]?.status === 'offline', 20_000);
    await rig.say('c2', '我要退款');
    assert.match(await rig.say('c2', '转人工'), /工单 T-000001/);
    const item = page.locator('#tickets button[data-ticket="T-000001"]');
    await item.waitFor();
    await item.click();
    await page.locator('.ticket-history li', { hasText: 'created' }).waitFor(); // the history's words come from the console's texts
    await page.fill('#answer-text', '退款已办理，3-5个工作日到账。');
    await page.click('#answer-send');
    await until('the ticket answer reaching the customer', () => rig.channel.to('c2').some((m) => m.text.includes('退款已办理')), 20_000);
    await page.locator('#ticket-state', { hasText: 'pending' }).waitFor();
    await page.selectOption('#ticket-status', 'resolved');
    await page.click('#ticket-save');
    await until('ticket resolved', async () => (await rig.service.getTicket('T-000001'))?.status === 'resolved', 20_000);
    await page.screenshot({ path: '/tmp/kefu-console-ticket.png' });
    assert.deepEqual(pageErrors, []);
  });
});
