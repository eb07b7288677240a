/**
 * The knowledge base over real HTTP, on the real NLU: supervisors and admins list, create, edit and
 * delete FAQ entries (agents get 403); each change is a kept version and an audit row; the
 * classifier learns a new FAQ in the background without a restart, turns are answered by the old
 * model meanwhile; a failed training keeps the old model; the edits survive a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../plugins/audit';
import type { KbVersion } from '../../server/kb/history';
import type { KbEntryView } from '../../server/kb/knowledge-base';
import type { TrainingStatus } from '../../server/kb/retrainer';
import { asPage, asScript, login, type Staff } from '../e2e/console-support';
import { postMessage, type RunningApp, startApp } from '../support/server';

const WARRANTY = {
  intent: 'faq.warranty',
  title: 'Warranty',
  questions: ['is there a warranty', 'how long is the warranty', 'do lamps come with a guarantee', 'warranty period for a lamp', 'my lamp broke after a year, is it covered'],
  answer: 'Every lamp has a 2-year warranty; bulbs have 6 months.',
  buttons: [{ label: 'Talk to a person', intent: 'agent.request' }],
};

let n = 0;
async function ask(url: string, text: string): Promise<{ intent?: string; text: string }> {
  const res = await postMessage(url, { conversationId: `kb-${++n}`, userId: `u-kb-${n}`, text });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return { text: (res.json.replies ?? []).map((r) => r.text).join('\n') };
}

type Kb = { entries: KbEntryView[]; training: TrainingStatus };

describe('knowledge base in the console', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-kb-'));
  let s: RunningApp;
  let lilei: Staff;
  let anna: Staff;

  before(async () => {
    s = await startApp({}, {}, dataDir);
    lilei = await login(s.url, 'lilei'); // supervisor
    anna = await login(s.url, 'anna'); // admin
  });
  after(async () => {
    await s?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const status = async () => (await asPage<{ training: TrainingStatus }>(s.url, lilei, 'GET', '/console/api/kb/status')).json.training;
  /** Waits until every training asked for has ended. */
  async function settled(): Promise<TrainingStatus> {
    for (let i = 0; i < 400; i++) {
      const t = await status();
      if (t.state !== 'training' && t.trained === t.requested) return t;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('training did not end');
  }

  it('lets supervisors and admins in, agents and strangers not', async () => {
    const list = await asPage<Kb>(s.url, lilei, 'GET', '/console/api/kb?locale=en');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json.entries.map((e) => [e.intent, e.source, e.version]),
      [
        ['faq.shipping', 'file', 0],
        ['faq.returns', 'file', 0],
        ['faq.payment', 'file', 0],
        ['faq.hours', 'file', 0],
      ],
    );
    assert.equal(list.json.training.state, 'ready');
    assert.equal((await asScript<Kb>(s.url, anna, 'GET', '/console/api/kb?locale=zh')).json.entries[0]?.title, '配送与运费');
    const wang = await login(s.url, 'wang');
    for (const [method, path] of [
      ['GET', '/console/api/kb?locale=en'],
      ['POST', '/console/api/kb/en'],
      ['POST', '/console/api/kb/en/faq.hours/delete'],
    ] as const) {
      const r = await asPage(s.url, wang, method, path, method === 'POST' ? { entry: WARRANTY } : undefined);
      assert.deepEqual([r.status, r.json.error?.code], [403, 'KEFU_ERR_CONSOLE_FORBIDDEN'], `${method} ${path}`);
    }
    const anon = await fetch(`${s.url}/console/api/kb?locale=en`);
    assert.equal(anon.status, 401);
    const csrf = await asPage(s.url, lilei, 'POST', '/console/api/kb/en', { entry: WARRANTY }, { origin: 'https://evil.example' });
    assert.equal(csrf.json.error?.code, 'KEFU_ERR_CONSOLE_CSRF');
  });

  it('refuses bad entries with a coded error naming the problem', async () => {
    const bad = await asPage(s.url, lilei, 'POST', '/console/api/kb/en', { entry: { ...WARRANTY, answer: '' } });
    assert.deepEqual([bad.status, bad.json.error?.code], [400, 'KEFU_ERR_KB_INVALID']);
    assert.match(String(bad.json.error?.message), /answer: must not be empty/);
    const taken = await asPage(s.url, lilei, 'POST', '/console/api/kb/en', { entry: { ...WARRANTY, intent: 'faq.hours' } });
    assert.deepEqual([taken.status, taken.json.error?.code], [409, 'KEFU_ERR_KB_CONFLICT']);
    const missing = await asPage(s.url, lilei, 'POST', '/console/api/kb/en/faq.nothing', { entry: { ...WARRANTY, intent: 'faq.nothing' } });
    assert.deepEqual([missing.status, missing.json.error?.code], [404, 'KEFU_ERR_KB_NOT_FOUND']);
    const locale = await asPage(s.url, lilei, 'GET', '/console/api/kb?locale=fr');
    assert.deepEqual([locale.status, locale.json.error?.code], [400, 'KEFU_ERR_KB_INVALID']);
  });

  it('learns a new FAQ without a restart, answering with the old model while it trains', async () => {
    const before = await ask(s.url, 'how long is the warranty on a lamp?');
    assert.doesNotMatch(before.text, /2-year warranty/);
    const hashes = (await status()).models;

    const created = await asPage<{ entry: KbEntryView; training: TrainingStatus }>(s.url, lilei, 'POST', '/console/api/kb/en', { entry: WARRANTY });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    assert.deepEqual([created.json.entry.version, created.json.entry.source, created.json.training.state], [1, 'console', 'training']);
    // While the new model trains (in a worker thread), turns are answered by the old one.
    const during = await Promise.all(['hi', 'how much is shipping?', '你好'].map((t) => ask(s.url, t)));
    assert.equal((await status()).state, 'training', 'the turns were answered before the training ended');
    assert.match(during[1]?.text ?? '', /Standard delivery/);
    assert.ok(during.every((r) => r.text.length > 0));

    const done = await settled();
    assert.equal(done.state, 'ready');
    assert.notEqual(done.models.en, hashes.en, 'the English model was swapped');
    assert.equal(done.models.zh, hashes.zh, 'the Chinese model did not change');
    const after = await ask(s.url, 'how long is the warranty on a lamp?');
    assert.match(after.text, /Every lamp has a 2-year warranty/);
    assert.match(await ask(s.url, 'how much is shipping?').then((r) => r.text), /Standard delivery/);
  });

  it('keeps every version with who and when; a stale edit is refused', async () => {
    const path = '/console/api/kb/en/faq.hours';
    const v1 = await asPage<{ entry: KbEntryView }>(s.url, lilei, 'POST', path, {
      entry: { ...(await current('faq.hours')), answer: 'We are online 8:00–22:00 every day.' },
      baseVersion: 0,
    });
    assert.equal(v1.json.entry?.version, 1, JSON.stringify(v1.json));
    assert.match((await ask(s.url, 'what are your opening hours?')).text, /8:00–22:00/, 'the answer is live at once');
    const v2 = await asPage<{ entry: KbEntryView }>(s.url, anna, 'POST', path, { entry: { ...(await current('faq.hours')), answer: 'Open 9–21.' }, baseVersion: 1 });
    assert.equal(v2.json.entry?.version, 2);
    const stale = await asPage(s.url, lilei, 'POST', path, { entry: { ...(await current('faq.hours')), answer: 'Stale.' }, baseVersion: 1 });
    assert.deepEqual([stale.status, stale.json.error?.code], [409, 'KEFU_ERR_KB_CONFLICT']);
    const versions = await asPage<{ versions: KbVersion[] }>(s.url, lilei, 'GET', `${path}/versions`);
    assert.deepEqual(
      versions.json.versions.map((v) => [v.version, v.by, v.entry?.answer.slice(0, 12)]),
      [
        [0, 'file', 'I’m here aro'],
        [1, 'lilei', 'We are onlin'],
        [2, 'anna', 'Open 9–21.'],
      ],
    );
    assert.ok(versions.json.versions.slice(1).every((v) => v.at > 0));
    await settled();
  });

  it('deletes an entry: no longer answered, audited with each change', async () => {
    const del = await asPage<{ version: number }>(s.url, anna, 'POST', '/console/api/kb/en/faq.payment/delete', {});
    assert.equal(del.json.version, 1);
    assert.ok(!(await asPage<Kb>(s.url, anna, 'GET', '/console/api/kb?locale=en')).json.entries.some((e) => e.intent === 'faq.payment'));
    await settled();
    assert.doesNotMatch((await ask(s.url, 'can I pay with Alipay')).text, /We accept Alipay/);
    const log = await asPage<{ entries: AuditEntry[] }>(s.url, anna, 'GET', '/console/api/audit?limit=200');
    const kbRows = log.json.entries.filter((e) => e.action.startsWith('kb.')).map((e) => [e.action, e.actor, e.target, e.detail.version]);
    assert.deepEqual(kbRows.reverse(), [
      ['kb.create', 'lilei', 'en/faq.warranty', 1],
      ['kb.update', 'lilei', 'en/faq.hours', 1],
      ['kb.update', 'anna', 'en/faq.hours', 2],
      ['kb.delete', 'anna', 'en/faq.payment', 1],
    ]);
  });

  it('keeps the edits over the files after a restart', async () => {
    await s.stop(true);
    s = await startApp({}, {}, dataDir);
    assert.match((await ask(s.url, 'is there a warranty on lamps')).text, /2-year warranty/);
    assert.match((await ask(s.url, 'what are your opening hours?')).text, /Open 9–21\./);
    assert.doesNotMatch((await ask(s.url, 'can I pay with Alipay')).text, /We accept Alipay/);
    lilei = await login(s.url, 'lilei');
    const list = await asPage<Kb>(s.url, lilei, 'GET', '/console/api/kb?locale=en');
    assert.deepEqual(
      list.json.entries.map((e) => [e.intent, e.version]),
      [
        ['faq.shipping', 0],
        ['faq.returns', 0],
        ['faq.hours', 2],
        ['faq.warranty', 1],
      ],
    );
  });

  async function current(intent: string): Promise<Record<string, unknown>> {
    const list = await asPage<Kb>(s.url, lilei, 'GET', '/console/api/kb?locale=en');
    const e = list.json.entries.find((x) => x.intent === intent);
    assert.ok(e, intent);
    const { intent: i, title, questions, answer, buttons } = e;
    return { intent: i, title, questions, answer, buttons };
  }
});
