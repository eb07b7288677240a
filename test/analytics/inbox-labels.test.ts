/**
 * Issue 11 item 7: inbox labels come from the intents the bot knows. In core, `label()` with
 * `known` refuses other intents (KEFU_ERR_INBOX_LABEL_UNKNOWN) unless `newIntent` creates one on
 * purpose, after which it is known to the inbox. Over HTTP, in the real app with the demo NLU: the
 * inbox lists the classifier's intents per language, "foo.bar" is refused with a coded 400, and
 * `{ intent, newIntent: true }` labels (and is audited as such).
 */
import assert from 'node:assert/strict';
import { createMemoryData } from '../../core';
import { createInbox, type InboxEntry } from '../../plugins/analytics';
import type { AuditEntry } from '../../plugins/audit';
import { demoNlu } from '../support/demo-nlu';
import { postMessage, type RunningApp, startApp } from '../support/server';

const miss = (text: string, locale: 'en' | 'zh' = 'en') => ({ text, locale, channel: 'web', ranking: [{ intent: 'None', score: 0.4 }], at: 1 });

describe('inbox labels: known intents, new ones on purpose', function () {
  this.timeout(60_000);

  it('core: an unknown intent is refused unless newIntent; a created intent is then known', async () => {
    const inbox = createInbox({ data: createMemoryData() });
    await inbox.record(miss('my gizmo hums'));
    await inbox.record(miss('the gizmo buzzes'));
    await inbox.record(miss('小部件嗡嗡响', 'zh'));
    const [hum, buzz] = await inbox.list({ locale: 'en' });
    const known = (locale: string) => (locale === 'en' ? ['None', 'order.status', 'refund.request'] : ['None', '订单']);
    const refused = await inbox.label(hum?.id ?? '', 'foo.bar', 'anna', { known });
    assert.deepEqual([refused.ok, !refused.ok && refused.code], [false, 'KEFU_ERR_INBOX_LABEL_UNKNOWN']);
    assert.match(!refused.ok ? refused.message : '', /"foo\.bar" is not an intent the bot knows in en \(it knows None, order\.status, refund\.request\).*"newIntent": true/);
    assert.equal((await inbox.get(hum?.id ?? ''))?.status, 'open', 'nothing changed');
    assert.ok((await inbox.label(hum?.id ?? '', 'refund.request', 'anna', { known })).ok);
    assert.ok((await inbox.label(buzz?.id ?? '', 'product.noise', 'anna', { known, newIntent: true })).ok);
    assert.deepEqual(await inbox.labelIntents('en'), ['product.noise', 'refund.request']);
    // Once created, the new intent is offered and accepted like any other, in its language only.
    assert.ok((await inbox.label(hum?.id ?? '', 'product.noise', 'wang', { known })).ok);
    const [zh] = await inbox.list({ locale: 'zh' });
    const other = await inbox.label(zh?.id ?? '', 'product.noise', 'wang', { known });
    assert.equal(!other.ok && other.code, 'KEFU_ERR_INBOX_LABEL_UNKNOWN');
    assert.equal((await inbox.label('en-missing', 'refund.request', 'anna', { known })).ok, false);
  });

  describe('over HTTP in the real app (demo NLU)', () => {
    let s: RunningApp;
    let cookie: string;
    const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await fetch(`${s.url}${path}`, {
        method,
        headers: { cookie, origin: s.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as T & { error?: { code: string; message: string } } };
    };

    before(async () => {
      s = await startApp({}, { classifier: await demoNlu() });
      const res = await fetch(`${s.url}/console/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agentId: 'anna', password: 'anna-pass-12345' }),
      });
      cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      await postMessage(s.url, { conversationId: 'l1', text: 'the gizmo hums at night' });
    });
    after(() => s?.stop());

    it('lists the known intents per language; refuses foo.bar with a coded 400; newIntent creates one', async () => {
      const inbox = await api<{ entries: InboxEntry[]; intentsByLocale: Record<string, string[]> }>('GET', '/console/api/inbox?status=open');
      const nlu = await demoNlu();
      for (const intent of nlu.intents('en')) assert.ok(inbox.json.intentsByLocale.en?.includes(intent), intent);
      assert.ok(inbox.json.intentsByLocale.zh?.includes('faq.hours'));
      const id = inbox.json.entries.find((e) => e.text === 'the gizmo hums at night')?.id ?? '';
      assert.ok(id);
      const unknown = await api('POST', `/console/api/inbox/${id}/label`, { intent: 'foo.bar' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.json.error?.code, 'KEFU_ERR_INBOX_LABEL_UNKNOWN');
      const made = await api<{ entry: InboxEntry }>('POST', `/console/api/inbox/${id}/label`, { intent: 'product.noise', newIntent: true });
      assert.equal(made.status, 200);
      assert.equal(made.json.entry.intent, 'product.noise');
      const known = await api<{ entry: InboxEntry }>('POST', `/console/api/inbox/${id}/label`, { intent: 'faq.returns' });
      assert.equal(known.status, 200);
      const audit = await api<{ entries: AuditEntry[] }>('GET', '/console/api/audit');
      const labels = audit.json.entries.filter((e) => e.action === 'inbox.label').map((e) => e.detail);
      assert.deepEqual(
        labels.map((d) => [d?.intent, d?.newIntent]),
        [
          ['faq.returns', undefined],
          ['product.noise', true],
        ],
      );
    });
  });
});
