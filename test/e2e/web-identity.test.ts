/**
 * Verified customer identity (issue 9): only an identity the shop's backend signed with
 * WEB_IDENTITY_SECRET reaches agents as name, email and user id; anyone else is "Visitor #1234"
 * (访客 #1234 in Chinese conversations), whatever userId the client sends. A bad signature is a
 * coded 401. Real HTTP against the real app.
 */
import assert from 'node:assert/strict';
import { createSignedIdentity, signIdentity } from '../../adapters/web';
import { renderRoot } from '../../adapters/slack/agent-render';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type RunningApp, startApp } from '../support/server';

const SECRET = 'shop-backend-secret-0123456789abcdef';
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('verified customer identity (web chat)', function () {
  this.timeout(30_000);
  let s: RunningApp;
  before(async () => {
    s = await startApp({ WEB_IDENTITY_SECRET: SECRET }, { classifier: createKeywordClassifier() });
  });
  after(async () => s?.stop());

  const post = (body: Record<string, unknown>) =>
    fetch(`${s.url}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const customerOf = async (conversationId: string) => (await s.app.handoff.get(`web:${conversationId}`))?.customer;

  it('a signed identity reaches the agents as name, email and user id', async () => {
    const signed = createSignedIdentity({ userId: 'shop-42', name: 'Ann Lee', email: 'ann@example.com', exp: inAnHour() }, SECRET);
    const res = await post({ conversationId: 'id-verified-1', text: 'talk to a human please', identity: signed.identity, identitySignature: signed.signature });
    assert.equal(res.status, 200);
    const customer = await customerOf('id-verified-1');
    assert.deepEqual(customer, { userId: 'shop-42', name: 'Ann Lee', email: 'ann@example.com' });
    const record = await s.app.handoff.get('web:id-verified-1');
    assert.ok(record);
    const slack = JSON.stringify(renderRoot(record, (id) => id ?? 'nobody'));
    assert.match(slack, /Ann Lee/);
    assert.match(slack, /ann@example\.com/);
  });

  it('a client-supplied userId is ignored: the customer is a numbered visitor, stable for the conversation', async () => {
    const res = await post({ conversationId: 'id-visitor-1', userId: 'ceo@shop.example', text: 'talk to a human please' });
    assert.equal(res.status, 200);
    const customer = await customerOf('id-visitor-1');
    assert.match(customer?.name ?? '', /^Visitor #\d{4}$/);
    assert.equal(customer?.visitor, true);
    assert.equal(customer?.email, undefined);
    assert.ok(!JSON.stringify(customer).includes('ceo@shop.example'), 'the raw userId is shown nowhere');
    const again = await startApp({ WEB_IDENTITY_SECRET: SECRET }, { classifier: createKeywordClassifier() });
    try {
      await fetch(`${again.url}/api/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'id-visitor-1', text: 'talk to a human please' }),
      });
      assert.equal((await again.app.handoff.get('web:id-visitor-1'))?.customer.name, customer?.name, 'the same conversation, the same number');
    } finally {
      await again.stop();
    }
  });

  it('a Chinese conversation shows the visitor as 访客 #1234', async () => {
    assert.equal((await post({ conversationId: 'id-visitor-zh', text: '我要转人工', locale: 'zh' })).status, 200);
    assert.match((await customerOf('id-visitor-zh'))?.name ?? '', /^访客 #\d{4}$/);
  });

  it('a bad signature, a tampered or expired identity is a coded 401, and nothing is processed', async () => {
    const signed = createSignedIdentity({ userId: 'shop-42', name: 'Ann Lee', exp: inAnHour() }, SECRET);
    const tampered = Buffer.from(JSON.stringify({ userId: 'shop-1', name: 'Admin', exp: inAnHour() })).toString('base64url');
    const expired = createSignedIdentity({ userId: 'shop-42', exp: Math.floor(Date.now() / 1000) - 5 }, SECRET);
    const cases = [
      { identity: signed.identity, identitySignature: signIdentity(signed.identity, 'another-secret-of-thirty-two-chars!!') },
      { identity: signed.identity },
      { identity: tampered, identitySignature: signed.signature },
      { identity: expired.identity, identitySignature: expired.signature },
      { identity: 'not base64!', identitySignature: signed.signature },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await post({ conversationId: `id-bad-${i}`, text: 'talk to a human please', ...c });
      assert.equal(res.status, 401, `case ${i}`);
      const body = (await res.json()) as { error?: { code?: string; message?: string } };
      assert.equal(body.error?.code, 'KEFU_ERR_WEB_IDENTITY', `case ${i}`);
      assert.ok(!body.error?.message?.includes(SECRET));
      assert.equal(await s.app.handoff.get(`web:id-bad-${i}`), undefined, `case ${i}: no handoff opened`);
    }
  });

  it('without WEB_IDENTITY_SECRET nobody can be verified: a signed identity still shows a visitor', async () => {
    const plain = await startApp({}, { classifier: createKeywordClassifier() });
    try {
      const signed = createSignedIdentity({ userId: 'shop-42', name: 'Ann Lee', exp: inAnHour() }, SECRET);
      const res = await fetch(`${plain.url}/api/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'id-nosecret', text: 'talk to a human please', identity: signed.identity, identitySignature: signed.signature }),
      });
      assert.equal(res.status, 200);
      assert.match((await plain.app.handoff.get('web:id-nosecret'))?.customer.name ?? '', /^Visitor #\d{4}$/);
    } finally {
      await plain.stop();
    }
  });
});
