/**
 * Roles over real HTTP (issue 9): with the demo team (Anna admin, Li Lei supervisor, Wang agent) an
 * agent claims from the queue and acts on their own conversations only (403
 * KEFU_ERR_CONSOLE_FORBIDDEN on a colleague's conversation or ticket, and on analytics, metrics,
 * the audit log and staff); a supervisor sees everything, reassigns a conversation (audited as
 * theirs) and reads the reports; the console socket gives an agent only the outline of others'
 * events.
 */
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../plugins/audit';
import type { HandoffEvent, HandoffRecord } from '../../plugins/handoff';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { asPage, asScript, conv, login, openSocket, type Staff } from './console-support';

const FORBIDDEN = 'KEFU_ERR_CONSOLE_FORBIDDEN';

describe('console roles', function () {
  this.timeout(30_000);
  let s: RunningApp;
  let anna: Staff;
  let wang: Staff;
  let lilei: Staff;

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away'); // escalations wait in the queue
    await postMessage(s.url, { conversationId: 'r1', text: 'I need a human' });
    await postMessage(s.url, { conversationId: 'r2', text: 'I need a human' });
    [anna, wang, lilei] = await Promise.all([login(s.url, 'anna'), login(s.url, 'wang'), login(s.url, 'lilei')]);
    assert.equal((await asPage(s.url, lilei, 'POST', conv('web:r1', 'claim'), {})).status, 200);
  });
  after(() => s?.stop());

  it('the login answer and the state name the role', async () => {
    const state = await asPage<{ role: string }>(s.url, wang, 'GET', '/console/api/state');
    assert.equal(state.json.role, 'agent');
    assert.equal((await asPage<{ role: string }>(s.url, anna, 'GET', '/console/api/state')).json.role, 'admin');
    assert.equal((await asPage<{ role: string }>(s.url, lilei, 'GET', '/console/api/state')).json.role, 'supervisor');
  });

  it("an agent cannot read, answer, annotate, resolve or transfer a colleague's conversation", async () => {
    const attempts = [
      await asPage(s.url, wang, 'GET', conv('web:r1')),
      await asPage(s.url, wang, 'POST', conv('web:r1', 'reply'), { text: 'hello from wang' }),
      await asPage(s.url, wang, 'POST', conv('web:r1', 'note'), { text: 'a note' }),
      await asPage(s.url, wang, 'POST', conv('web:r1', 'resolve'), {}),
      await asPage(s.url, wang, 'POST', conv('web:r1', 'transfer'), { skill: 'general' }),
      await asScript(s.url, wang, 'GET', conv('web:r1')),
      await asScript(s.url, wang, 'GET', '/console/api/handoffs?state=assigned&agentId=lilei'),
    ];
    assert.deepEqual(
      attempts.map((a) => [a.status, a.json.error?.code]),
      attempts.map(() => [403, FORBIDDEN]),
    );
    assert.equal((await s.app.handoff.get('web:r1'))?.agentId, 'lilei', 'nothing changed');
    const state = await asPage<{ assigned: HandoffRecord[] }>(s.url, wang, 'GET', '/console/api/state');
    assert.deepEqual(state.json.assigned, [], "others' conversations are not listed to an agent");
    const listed = await asPage<{ items: HandoffRecord[] }>(s.url, wang, 'GET', '/console/api/handoffs?state=assigned');
    assert.deepEqual(listed.json.items, []);
  });

  it('an agent claims from the queue and works their own conversation', async () => {
    assert.equal((await asPage(s.url, wang, 'GET', conv('web:r2'))).status, 200, 'a queued conversation can be looked at before claiming');
    assert.equal((await asPage(s.url, wang, 'POST', conv('web:r2', 'claim'), {})).status, 200);
    assert.equal((await asPage(s.url, wang, 'POST', conv('web:r2', 'note'), { text: 'checking' })).status, 200);
    assert.equal((await asPage(s.url, wang, 'POST', conv('web:r2', 'reply'), { text: 'Wang here' })).status, 200);
    const state = await asPage<{ assigned: HandoffRecord[] }>(s.url, wang, 'GET', '/console/api/state');
    assert.deepEqual(
      state.json.assigned.map((r) => r.key),
      ['web:r2'],
    );
  });

  it('an agent cannot read analytics, metrics, the audit log or staff', async () => {
    for (const path of ['/console/api/analytics?from=2025-03-03&to=2025-03-03', '/console/api/metrics', '/console/api/audit', '/console/api/audit/verify', '/console/api/staff']) {
      const r = await asPage(s.url, wang, 'GET', path);
      assert.deepEqual([r.status, r.json.error?.code], [403, FORBIDDEN], path);
    }
    const bearer = await asScript(s.url, wang, 'GET', '/api/analytics?from=2025-03-03&to=2025-03-03');
    assert.equal(bearer.status, 403);
  });

  it("a supervisor sees everyone's conversations, reassigns one (audited as theirs) and reads the reports", async () => {
    const seen = await asPage<{ record: HandoffRecord }>(s.url, lilei, 'GET', conv('web:r2'));
    assert.equal(seen.json.record.agentId, 'wang');
    const state = await asPage<{ assigned: HandoffRecord[] }>(s.url, lilei, 'GET', '/console/api/state');
    assert.deepEqual(state.json.assigned.map((r) => r.key).sort(), ['web:r1', 'web:r2']);
    await s.app.handoff.setAgentStatus('anna', 'online');
    const moved = await asPage(s.url, lilei, 'POST', conv('web:r2', 'transfer'), { agentId: 'anna' });
    assert.equal(moved.status, 200, JSON.stringify(moved.json));
    assert.equal((await s.app.handoff.get('web:r2'))?.agentId, 'anna');
    assert.equal((await asPage(s.url, lilei, 'GET', '/console/api/metrics')).status, 200);
    assert.equal((await asPage(s.url, lilei, 'GET', '/console/api/analytics?from=2025-03-03&to=2025-03-03')).status, 200);
    await s.app.handoff.idle();
    const audit = await asPage<{ entries: AuditEntry[] }>(s.url, lilei, 'GET', '/console/api/audit?limit=50');
    assert.equal(audit.status, 200);
    const reassign = audit.json.entries.find((e) => e.action === 'reassign');
    assert.deepEqual([reassign?.actor, reassign?.target, reassign?.detail], ['lilei', 'web:r2', { from: 'wang', toAgent: 'anna' }]);
    const staff = await asPage(s.url, lilei, 'GET', '/console/api/staff');
    assert.deepEqual([staff.status, staff.json.error?.code], [403, FORBIDDEN], 'only admins manage staff');
  });

  it("the console socket gives an agent only the outline of others' events, a supervisor all of them", async () => {
    const agentSide = await openSocket(s.url, { authorization: `Bearer ${wang.token}` });
    const supervisorSide = await openSocket(s.url, { authorization: `Bearer ${lilei.token}` });
    assert.equal(agentSide.status, 101);
    assert.equal(supervisorSide.status, 101);
    const heard = (side: typeof agentSide) => {
      const events: HandoffEvent[] = [];
      side.ws?.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { type: string; event?: HandoffEvent };
        if (msg.event) events.push(msg.event);
      });
      return events;
    };
    const toAgent = heard(agentSide);
    const toSupervisor = heard(supervisorSide);
    try {
      await postMessage(s.url, { conversationId: 'r1', text: 'are you still there?' }); // lilei's conversation
      await s.app.handoff.idle();
      const said = (events: HandoffEvent[]) => events.find((e) => e.type === 'handoff.customer_message');
      for (let i = 0; i < 100 && !(said(toAgent) && said(toSupervisor)); i++) await new Promise((r) => setTimeout(r, 20));
      const full = said(toSupervisor);
      assert.ok(full && 'text' in full && full.text === 'are you still there?', JSON.stringify(toSupervisor));
      assert.deepEqual(Object.keys(said(toAgent) ?? {}).sort(), ['at', 'key', 'type']);
    } finally {
      agentSide.ws?.terminate();
      supervisorSide.ws?.terminate();
    }
  });
  it("an agent cannot touch a colleague's ticket nor give a ticket to someone else; a supervisor can", async () => {
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'offline'); // escalations become tickets
    await postMessage(s.url, { conversationId: 'r3', text: 'I need a human' });
    await postMessage(s.url, { conversationId: 'r4', text: 'I need a human' });
    const open = (await s.app.handoff.listTickets({ status: 'open' })).items;
    const t3 = open.find((t) => t.key === 'web:r3')?.id;
    const t4 = open.find((t) => t.key === 'web:r4')?.id;
    assert.ok(t3 && t4);
    assert.equal((await asPage(s.url, wang, 'POST', `/console/api/tickets/${t3}`, { assigneeId: 'lilei' })).json.error?.code, FORBIDDEN);
    assert.equal((await asPage(s.url, lilei, 'POST', `/console/api/tickets/${t3}`, { assigneeId: 'lilei' })).status, 200, 'a supervisor assigns');
    const attempts = [
      await asPage(s.url, wang, 'GET', `/console/api/tickets/${t3}`),
      await asPage(s.url, wang, 'POST', `/console/api/tickets/${t3}`, { status: 'closed' }),
      await asPage(s.url, wang, 'POST', `/console/api/tickets/${t3}/answer`, { text: 'hi' }),
    ];
    assert.deepEqual(
      attempts.map((a) => [a.status, a.json.error?.code]),
      attempts.map(() => [403, FORBIDDEN]),
    );
    assert.equal((await s.app.handoff.getTicket(t3))?.status, 'open');
    const listed = await asPage<{ items: Array<{ id: string }> }>(s.url, wang, 'GET', '/console/api/tickets');
    const ids = listed.json.items.map((t) => t.id);
    assert.ok(ids.includes(t4) && !ids.includes(t3), `an agent's ticket list leaves out colleagues' tickets (${ids})`);
    assert.equal((await asPage(s.url, wang, 'POST', `/console/api/tickets/${t4}/answer`, { text: 'on it' })).status, 200, 'unassigned tickets are anyone’s');
    assert.equal((await s.app.handoff.getTicket(t4))?.assigneeId, 'wang');
    assert.equal((await asPage(s.url, wang, 'POST', `/console/api/tickets/${t4}`, { status: 'resolved' })).status, 200);
  });
});
