/**
 * The web chat's conversation state, typing and "seen" over HTTP and the event stream, against the
 * real app: who answers (bot, queue, agent, ticket) with each answer, from GET /api/web/state and
 * pushed; the customer's typing reaching the console's events (throttled, never stored); the
 * agent's typing and "seen" reaching the page; and a close that ends open streams at once.
 */
import assert from 'node:assert/strict';
import type { AgentProfile, HandoffEvent } from '../../plugins/handoff';
import { asScript, conv, login } from './console-support';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { asCustomer, postMessage, type RunningApp, startApp } from '../support/server';

const team = (status: AgentProfile['status']): AgentProfile[] => [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 3, status, role: 'admin' },
  { id: 'wang', name: '王芳 Wang Fang', skills: ['refunds'], languages: ['zh'], capacity: 3, status, role: 'agent' },
  { id: 'lilei', name: 'Li Lei', skills: ['orders', 'general'], languages: ['en', 'zh'], capacity: 2, status, role: 'supervisor' },
];

/** Reads server-sent events of one conversation; `next(pred)` waits for a matching data message. */
async function openStream(url: string, conversationId: string) {
  const headers = { 'content-type': 'application/json', ...asCustomer(url, conversationId) };
  const { ticket } = (await (await fetch(`${url}/api/web/events/ticket`, { method: 'POST', headers, body: JSON.stringify({ conversationId }) })).json()) as { ticket: string };
  const res = await fetch(`${url}/api/web/events?conversationId=${conversationId}&ticket=${encodeURIComponent(ticket)}`);
  assert.equal(res.status, 200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const seen: unknown[] = [];
  let buffer = '';
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      buffer += Buffer.from(value as Uint8Array).toString('utf8');
      for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
        const data = buffer
          .slice(0, i)
          .split('\n')
          .find((l) => l.startsWith('data: '));
        buffer = buffer.slice(i + 2);
        if (data) seen.push(JSON.parse(data.slice(6)));
      }
    }
    ended = true;
  })();
  return {
    seen,
    ended: () => ended,
    pump,
    async next(pred: (m: Record<string, unknown>) => boolean, ms = 5000): Promise<Record<string, unknown>> {
      const until = Date.now() + ms;
      for (;;) {
        const hit = seen.find((m) => pred(m as Record<string, unknown>));
        if (hit) return hit as Record<string, unknown>;
        if (Date.now() > until) throw new Error(`no such event; got ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => reader.cancel().catch(() => {}),
  };
}

const stateOf = async (url: string, conversationId: string) =>
  fetch(`${url}/api/web/state?conversationId=${conversationId}`, { headers: asCustomer(url, conversationId) }).then(async (r) => ({
    status: r.status,
    json: (await r.json()) as { state?: unknown },
  }));

describe('web chat state, typing and seen (e2e)', function () {
  this.timeout(30_000);
  let s: RunningApp;
  const events: HandoffEvent[] = [];
  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier(), agents: team('away') });
    s.app.handoff.addAgentChannel({ name: 'test-viewer', mirrorsRemote: true, onEvent: async (e) => void events.push(e) });
  });
  after(async () => {
    await s?.stop();
  });

  it('answers say who answers: the bot, then the queue with the place; GET /api/web/state too, with the token only', async () => {
    const first = await postMessage(s.url, { conversationId: 'sig-1', text: 'hi' });
    assert.deepEqual((first.json as { state?: unknown }).state, { mode: 'bot' });
    assert.equal((await fetch(`${s.url}/api/web/state?conversationId=sig-1`)).status, 401, 'not without the token');
    assert.deepEqual((await stateOf(s.url, 'sig-1')).json.state, { mode: 'bot' });
    const asked = await postMessage(s.url, { conversationId: 'sig-1', text: 'a human please' });
    assert.deepEqual((asked.json as { state?: unknown }).state, { mode: 'queued', position: 1 });
    assert.deepEqual((await stateOf(s.url, 'sig-1')).json.state, { mode: 'queued', position: 1 });
  });

  it('pushes the state when an agent takes the conversation, and the agent\'s typing and "seen", none of it stored', async () => {
    const stream = await openStream(s.url, 'sig-1');
    try {
      const anna = await login(s.url, 'anna');
      assert.equal((await asScript(s.url, anna, 'POST', conv('web:sig-1', 'claim'))).status, 200);
      await stream.next((m) => m.kind === 'state' && (m.state as { mode: string }).mode === 'agent');
      assert.deepEqual((await stateOf(s.url, 'sig-1')).json.state, { mode: 'agent', agentId: 'anna', agentName: 'Anna' });
      const typing = await asScript(s.url, anna, 'POST', conv('web:sig-1', 'typing'));
      assert.deepEqual(typing.json, { ok: true, shown: true });
      await stream.next((m) => m.kind === 'typing' && m.from === 'agent');
      assert.deepEqual((await asScript(s.url, anna, 'POST', conv('web:sig-1', 'typing'))).json, { ok: true, shown: false }, 'one per 3 s');
      const said = await s.app.engine.data.messages.after('web:sig-1', 0, 100, 'customer');
      const last = said.filter((m) => m.from === 'customer').at(-1);
      assert.ok(last);
      assert.equal((await asScript(s.url, anna, 'POST', conv('web:sig-1', 'seen'), { seq: last.seq })).status, 200);
      await stream.next((m) => m.kind === 'seen' && m.seq === last.seq);
      assert.equal((await asScript(s.url, anna, 'POST', conv('web:sig-1', 'seen'), { seq: -1 })).status, 400);
      assert.equal((await s.app.engine.data.messages.after('web:sig-1', 0, 100, 'customer')).length, said.length, 'nothing stored');
    } finally {
      await stream.close();
    }
  });

  it("the customer's typing reaches the console as handoff.typing (one per 3 s, only with the token)", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/web/typing`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ conversationId: 'sig-1' }) });
    assert.equal((await post({})).status, 401);
    const before = events.filter((e) => e.type === 'handoff.typing').length;
    const res = await post(asCustomer(s.url, 'sig-1'));
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { ok: true, shown: true });
    assert.deepEqual(await (await post(asCustomer(s.url, 'sig-1'))).json(), { ok: true, shown: false }, 'throttled');
    const typed = events.filter((e) => e.type === 'handoff.typing');
    assert.equal(typed.length, before + 1);
    const e = typed.at(-1);
    assert.ok(e && e.type === 'handoff.typing');
    assert.equal(e.key, 'web:sig-1');
    assert.equal(e.from, 'customer');
    assert.equal(e.record.state, 'assigned');
  });

  it('a ticket: the state names it; resolving a conversation gives the bot back', async () => {
    const anna = await login(s.url, 'anna');
    assert.equal((await asScript(s.url, anna, 'POST', conv('web:sig-1', 'resolve'))).status, 200);
    assert.deepEqual((await stateOf(s.url, 'sig-1')).json.state, { mode: 'bot' });
    for (const a of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(a, 'offline');
    await postMessage(s.url, { conversationId: 'sig-2', text: 'hi' });
    const asked = await postMessage(s.url, { conversationId: 'sig-2', text: 'a human please' });
    assert.match(JSON.stringify((asked.json as { state?: unknown }).state), /^\{"mode":"ticket","ticketId":"T-\d{6}","status":"open"\}$/);
  });

  it('close ends open event streams at once (no wait on pages)', async () => {
    const own = await startApp({}, { classifier: createKeywordClassifier(), agents: team('away') });
    await postMessage(own.url, { conversationId: 'sig-close', text: 'hi' });
    const stream = await openStream(own.url, 'sig-close');
    const started = Date.now();
    await own.stop();
    await stream.pump;
    assert.ok(stream.ended(), 'the stream ended');
    assert.ok(Date.now() - started < 3000, `close took ${Date.now() - started} ms`);
  });
});
