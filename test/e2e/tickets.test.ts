/**
 * Tickets are conversations, over HTTP: with nobody on duty a web customer gets a ticket; the
 * agent's question (console API) reaches them; their answer goes to the ticket (not the bot),
 * reopens it, and reaches the console socket as `ticket.customer_message`.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { logInAgents, postMessage, type RunningApp, replyText, startApp } from '../support/server';

const classifier = createKeywordClassifier([
  ['agent.request', /human|person|人工/i],
  ['order.status', /order|lamp|订单/i],
]);

describe('tickets are conversations (HTTP)', function () {
  this.timeout(30_000);
  let s: RunningApp;
  before(async () => {
    s = await startApp({}, { classifier });
  });
  after(() => s.stop());

  it('the customer’s answer goes to the ticket, reopens it and reaches the agent’s console', async () => {
    const first = await postMessage(s.url, { conversationId: 't-lamp', text: 'talk to a human please' });
    const ticketId = /T-\d{6}/.exec(replyText(first.json))?.[0] as string;
    assert.ok(ticketId, replyText(first.json));
    const anna = (await logInAgents(s.url, ['anna'])).get('anna') as string;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${anna}` };
    const answer = await fetch(`${s.url}/console/api/tickets/${ticketId}/answer`, { method: 'POST', headers, body: JSON.stringify({ text: 'Which lamp, and what is wrong?' }) });
    assert.equal(answer.status, 200);

    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/console/ws`, { headers: { authorization: `Bearer ${anna}` } });
    const heard = new Promise<{ text: string; ticket: { id: string; status: string } }>((resolve) => {
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { event?: { type: string; text: string; ticket: { id: string; status: string } } };
        if (msg.event?.type === 'ticket.customer_message') resolve(msg.event);
      });
    });
    await new Promise((r) => ws.once('open', r));
    const reply = await postMessage(s.url, { conversationId: 't-lamp', text: 'The lamp shade is cracked, order 100234' });
    assert.equal(replyText(reply.json), `Your ticket ${ticketId} is open; I added your message and an agent will answer you here.`);
    const event = await heard;
    assert.deepEqual([event.text, event.ticket.id, event.ticket.status], ['The lamp shade is cracked, order 100234', ticketId, 'open']);
    const got = await fetch(`${s.url}/console/api/tickets/${ticketId}`, { headers });
    const ticket = ((await got.json()) as { ticket: { status: string; transcript: Array<{ from: string; text: string }> } }).ticket;
    assert.equal(ticket.status, 'open', 'answered (pending) → open again');
    assert.deepEqual(ticket.transcript.at(-1), { ...ticket.transcript.at(-1), from: 'customer', text: 'The lamp shade is cracked, order 100234' });
    ws.close();
  });
});
