/**
 * The console's search, customer history, list previews and canned responses over real HTTP: a
 * search finds conversations by visitor name, text and key and tickets by id (agents only what they
 * may see); the history lists the same conversation's earlier escalations; previews give each
 * listed conversation's last message; supervisors create, edit and delete canned responses
 * (audited), agents only list them.
 */
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../plugins/audit';
import type { HandoffRecord, Ticket } from '../../plugins/handoff';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { asPage, conv, login, type Staff } from './console-support';

type Hit = { kind: 'conversation'; record: HandoffRecord } | { kind: 'ticket'; ticket: Ticket };
type Canned = { shortcut: string; texts: { en?: string; zh?: string } };

describe('console search, history, previews and canned responses', function () {
  this.timeout(30_000);
  let s: RunningApp;
  let wang: Staff;
  let lilei: Staff;
  let visitor = '';

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
    await postMessage(s.url, { conversationId: 's1', text: 'my lamp shade is cracked, I need a human' });
    await postMessage(s.url, { conversationId: 's2', text: 'I need a human' });
    [wang, lilei] = await Promise.all([login(s.url, 'wang'), login(s.url, 'lilei')]);
    visitor = (await s.app.handoff.get('web:s1'))?.customer.name ?? '';
    assert.equal((await asPage(s.url, lilei, 'POST', conv('web:s2', 'claim'), {})).status, 200);
  });
  after(() => s?.stop());

  const find = (who: Staff, q: string) => asPage<{ items: Hit[]; next?: string }>(s.url, who, 'GET', `/console/api/search?q=${encodeURIComponent(q)}`);
  const keys = (hits: Hit[]) => hits.map((h) => (h.kind === 'conversation' ? h.record.key : h.ticket.id)).sort();

  it('finds conversations by customer name, text and key, and only what the agent may see', async () => {
    assert.match(visitor, /^Visitor #\d{4}$/);
    assert.deepEqual(keys((await find(lilei, visitor)).json.items), ['web:s1']);
    assert.deepEqual(keys((await find(lilei, 'SHADE IS CRACKED')).json.items), ['web:s1']);
    assert.deepEqual(keys((await find(lilei, 'need a human')).json.items), ['web:s1', 'web:s2']);
    assert.deepEqual(keys((await find(wang, 'need a human')).json.items), ['web:s1'], "lilei's conversation is not an agent's to see");
    assert.deepEqual(keys((await find(lilei, 'web:s2')).json.items), ['web:s2']);
    const short = await find(lilei, 'a');
    assert.equal(short.status, 400);
    assert.equal(short.json.error?.code, 'KEFU_ERR_HANDOFF_INPUT_INVALID');
  });

  it('pages the results', async () => {
    const first = await asPage<{ items: Hit[]; next?: string }>(s.url, lilei, 'GET', '/console/api/search?q=human&limit=1');
    assert.equal(first.json.items.length, 1);
    assert.equal(first.json.next, '1');
    const second = await asPage<{ items: Hit[]; next?: string }>(s.url, lilei, 'GET', '/console/api/search?q=human&limit=1&after=1');
    assert.equal(second.json.items.length, 1);
    assert.equal(second.json.next, undefined);
    assert.notDeepEqual(keys(first.json.items), keys(second.json.items));
  });

  it("lists the customer's past conversations and the last message of each listed one", async () => {
    assert.equal((await asPage(s.url, lilei, 'POST', conv('web:s2', 'reply'), { text: 'Hello, Li Lei here.' })).status, 200);
    assert.equal((await asPage(s.url, lilei, 'POST', conv('web:s2', 'resolve'), {})).status, 200);
    await postMessage(s.url, { conversationId: 's2', text: '5' });
    await postMessage(s.url, { conversationId: 's2', text: 'I need a human again' });
    const history = await asPage<{ items: Array<{ id: string; state: string; csat?: number }> }>(s.url, lilei, 'GET', conv('web:s2', 'history'));
    assert.deepEqual(
      history.json.items.map((h) => h.state),
      ['queued', 'resolved'],
    );
    assert.equal(history.json.items[1]?.csat, 5);
    const previews = await asPage<{ previews: Record<string, { text: string; from: string }> }>(s.url, wang, 'GET', '/console/api/previews?keys=web:s1,web:s2,web:nope');
    assert.deepEqual(Object.keys(previews.json.previews).sort(), ['web:s1', 'web:s2']);
    assert.equal(previews.json.previews['web:s2']?.from, 'system');
  });

  it('lets supervisors manage canned responses (audited) and agents list them', async () => {
    const listed = await asPage<{ items: Canned[]; editable: boolean }>(s.url, wang, 'GET', '/console/api/canned');
    assert.equal(listed.json.editable, false);
    assert.ok(
      listed.json.items.some((c) => c.shortcut === 'thanks' && c.texts.zh),
      'the defaults are offered',
    );
    const refused = await asPage(s.url, wang, 'POST', '/console/api/canned', { shortcut: 'x', texts: { en: 'x' } });
    assert.deepEqual([refused.status, refused.json.error?.code], [403, 'KEFU_ERR_CONSOLE_FORBIDDEN']);

    const created = await asPage(s.url, lilei, 'POST', '/console/api/canned', { shortcut: 'refund', texts: { en: 'Your refund is on its way.', zh: '退款已在处理中。' } });
    assert.equal(created.status, 200);
    const twice = await asPage(s.url, lilei, 'POST', '/console/api/canned', { shortcut: 'refund', texts: { en: 'again' } });
    assert.deepEqual([twice.status, twice.json.error?.code], [409, 'KEFU_ERR_CANNED_CONFLICT']);
    const invalid = await asPage(s.url, lilei, 'POST', '/console/api/canned', { shortcut: 'Bad Name', texts: {} });
    assert.deepEqual([invalid.status, invalid.json.error?.code], [400, 'KEFU_ERR_CANNED_INVALID']);
    assert.equal((await asPage(s.url, lilei, 'POST', '/console/api/canned/refund', { shortcut: 'refund', texts: { en: 'Refunded.' } })).status, 200);
    assert.equal((await asPage(s.url, lilei, 'POST', '/console/api/canned/thanks/delete', {})).status, 200);
    const missing = await asPage(s.url, lilei, 'POST', '/console/api/canned/thanks/delete', {});
    assert.deepEqual([missing.status, missing.json.error?.code], [404, 'KEFU_ERR_CANNED_NOT_FOUND']);

    const after = (await asPage<{ items: Canned[] }>(s.url, wang, 'GET', '/console/api/canned')).json.items;
    assert.deepEqual(after.find((c) => c.shortcut === 'refund')?.texts, { en: 'Refunded.' });
    assert.equal(
      after.some((c) => c.shortcut === 'thanks'),
      false,
    );
    const audit = await asPage<{ entries: AuditEntry[] }>(s.url, lilei, 'GET', '/console/api/audit?limit=50');
    const canned = audit.json.entries.filter((e) => e.action.startsWith('canned.')).map((e) => `${e.action} ${e.target}`);
    assert.deepEqual(canned.sort(), ['canned.create /refund', 'canned.delete /thanks', 'canned.update /refund']);
  });
});
