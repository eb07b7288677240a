/**
 * Presence and offers over HTTP and the console socket, on the real app with the demo team: nobody
 * is online until they log in; the socket keeps an agent online and its close (past the grace
 * period) takes them offline; logout is offline at once; an offer arrives on the socket as
 * `handoff.offered` and is accepted or declined through the console API.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { logInAgents, postMessage, type RunningApp, replyText, startApp } from '../support/server';

const classifier = createKeywordClassifier([['agent.request', /human|person|人工/i]]);

describe('presence and offers (HTTP, console socket)', function () {
  this.timeout(30_000);
  let s: RunningApp;
  beforeEach(async () => {
    s = await startApp({ AGENT_DISCONNECT_GRACE_SECONDS: '0' }, { classifier });
  });
  afterEach(() => s.stop());

  const statuses = async () => Object.fromEntries((await s.app.handoff.agents()).map((a) => [a.id, a.status]));
  const api = (path: string, token: string, body: unknown = {}) =>
    fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  it('the demo team starts offline; nobody "is now with you" until someone logs in', async () => {
    assert.deepEqual(await statuses(), { anna: 'offline', wang: 'offline', lilei: 'offline' });
    const { json } = await postMessage(s.url, { conversationId: 'p-nobody', text: 'talk to a human please' });
    assert.match(replyText(json), /No agent is available right now\. I created ticket T-\d+/);
    assert.doesNotMatch(replyText(json), /is now with you|connecting/i);
  });

  it('login is online, a heartbeat answers, logout is offline at once', async () => {
    const tokens = await logInAgents(s.url, ['anna']);
    assert.equal((await statuses()).anna, 'online');
    const beat = await api('/console/api/presence', tokens.get('anna') as string);
    assert.equal(beat.status, 200);
    assert.equal(((await beat.json()) as { agent: { status: string } }).agent.status, 'online');
    assert.equal((await api('/console/api/logout', tokens.get('anna') as string)).status, 200);
    assert.equal((await statuses()).anna, 'offline');
  });

  it('an offer reaches the console socket; the agent accepts over HTTP and the customer hears who is with them', async () => {
    const tokens = await logInAgents(s.url, ['anna', 'wang']);
    const anna = tokens.get('anna') as string;
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/console/ws`, { headers: { authorization: `Bearer ${anna}` } });
    const offered = new Promise<{ key: string; agentId: string; expiresAt: number }>((resolve) => {
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { type: string; event?: { type: string; key: string; agentId: string; expiresAt: number } };
        if (msg.event?.type === 'handoff.offered') resolve(msg.event);
      });
    });
    await new Promise((r) => ws.once('open', r));
    const first = await postMessage(s.url, { conversationId: 'p-offer', text: 'talk to a human please' });
    assert.match(replyText(first.json), /An agent will be with you shortly\. You are number 1 in the queue/);
    assert.doesNotMatch(replyText(first.json), /is now with you/);
    const event = await offered;
    assert.deepEqual([event.key, event.agentId], ['web:p-offer', 'anna']);
    assert.ok(event.expiresAt > Date.now());

    const wrong = await api('/console/api/conversations/web:p-offer/accept', tokens.get('wang') as string);
    assert.equal(wrong.status, 409);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_HANDOFF_OFFER_GONE');
    const ok = await api('/console/api/conversations/web:p-offer/accept', anna);
    assert.equal(ok.status, 200, await ok.clone().text());
    await s.app.handoff.idle();
    const history = await fetch(`${s.url}/api/web/messages?conversationId=p-offer&after=0`, { headers: { authorization: `Bearer ${first.json.conversationToken}` } });
    const texts = ((await history.json()) as { messages: Array<{ text: string }> }).messages.map((m) => m.text);
    assert.ok(texts.includes('Anna from our support team is now with you.'), texts.join(' | '));

    ws.close();
    await new Promise((r) => ws.once('close', r));
    await new Promise((r) => setTimeout(r, 100));
    await s.app.handoff.tick(); // grace 0 s: the closed console takes her offline
    assert.equal((await statuses()).anna, 'offline');
    assert.equal((await s.app.handoff.get('web:p-offer'))?.agentId, undefined, 'her conversation went back to the queue');
  });

  it('a declined offer goes to the next agent', async () => {
    const tokens = await logInAgents(s.url, ['anna', 'lilei']);
    await postMessage(s.url, { conversationId: 'p-decline', text: 'talk to a human please' });
    const first = (await s.app.handoff.get('web:p-decline'))?.offer?.agentId as string;
    const res = await api('/console/api/conversations/web:p-decline/decline', tokens.get(first) as string);
    assert.equal(res.status, 200);
    const next = (await s.app.handoff.get('web:p-decline'))?.offer?.agentId;
    assert.ok(next && next !== first, `offered to the other agent (${next})`);
  });
});
