/**
 * A/B experiments end to end over real HTTP: an EXPERIMENTS_FILE, conversations through the web
 * chat API (each hears its hashed variant's greeting, and keeps it), per-variant analytics in the
 * console API (supervisors only), a stop and a roll-out (both audited and final), and an
 * experiment created in the console.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../plugins/audit';
import { type ExperimentReport, type ExperimentView, parseExperimentsFile, pickVariant } from '../../plugins/experiments';
import { asPage, login, type Staff } from '../e2e/console-support';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, replyText, startApp } from '../support/server';

const SHORT = 'Hi! Short welcome.';
const experiment = {
  id: 'greeting-style',
  minSample: 5,
  variants: [{ id: 'classic' }, { id: 'short', texts: { greeting: { en: { welcome: SHORT } } } }],
};
const variantOf = (conversationId: string) =>
  pickVariant(experiment.id, `conversation:web:${conversationId}`, [
    { id: 'classic', weight: 1 },
    { id: 'short', weight: 1 },
  ]).id;

type Listed = ExperimentView & { report: ExperimentReport };

describe('experiments end to end', function () {
  this.timeout(30_000);
  let s: RunningApp;
  let lilei: Staff;
  let wang: Staff;
  const list = async () => (await asPage<{ experiments: Listed[] }>(s.url, lilei, 'GET', '/console/api/experiments')).json.experiments;

  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kefu-exp-')), 'experiments.json');
    writeFileSync(file, JSON.stringify({ experiments: [experiment] }));
    s = await startApp({ EXPERIMENTS_FILE: file }, { classifier: createKeywordClassifier() });
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away'); // escalations wait in the queue
    [lilei, wang] = await Promise.all([login(s.url, 'lilei'), login(s.url, 'wang')]);
  });
  after(() => s?.stop());

  it('the demo experiment file is valid, and its variant keeps what the greeting tests check', () => {
    const [demo] = parseExperimentsFile(readFileSync(join(__dirname, '../../demo/experiments.json'), 'utf8'), 'demo/experiments.json');
    const short = demo?.variants.find((v) => v.id === 'short');
    assert.match(short?.texts.greeting?.en?.welcome ?? '', /welcome/i);
    assert.match(short?.texts.greeting?.zh?.welcome ?? '', /欢迎/);
  });

  it('each conversation hears its variant, sticky; analytics count conversations and escalations per variant', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `ab-${i}`);
    for (const id of ids) {
      const first = replyText((await postMessage(s.url, { conversationId: id, text: 'hello' })).json);
      const again = replyText((await postMessage(s.url, { conversationId: id, text: 'hi' })).json);
      const expected = variantOf(id) === 'short' ? SHORT : /Lumen & Co\./;
      for (const text of [first, again]) typeof expected === 'string' ? assert.ok(text.startsWith(expected), `${id}: ${text}`) : assert.match(text, expected, id);
    }
    const escalating = ids.slice(0, 10);
    for (const id of escalating) await postMessage(s.url, { conversationId: id, text: 'I need a human' });

    const [listed] = await list();
    const figures = new Map(listed?.report.variants.map((v) => [v.id, v]));
    for (const variant of ['classic', 'short']) {
      const n = ids.filter((id) => variantOf(id) === variant).length;
      const escalated = escalating.filter((id) => variantOf(id) === variant).length;
      assert.equal(figures.get(variant)?.conversations, n, variant);
      assert.equal(figures.get(variant)?.escalation.count, escalated, variant);
      assert.equal(figures.get(variant)?.automation.count, n - escalated, variant);
      assert.equal(figures.get(variant)?.botTurns, 2 * n + escalated, variant);
    }
    assert.equal(listed?.status.state, 'running');
    const enough = ids.filter((id) => variantOf(id) === 'classic').length >= 5 && ids.filter((id) => variantOf(id) === 'short').length >= 5;
    assert.equal(listed?.report.enoughData, enough);
    if (enough) assert.equal(listed?.report.comparisons[0]?.variant, 'short');
  });

  it('agents may not see or change experiments', async () => {
    for (const [method, path] of [
      ['GET', '/console/api/experiments'],
      ['POST', '/console/api/experiments/greeting-style/stop'],
    ] as const) {
      const r = await asPage(s.url, wang, method, path, method === 'POST' ? {} : undefined);
      assert.equal(r.status, 403);
      assert.equal(r.json.error?.code, 'KEFU_ERR_CONSOLE_FORBIDDEN');
    }
  });

  it('a supervisor stops the file experiment: everyone hears the classic greeting; audited; a second stop is a conflict', async () => {
    const shortOne = Array.from({ length: 50 }, (_, i) => `stop-${i}`).find((id) => variantOf(id) === 'short') as string;
    assert.equal((await asPage(s.url, lilei, 'POST', '/console/api/experiments/greeting-style/stop', {})).status, 200);
    assert.match(replyText((await postMessage(s.url, { conversationId: shortOne, text: 'hello' })).json), /Lumen & Co\./);
    const again = await asPage(s.url, lilei, 'POST', '/console/api/experiments/greeting-style/stop', {});
    assert.deepEqual([again.status, again.json.error?.code], [409, 'KEFU_ERR_EXPERIMENT_CONFLICT']);
    const unknown = await asPage(s.url, lilei, 'POST', '/console/api/experiments/nope/stop', {});
    assert.deepEqual([unknown.status, unknown.json.error?.code], [404, 'KEFU_ERR_EXPERIMENT_NOT_FOUND']);
    assert.equal((await list())[0]?.status.state, 'stopped');
  });

  it('a supervisor creates an experiment in the console and rolls a variant out to everyone (audited)', async () => {
    const created = await asPage(s.url, lilei, 'POST', '/console/api/experiments', { ...experiment, id: 'greeting-2' });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const bad = await asPage(s.url, lilei, 'POST', '/console/api/experiments', { id: 'x', variants: [{ id: 'only' }] });
    assert.deepEqual([bad.status, bad.json.error?.code], [400, 'KEFU_ERR_EXPERIMENTS_INVALID']);
    const noVariant = await asPage(s.url, lilei, 'POST', '/console/api/experiments/greeting-2/rollout', { variant: 'nope' });
    assert.deepEqual([noVariant.status, noVariant.json.error?.code], [404, 'KEFU_ERR_EXPERIMENT_NOT_FOUND']);
    assert.equal((await asPage(s.url, lilei, 'POST', '/console/api/experiments/greeting-2/rollout', { variant: 'short' })).status, 200);
    for (let i = 0; i < 6; i++) assert.ok(replyText((await postMessage(s.url, { conversationId: `all-${i}`, text: 'hello' })).json).startsWith(SHORT), `all-${i}`);
    const rolled = (await list()).find((e) => e.experiment.id === 'greeting-2');
    assert.deepEqual([rolled?.source, rolled?.status.state, rolled?.status.variant, rolled?.status.by], ['console', 'rolled-out', 'short', 'lilei']);
    assert.equal(
      rolled?.report.variants.reduce((n, v) => n + v.conversations, 0),
      0,
      'a rolled-out variant is not an experiment any more: nothing counted',
    );

    const anna = await login(s.url, 'anna');
    const audit = await asPage<{ entries: AuditEntry[] }>(s.url, anna, 'GET', '/console/api/audit?limit=500');
    const entries = audit.json.entries;
    const mine = entries.filter((e) => e.action.startsWith('experiment.')).map((e) => [e.action, e.target, e.actor, e.detail.variant ?? '']);
    assert.deepEqual(
      mine.sort(),
      [
        ['experiment.create', 'greeting-2', 'lilei', ''],
        ['experiment.rollout', 'greeting-2', 'lilei', 'short'],
        ['experiment.stop', 'greeting-style', 'lilei', ''],
      ].sort(),
    );
  });
});
