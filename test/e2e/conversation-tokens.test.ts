/**
 * The conversation id is no longer the only secret (issue 9): the first answer carries a
 * conversation token (an HMAC of the id under a key derived from the server secret: nothing stored);
 * every later message, the history and the event stream need it (the stream through a short-lived
 * ticket), so knowing a conversation's id does not let anyone read the agent's replies, write as the
 * customer or cancel the customer's place in the queue.
 */
import assert from 'node:assert/strict';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { logInAgents, type RunningApp, startApp } from '../support/server';

describe('conversation tokens (web chat)', function () {
  this.timeout(20_000);
  let s: RunningApp;
  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
  });
  after(async () => s?.stop());

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const code = async (res: Response) => ((await res.json()) as { error?: { code?: string } }).error?.code;

  it('the first answer gives the token; without it or with another one, nothing else is allowed', async () => {
    await logInAgents(s.url); // someone is on duty, so the customer waits for them (no ticket)
    const first = await post('/api/web/messages', { conversationId: 'victim-1', text: 'talk to a human please' });
    assert.equal(first.status, 200);
    const { conversationToken } = (await first.json()) as { conversationToken?: string };
    assert.match(conversationToken ?? '', /^[A-Za-z0-9_-]{22,}$/, '128 bits or more, base64url');

    for (const stranger of [undefined, 'not-the-token', `${conversationToken}x`]) {
      const write = await post('/api/web/messages', { conversationId: 'victim-1', text: 'cancel' }, stranger);
      assert.equal(write.status, 401);
      assert.equal(await code(write), 'KEFU_ERR_WEB_AUTH');
      const read = await fetch(`${s.url}/api/web/messages?conversationId=victim-1&after=0`, { headers: stranger ? { authorization: `Bearer ${stranger}` } : {} });
      assert.equal(read.status, 401);
      assert.equal((await post('/api/web/events/ticket', { conversationId: 'victim-1' }, stranger)).status, 401);
    }
    assert.equal((await fetch(`${s.url}/api/web/events?conversationId=victim-1`)).status, 401, 'the stream without a ticket');
    assert.equal((await fetch(`${s.url}/api/web/events?conversationId=victim-1&ticket=${Date.now() + 60_000}.forged`)).status, 401);
    assert.ok(['queued', 'assigned'].includes((await s.app.handoff.get('web:victim-1'))?.state ?? ''), 'nobody cancelled the place in the queue');

    const mine = await post('/api/web/messages', { conversationId: 'victim-1', text: 'still there?' }, conversationToken);
    assert.equal(mine.status, 200);
    assert.equal(((await mine.json()) as { conversationToken?: string }).conversationToken, undefined, 'given once');
    const history = await fetch(`${s.url}/api/web/messages?conversationId=victim-1&after=0`, { headers: { authorization: `Bearer ${conversationToken}` } });
    assert.equal(history.status, 200);
    const { ticket } = (await (await post('/api/web/events/ticket', { conversationId: 'victim-1' }, conversationToken)).json()) as { ticket: string };
    const stream = await fetch(`${s.url}/api/web/events?conversationId=victim-1&ticket=${encodeURIComponent(ticket)}`);
    assert.equal(stream.status, 200);
    await stream.body?.cancel();
    const other = await fetch(`${s.url}/api/web/events?conversationId=victim-2&ticket=${encodeURIComponent(ticket)}`);
    assert.equal(other.status, 401, "a ticket opens its own conversation's stream only");

    assert.equal(await s.app.engine.data.meta.get('web-token:victim-1'), undefined, 'nothing is stored for the token: the first turn is the only write');
  });

  it('the retry of a first message whose answer was lost gets the token again; any other message without it does not', async () => {
    const first = await post('/api/web/messages', { conversationId: 'lost-1', messageId: 'm-first-7f3a', text: 'hi' });
    const lostToken = ((await first.json()) as { conversationToken?: string }).conversationToken;
    assert.ok(lostToken, 'given, but (in this story) never seen by the page');
    const other = await post('/api/web/messages', { conversationId: 'lost-1', messageId: 'm-other', text: 'hi' });
    assert.equal(other.status, 401, 'a different message without the token is refused');
    const retry = await post('/api/web/messages', { conversationId: 'lost-1', messageId: 'm-first-7f3a', text: 'hi' });
    assert.equal(retry.status, 200);
    const body = (await retry.json()) as { duplicate?: boolean; conversationToken?: string };
    assert.equal(body.duplicate, true, 'answered once: the retry gets the first answer');
    assert.equal(body.conversationToken, lostToken, "the conversation's token, again");
    assert.equal((await post('/api/web/messages', { conversationId: 'lost-1', text: 'next' }, body.conversationToken)).status, 200);
    const late = await post('/api/web/messages', { conversationId: 'lost-1', messageId: 'm-first-7f3a', text: 'hi' }, 'a-wrong-token');
    assert.equal(late.status, 401, 'with a wrong token, not even the first message gets it');
  });
});
