/**
 * The knowledge base across instances for real: two kefu processes on one SQLite data dir and the
 * machine's Redis. An FAQ a supervisor adds on A is answered on B (the `kb` bus topic makes B
 * reload the saved versions and retrain), without restarting B.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildServer, createWebCustomers, startChildServer } from '../support/child-server';

const ENTRY = {
  intent: 'faq.warranty',
  title: 'Warranty',
  questions: ['is there a warranty', 'how long is the warranty', 'do lamps come with a guarantee', 'warranty period for a lamp'],
  answer: 'Every lamp has a 2-year warranty.',
};

describe('knowledge base on several instances (Redis)', function () {
  this.timeout(120_000);
  const customers = createWebCustomers();
  let dir: string;
  const servers: ChildServer[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-kb-multi-'));
    const env = {
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `kefu-test:${randomBytes(4).toString('hex')}:`,
      KEFU_SECRET: randomBytes(32).toString('hex'),
      CONSOLE_AGENTS: 'lilei:lilei-pass-12345',
    };
    servers.push(await startChildServer(dir, env)); // trains the models the second one loads
    servers.push(await startChildServer(dir, env));
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('an FAQ added on A is answered on B', async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const ask = async (url: string, n: number) => {
      const res = await customers.post(url, '/api/web/messages', { conversationId: `kb-multi-${n}`, userId: `u${n}`, text: 'how long is the warranty on my lamp?' });
      return JSON.stringify(res.json.replies ?? []);
    };
    assert.doesNotMatch(await ask(b, 0), /2-year warranty/);
    const login = await customers.post(a, '/console/api/login', { agentId: 'lilei', password: 'lilei-pass-12345' });
    const created = await customers.post(a, '/console/api/kb/en', { entry: ENTRY }, String(login.json.token));
    assert.equal(created.status, 200, JSON.stringify(created.json));
    let answered = '';
    for (let n = 1; n < 120 && !/2-year warranty/.test(answered); n++) {
      await new Promise((r) => setTimeout(r, 250));
      answered = await ask(b, n);
    }
    assert.match(answered, /2-year warranty/);
  });
});
