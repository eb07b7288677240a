/**
 * Quality inspection over real HTTP (docs/quality.md): a conversation an agent resolves is scored in
 * the background; supervisors list its flags, confirm or dismiss them (audited), read per-agent
 * scores and export CSV; an agent sees only their own score and nothing else.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../plugins/audit';
import type { AgentQa } from '../../server/qa/report';
import type { QaResult } from '../../server/qa/types';
import { asPage, asScript, conv, login, type Staff } from '../e2e/console-support';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { until } from '../support/until';

const FORBIDDEN = 'KEFU_ERR_CONSOLE_FORBIDDEN';

describe('console QA API', function () {
  this.timeout(30_000);
  let s: RunningApp;
  let anna: Staff;
  let wang: Staff;
  let lilei: Staff;

  async function handle(who: Staff, id: string, replies: string[]) {
    await postMessage(s.url, { conversationId: id, text: 'I need a human' });
    assert.equal((await asPage(s.url, who, 'POST', conv(`web:${id}`, 'claim'), {})).status, 200);
    for (const text of replies) assert.equal((await asPage(s.url, who, 'POST', conv(`web:${id}`, 'reply'), { text })).status, 200);
    assert.equal((await asPage(s.url, who, 'POST', conv(`web:${id}`, 'resolve'), {})).status, 200);
  }

  const flagsOf = async (who: Staff, status = 'open') => (await asPage<{ items: QaResult[]; next?: string }>(s.url, who, 'GET', `/console/api/qa/flags?status=${status}`)).json;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-qa-e2e-'));
    writeFileSync(join(dir, 'rules.json'), JSON.stringify({ forbidden: { en: ['free upgrade forever'] } }));
    s = await startApp({ QA_RULES_FILE: join(dir, 'rules.json') }, { classifier: createKeywordClassifier() });
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
    [anna, wang, lilei] = await Promise.all([login(s.url, 'anna'), login(s.url, 'wang'), login(s.url, 'lilei')]);
    await handle(wang, 'qa1', ['Hello, Wang here. You get a free upgrade forever.', 'Anything else I can do for you?']);
    await handle(wang, 'qa2', ['Hello! Your parcel arrives tomorrow. Have a nice day!']);
    await handle(lilei, 'qa3', ['Your parcel arrives tomorrow.']);
  });
  after(() => s?.stop());

  it('scores every resolved conversation and lists the flagged ones with their reasons', async () => {
    const open = await until(
      'three scored conversations',
      async () => {
        const f = await flagsOf(lilei);
        return f.items.length === 2 ? f : undefined;
      },
      5000,
    );
    const byKey = new Map(open.items.map((r) => [r.key, r]));
    assert.deepEqual(
      byKey.get('web:qa1')?.flags.map((f) => f.code),
      ['forbidden_phrase'],
      'the rules file replaced the English list',
    );
    assert.equal(byKey.get('web:qa1')?.flags[0]?.detail, 'free upgrade forever');
    assert.deepEqual(
      byKey.get('web:qa3')?.flags.map((f) => f.code),
      ['no_greeting', 'no_closing'],
    );
    assert.equal(byKey.get('web:qa3')?.agentId, 'lilei');
    assert.ok(!byKey.has('web:qa2'), 'a clean conversation is not listed');
  });

  it('a supervisor confirms and dismisses flags, each audited; the lists follow', async () => {
    const open = await flagsOf(lilei);
    const qa1 = open.items.find((r) => r.key === 'web:qa1');
    const qa3 = open.items.find((r) => r.key === 'web:qa3');
    assert.ok(qa1 && qa3);
    const confirmed = await asPage<{ result: QaResult }>(s.url, lilei, 'POST', `/console/api/qa/flags/${encodeURIComponent(qa1.id)}/confirm`, {});
    assert.equal(confirmed.status, 200);
    assert.deepEqual([confirmed.json.result.status, confirmed.json.result.decidedBy], ['confirmed', 'lilei']);
    assert.equal((await asScript(s.url, anna, 'POST', `/console/api/qa/flags/${encodeURIComponent(qa3.id)}/dismiss`, {})).status, 200);
    assert.deepEqual(
      (await flagsOf(lilei, 'confirmed')).items.map((r) => r.key),
      ['web:qa1'],
    );
    assert.deepEqual(
      (await flagsOf(lilei, 'dismissed')).items.map((r) => r.key),
      ['web:qa3'],
    );
    assert.deepEqual((await flagsOf(lilei)).items, []);
    const audit = await asPage<{ entries: AuditEntry[] }>(s.url, anna, 'GET', '/console/api/audit?limit=50');
    const qaEntries = audit.json.entries.filter((e) => e.action.startsWith('qa.')).map((e) => [e.actor, e.action, e.target, e.detail.flags]);
    assert.deepEqual(qaEntries.sort(), [
      ['anna', 'qa.dismiss', qa3.id, 'no_greeting,no_closing'],
      ['lilei', 'qa.confirm', qa1.id, 'forbidden_phrase'],
    ]);
  });

  it('unknown ids and clean conversations are coded errors', async () => {
    const unknown = await asPage(s.url, lilei, 'POST', '/console/api/qa/flags/nope/confirm', {});
    assert.deepEqual([unknown.status, unknown.json.error?.code], [404, 'KEFU_ERR_QA_NOT_FOUND']);
    const clean = (await s.app.handoff.get('web:qa2'))?.id ?? '';
    const r = await asPage(s.url, lilei, 'POST', `/console/api/qa/flags/${encodeURIComponent(clean)}/dismiss`, {});
    assert.deepEqual([r.status, r.json.error?.code], [409, 'KEFU_ERR_QA_NOT_FLAGGED']);
    const bad = await asPage(s.url, lilei, 'GET', '/console/api/qa/agents?from=2025-01-01&to=2025-12-31');
    assert.deepEqual([bad.status, bad.json.error?.code], [400, 'KEFU_ERR_QA_RANGE_INVALID']);
    const status = await asPage(s.url, lilei, 'GET', '/console/api/qa/flags?status=clean');
    assert.equal(status.status, 400);
  });

  it('per-agent scores: a dismissed flag counts as clean; supervisors see all, an agent only themself', async () => {
    const all = await asPage<{ agents: AgentQa[] }>(s.url, lilei, 'GET', '/console/api/qa/agents');
    const wangRow = all.json.agents.find((a) => a.agentId === 'wang');
    assert.deepEqual([wangRow?.conversations, wangRow?.averageScore, wangRow?.confirmed, wangRow?.flags.forbidden_phrase], [2, 85, 1, 1]);
    assert.deepEqual(all.json.agents.find((a) => a.agentId === 'lilei')?.averageScore, 100);
    const own = await asPage<{ agents: AgentQa[] }>(s.url, wang, 'GET', '/console/api/qa/agents');
    assert.deepEqual(
      own.json.agents.map((a) => a.agentId),
      ['wang'],
    );
  });

  it('an agent cannot list, decide, re-score or export', async () => {
    const attempts = [
      await asPage(s.url, wang, 'GET', '/console/api/qa/flags'),
      await asPage(s.url, wang, 'POST', '/console/api/qa/flags/x/dismiss', {}),
      await asPage(s.url, wang, 'POST', '/console/api/qa/flags/x/rescore', {}),
      await asScript(s.url, wang, 'GET', '/console/api/qa/export.csv'),
    ];
    assert.deepEqual(
      attempts.map((a) => [a.status, a.json.error?.code]),
      attempts.map(() => [403, FORBIDDEN]),
    );
    const anonymous = await fetch(`${s.url}/console/api/qa/flags`);
    assert.equal(anonymous.status, 401);
  });

  it('exports every scored conversation as CSV, and re-scores on demand keeping the decision', async () => {
    const res = await fetch(`${s.url}/console/api/qa/export.csv`, { headers: { authorization: `Bearer ${lilei.token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    assert.equal(lines[0]?.split(',')[0], 'handoff_id');
    assert.equal(lines.length, 4, 'a header and three conversations');
    assert.ok(lines.some((l) => l.includes('web:qa1') && l.includes('forbidden_phrase') && l.includes('confirmed')));
    const qa1 = (await s.app.handoff.get('web:qa1'))?.id ?? '';
    const again = await asPage<{ result: QaResult }>(s.url, lilei, 'POST', `/console/api/qa/flags/${encodeURIComponent(qa1)}/rescore`, {});
    assert.equal(again.status, 200);
    assert.equal(again.json.result.status, 'confirmed', 'the same flags keep the decision');
  });
});
