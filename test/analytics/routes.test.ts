/**
 * The analytics, inbox and audit APIs in the real app (startApp: SQLite in a temp DATA_DIR, web chat,
 * console): agent auth (cookie for the console, Bearer for /api/analytics), JSON report, inbox label
 * and dismiss, and every staff action (login, failed login, claim, reply, resolve, inbox) in the
 * audit log, which verifies.
 */
import assert from 'node:assert/strict';
import type { AnalyticsReport, InboxEntry } from '../../plugins/analytics';
import type { AuditEntry, AuditVerification } from '../../plugins/audit';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { rankingClassifier } from './support';

const NOW = Date.UTC(2025, 2, 3, 9, 30);

describe('analytics, inbox and audit APIs', function () {
  this.timeout(30_000);
  let s: RunningApp;
  let cookie: string;
  let token: string;

  // The console page's own origin: cookie-authenticated POSTs need it (CSRF check).
  const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = { cookie, origin: s.url }) => {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as T & { error?: { code: string; message: string } } };
  };

  before(async () => {
    s = await startApp({}, { classifier: rankingClassifier(), now: () => NOW });
    await api('POST', '/console/api/login', { agentId: 'anna', password: 'wrong-one' }, {});
    const res = await fetch(`${s.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agentId: 'anna', password: 'anna-pass-12345' }),
    });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    token = ((await res.json()) as { token: string }).token;
    await postMessage(s.url, { conversationId: 'w1', text: 'hello' });
    await postMessage(s.url, { conversationId: 'w2', text: 'the widget wobbles' });
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away'); // w3 waits, to be claimed
    await postMessage(s.url, { conversationId: 'w3', text: 'I need a human' });
  });
  after(() => s?.stop());

  it('refuses requests without an agent session (401 KEFU_ERR_CONSOLE_AUTH)', async () => {
    for (const path of [
      '/api/analytics?from=2025-03-03&to=2025-03-03',
      '/console/api/analytics?from=2025-03-03&to=2025-03-03',
      '/console/api/inbox',
      '/console/api/audit',
      '/console/api/audit/verify',
    ]) {
      const r = await api('GET', path, undefined, {});
      assert.equal(r.status, 401, path);
      assert.equal(r.json.error?.code, 'KEFU_ERR_CONSOLE_AUTH');
    }
    const forged = await api('GET', '/api/analytics?from=2025-03-03&to=2025-03-03', undefined, { authorization: `Bearer anna.${Date.now() + 60_000}.AAAA` });
    assert.equal(forged.status, 401);
  });

  it('GET /api/analytics (Bearer) and /console/api/analytics (cookie) answer the same JSON report', async () => {
    await s.app.handoff.idle();
    const bearer = await api<{ report: AnalyticsReport }>('GET', '/api/analytics?from=2025-03-03&to=2025-03-03', undefined, { authorization: `Bearer ${token}` });
    assert.equal(bearer.status, 200);
    const t = bearer.json.report.totals;
    assert.deepEqual([t.conversations, t.turns, t.botTurns, t.fallbackTurns, t.escalations], [3, 3, 3, 1, 1]);
    assert.deepEqual(Object.keys(bearer.json.report.byChannel), ['web']);
    const viaCookie = await api<{ report: AnalyticsReport }>('GET', '/console/api/analytics?from=2025-03-03&to=2025-03-03');
    assert.deepEqual(viaCookie.json.report, bearer.json.report);
    const bad = await api('GET', '/console/api/analytics?from=2025-03-09&to=2025-03-03');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error?.code, 'KEFU_ERR_ANALYTICS_RANGE_INVALID');
    const missing = await api('GET', '/console/api/analytics');
    assert.equal(missing.json.error?.code, 'KEFU_ERR_ANALYTICS_RANGE_INVALID');
  });

  it('lists the inbox with intent suggestions; labels and dismisses with codes for bad input', async () => {
    const inbox = await api<{ entries: InboxEntry[]; intents: string[] }>('GET', '/console/api/inbox?status=open');
    assert.deepEqual(
      inbox.json.entries.map((e) => [e.text, e.count, e.channel]),
      [['the widget wobbles', 1, 'web']],
    );
    assert.deepEqual(inbox.json.intents, ['greeting', 'order.status', 'refund.request']);
    const id = inbox.json.entries[0]?.id as string;
    const bad = await api('POST', `/console/api/inbox/${id}/label`, { intent: 'not an intent' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error?.code, 'KEFU_ERR_INBOX_INPUT_INVALID');
    const unknown = await api('POST', '/console/api/inbox/en-0000/dismiss', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error?.code, 'KEFU_ERR_INBOX_NOT_FOUND');
    const ok = await api<{ entry: InboxEntry }>('POST', `/console/api/inbox/${id}/label`, { intent: 'refund.request' });
    assert.equal(ok.status, 200);
    assert.deepEqual([ok.json.entry.status, ok.json.entry.intent, ok.json.entry.by], ['labelled', 'refund.request', 'anna']);
  });

  it('audits logins, failed logins, console actions and inbox labels, newest first, and the chain verifies', async () => {
    const key = 'web:w3';
    assert.equal((await api('POST', `/console/api/conversations/${encodeURIComponent(key)}/claim`, {})).status, 200);
    assert.equal((await api('POST', `/console/api/conversations/${encodeURIComponent(key)}/reply`, { text: 'Anna here, how can I help?' })).status, 200);
    assert.equal((await api('POST', `/console/api/conversations/${encodeURIComponent(key)}/resolve`, {})).status, 200);
    await s.app.handoff.idle();
    const log = await api<{ entries: AuditEntry[] }>('GET', '/console/api/audit?limit=50');
    const actions = log.json.entries.map((e) => [e.actor, e.action, e.target]).reverse();
    assert.deepEqual(
      actions.filter(([, a]) => a !== 'status' && a !== 'staff.seed'),
      [
        ['anna', 'login.failed', 'anna'],
        ['anna', 'login', 'anna'],
        ['anna', 'inbox.label', actions.find(([, a]) => a === 'inbox.label')?.[2]],
        ['anna', 'claim', key],
        ['anna', 'reply', key],
        ['anna', 'resolve', key],
      ],
    );
    assert.ok(!JSON.stringify(log.json).includes('Anna here'), 'no message text in the audit log');
    const verify = await api<{ verification: AuditVerification }>('GET', '/console/api/audit/verify');
    assert.equal(verify.json.verification.ok, true);
    assert.equal(verify.json.verification.entries, log.json.entries.length);
  });
});
