/**
 * Multi-instance mode for real: three kefu processes (as `npm start` runs them) on one SQLite data
 * dir and the machine's Redis, under a key prefix of their own. A customer on A is answered live
 * by an agent logged in on B and seen on C's console; a session signed on one instance works on
 * the others and a logout on one ends it everywhere; 1,000 three-way claim races across the
 * processes have exactly one winner each; kill -9 of one process under load loses nothing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { type ChildServer, createWebCustomers, startChildServer } from '../support/child-server';

const AGENTS = ['anna', 'wang', 'lilei'];
const password = (agent: string) => `${agent}-pass-12345`;

/** Resolves with the first `data:` line of a server-sent event stream that satisfies `match`. */
async function firstEvent(url: string, match: (data: string) => boolean, timeoutMs: number): Promise<string> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: abort.signal });
    assert.equal(res.status, 200);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (const line of buffer.split('\n')) if (line.startsWith('data: ') && match(line.slice(6))) return line.slice(6);
    }
    throw new Error('stream ended');
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

describe('multi-instance mode: three processes, one data dir, Redis', function () {
  this.timeout(240_000);
  const customers = createWebCustomers();
  const post = customers.post;
  let dir: string;
  const servers: ChildServer[] = [];
  let [a, b, c] = ['', '', ''];

  const login = async (url: string, agent: string) => {
    const res = await post(url, '/console/api/login', { agentId: agent, password: password(agent) });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return String(res.json.token);
  };
  const staffGet = async (url: string, path: string, token: string) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-multi-'));
    const env = {
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `kefu-test:${randomBytes(4).toString('hex')}:`,
      KEFU_SECRET: randomBytes(32).toString('hex'),
      CONSOLE_AGENTS: AGENTS.map((x) => `${x}:${password(x)}`).join(','),
    };
    servers.push(await startChildServer(dir, env)); // the first one trains the NLU models the others load
    servers.push(...(await Promise.all([startChildServer(dir, env), startChildServer(dir, env)])));
    [a, b, c] = servers.map((s) => s.url) as [string, string, string];
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('says it is in multi-instance mode, each instance with its own id', async () => {
    const health = await Promise.all([a, b, c].map(async (u) => ((await (await fetch(`${u}/healthz`)).json()) as { cluster: { mode: string; instance: string } }).cluster));
    assert.deepEqual(
      health.map((h) => h.mode),
      ['redis', 'redis', 'redis'],
    );
    assert.equal(new Set(health.map((h) => h.instance)).size, 3);
  });

  it('a customer on A gets the reply of an agent on B live; C’s console sees it; sessions work everywhere until a logout anywhere', async () => {
    // Presence across instances: Anna logs in on B (online by that sign of life), A routes to her.
    const anyToken = await login(b, 'anna');
    await new Promise((r) => setTimeout(r, 300)); // her status reaches A
    const first = await post(a, '/api/web/messages', { conversationId: 'multi-live', text: 'talk to a human please' });
    assert.equal(first.status, 200, JSON.stringify(first.json));
    const firstText = (first.json.replies as Array<{ text: string }>).map((r) => r.text).join('\n');
    assert.match(firstText, /An agent will be with you shortly/, `offered, not yet taken: ${firstText}`);
    const view = await staffGet(c, '/console/api/conversations/web:multi-live', anyToken);
    assert.equal(view.status, 200, 'a session signed by B is good on C');
    assert.equal((view.json.record as { offer?: { agentId: string } }).offer?.agentId, 'anna', 'A offered it to the agent logged in on B');
    const accepted = await post(c, '/console/api/conversations/web:multi-live/accept', {}, anyToken);
    assert.equal(accepted.status, 200, `she accepts on C: ${JSON.stringify(accepted.json)}`);
    const agent = String((accepted.json.record as { agentId?: string }).agentId);
    assert.equal(agent, 'anna');
    const agentToken = anyToken;

    const ticket = await post(a, '/api/web/events/ticket', { conversationId: 'multi-live' });
    assert.equal(ticket.status, 200);
    const onA = firstEvent(`${a}/api/web/events?conversationId=multi-live&ticket=${ticket.json.ticket}`, (d) => d.includes('hello from B'), 10_000);
    const consoleC = new WebSocket(`${c.replace('http', 'ws')}/console/ws`, { headers: { authorization: `Bearer ${agentToken}` } });
    const seenOnC = new Promise<string>((resolve, reject) => {
      consoleC.on('message', (m) => {
        const text = String(m);
        if (text.includes('hello from B')) resolve(text);
      });
      consoleC.on('error', reject);
    });
    await new Promise((r) => consoleC.once('open', r));
    await new Promise((r) => setTimeout(r, 300)); // the stream on A is open
    const reply = await post(b, '/console/api/conversations/web:multi-live/reply', { text: 'hello from B' }, agentToken);
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    assert.match(await onA, /hello from B/, 'the customer streaming from A got the reply sent through B');
    assert.match(await seenOnC, /handoff\.agent_message/, 'the console on C saw it');
    consoleC.close();

    // anna is the demo admin: an agent she adds on C can log in on A at once, and is known to routing there.
    const added = await post(c, '/console/api/staff', { id: 'zoe', name: 'Zoe', role: 'agent', password: 'zoe-pass-123456' }, anyToken);
    assert.equal(added.status, 200, JSON.stringify(added.json));
    await new Promise((r) => setTimeout(r, 300));
    const zoe = await post(a, '/console/api/login', { agentId: 'zoe', password: 'zoe-pass-123456' });
    assert.equal(zoe.status, 200, `an account made on C logs in on A: ${JSON.stringify(zoe.json)}`);
    const agentsOnB = (await staffGet(b, '/console/api/state', anyToken)).json.agents as Array<{ id: string }>;
    assert.ok(
      agentsOnB.some((x) => x.id === 'zoe'),
      'B routes to her too',
    );

    assert.equal((await post(c, '/console/api/logout', {}, anyToken)).status, 200);
    await new Promise((r) => setTimeout(r, 200));
    for (const url of [a, b, c]) assert.equal((await staffGet(url, '/console/api/state', anyToken)).status, 401, `logged out on ${url}`);
  });

  it('1,000 three-way claim races across the processes have exactly one winner each', async () => {
    const tokens = new Map<string, string>();
    for (const [i, agent] of AGENTS.entries()) {
      const url = [a, b, c][i] as string;
      tokens.set(agent, await login(url, agent));
      assert.equal((await post(url, '/console/api/status', { status: 'away' }, tokens.get(agent))).status, 200);
    }
    const loadsOn = async (url: string) => {
      const state = await staffGet(url, '/console/api/state', tokens.get('anna') as string);
      return Object.fromEntries((state.json.agents as Array<{ id: string; load: number }>).filter((x) => AGENTS.includes(x.id)).map((x) => [x.id, x.load]));
    };
    const before = await loadsOn(a); // the conversation of the test before is still with its agent
    const ids = Array.from({ length: 1000 }, (_, i) => `race-${i}`);
    await inBatches(ids, 24, async (id, i) => {
      const res = await post([a, b, c][i % 3] as string, '/api/web/messages', { conversationId: id, text: 'talk to a human please' });
      assert.equal(res.status, 200, JSON.stringify(res.json));
    });
    let winners = 0;
    let doubles = 0;
    const wins = new Map<string, number>(AGENTS.map((x) => [x, 0]));
    await inBatches(ids, 8, async (id) => {
      const results = await Promise.all(
        AGENTS.map(async (agent, i) => ({ agent, res: await post([a, b, c][i] as string, `/console/api/conversations/web:${id}/claim`, {}, tokens.get(agent)) })),
      );
      const won = results.filter((r) => r.res.status === 200);
      for (const r of results) if (r.res.status !== 200) assert.equal((r.res.json.error as { code?: string })?.code, 'KEFU_ERR_HANDOFF_TAKEN', JSON.stringify(r.res.json));
      if (won.length === 1) {
        winners += 1;
        wins.set(won[0]?.agent as string, (wins.get(won[0]?.agent as string) ?? 0) + 1);
      } else doubles += 1;
    });
    console.log(`      claim races: ${ids.length} conversations, ${winners} with one winner, ${doubles} otherwise; wins ${JSON.stringify(Object.fromEntries(wins))}`);
    assert.deepEqual({ winners, doubles }, { winners: 1000, doubles: 0 });
    await new Promise((r) => setTimeout(r, 300));
    const expected = Object.fromEntries(AGENTS.map((x) => [x, (before[x] ?? 0) + (wins.get(x) ?? 0)]));
    for (const url of [a, b, c]) assert.deepEqual(await loadsOn(url), expected, `${url} knows every agent’s load`);
  });

  it('kill -9 of one process under load: the others carry on and nothing acknowledged is lost', async () => {
    const [, , third] = servers as [ChildServer, ChildServer, ChildServer];
    const acked = new Map<string, string>(); // messageId → conversation
    let running = true;
    let killed = false;
    const customer = async (conversationId: string, n: number) => {
      for (let i = 0; running; i++) {
        const messageId = `${conversationId}-m${i}`;
        const text = ['hi', 'what are your opening hours', 'thanks', '你好', '怎么退货'][i % 5] as string;
        // Round-robin over the instances; a request to the dead one is sent again, same id, to a live one.
        for (let attempt = 0; ; attempt++) {
          const url = killed && (n + i + attempt) % 3 === 2 ? a : ([a, b, c][(n + i + attempt) % 3] as string);
          try {
            const res = await post(url, '/api/web/messages', { conversationId, messageId, text });
            if (res.status === 200) {
              acked.set(messageId, conversationId);
              break;
            }
          } catch {
            // refused or cut off by the kill: try another instance
          }
          if (attempt > 10) throw new Error(`${messageId} never answered`);
        }
      }
    };
    const ids = Array.from({ length: 12 }, (_, i) => `k9m-${i}`);
    const load = ids.map((id, n) => customer(id, n));
    for (let waited = 0; acked.size < 120 && waited < 60_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await third.kill();
    killed = true;
    const atKill = acked.size;
    for (let waited = 0; acked.size < atKill + 120 && waited < 60_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    running = false;
    await Promise.all(load);
    assert.ok(acked.size >= atKill + 120, `the two left carried on (${atKill} acknowledged before the kill, ${acked.size} in all)`);

    let lost = 0;
    let twice = 0;
    for (const id of ids) {
      const res = await fetch(`${b}/api/web/messages?conversationId=${id}&after=0&limit=500`, { headers: { authorization: `Bearer ${customers.tokens.get(id)}` } });
      const messages = ((await res.json()) as { messages: Array<{ id: string; from: string }> }).messages.filter((m) => m.from === 'customer');
      const stored = messages.map((m) => m.id);
      twice += stored.length - new Set(stored).size;
      for (const [messageId, conversation] of acked) if (conversation === id && !stored.includes(messageId)) lost += 1;
    }
    console.log(`      kill -9 of one of three: ${atKill} acknowledged before, ${acked.size} in all; lost ${lost}, stored twice ${twice}`);
    assert.deepEqual({ lost, twice }, { lost: 0, twice: 0 });
  });
});

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}
