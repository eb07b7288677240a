/** The signed web identity check (adapters/web/verify-identity.ts): pure, with an injected clock. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createSignedIdentity, verifyIdentity } from '../../adapters/web';
import { normalizeWebMessage } from '../../adapters/web/normalize';
import { visitorName, visitorNumber } from '../../plugins/handoff/customer';

const SECRET = 'shop-backend-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 0, 1);
const exp = NOW / 1000 + 60;

describe('web identity verification', () => {
  it('accepts what the docs snippet (docs/security.md) produces', () => {
    const payload = { userId: '42', name: 'Ann Lee', email: 'ann@example.com', exp };
    const identity = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    const signature = createHmac('sha256', SECRET).update(identity).digest('hex');
    assert.deepEqual(verifyIdentity(identity, signature, SECRET, NOW), { ok: true, identity: { userId: '42', name: 'Ann Lee', email: 'ann@example.com' } });
  });

  it('refuses another secret, a changed payload, an expired or malformed identity', () => {
    const good = createSignedIdentity({ userId: '42', exp }, SECRET);
    assert.deepEqual(verifyIdentity(good.identity, createSignedIdentity({ userId: '42', exp }, 'x'.repeat(32)).signature, SECRET, NOW), { ok: false, problem: 'signature' });
    const other = createSignedIdentity({ userId: '43', exp }, SECRET);
    assert.deepEqual(verifyIdentity(other.identity, good.signature, SECRET, NOW), { ok: false, problem: 'signature' });
    assert.deepEqual(verifyIdentity(good.identity, good.signature, SECRET, exp * 1000), { ok: false, problem: 'expired' });
    assert.deepEqual(verifyIdentity(good.identity, 'abc', SECRET, NOW), { ok: false, problem: 'signature' });
    const notJson = Buffer.from('hello').toString('base64url');
    assert.deepEqual(verifyIdentity(notJson, createHmac('sha256', SECRET).update(notJson).digest('hex'), SECRET, NOW), { ok: false, problem: 'malformed' });
    const noExp = Buffer.from(JSON.stringify({ userId: '42' })).toString('base64url');
    assert.deepEqual(verifyIdentity(noExp, createHmac('sha256', SECRET).update(noExp).digest('hex'), SECRET, NOW), { ok: false, problem: 'malformed' });
    assert.deepEqual(verifyIdentity('a.b', good.signature, SECRET, NOW), { ok: false, problem: 'malformed' });
  });

  it('normalize: a verified identity becomes userId and profile; anything else a visitor keyed by the conversation', () => {
    const signed = createSignedIdentity({ userId: 'shop-42', name: 'Ann', exp }, SECRET);
    const opts = { identitySecret: SECRET, now: () => NOW };
    const verified = normalizeWebMessage({ conversationId: 'c1', text: 'hi', identity: signed.identity, identitySignature: signed.signature }, opts);
    assert.equal(verified.userId, 'shop-42');
    assert.deepEqual(verified.profile, { name: 'Ann' });
    const visitor = normalizeWebMessage({ conversationId: 'c1', text: 'hi', userId: 'boss' }, opts);
    assert.equal(visitor.userId, 'c1');
    assert.deepEqual(visitor.profile, { visitor: true });
    assert.throws(
      () => normalizeWebMessage({ conversationId: 'c1', text: 'hi', identity: signed.identity, identitySignature: '0'.repeat(64) }, opts),
      (e: { code?: string; httpStatus?: number }) => e.code === 'KEFU_ERR_WEB_IDENTITY' && e.httpStatus === 401,
    );
  });

  it('visitor numbers: 4 digits, stable per conversation, localized', () => {
    assert.equal(visitorNumber('web-abc'), visitorNumber('web-abc'));
    const seen = new Set(Array.from({ length: 200 }, (_, i) => visitorNumber(`web-${i}`)));
    assert.ok(seen.size > 150, 'spread out');
    for (const n of seen) assert.ok(n >= 1000 && n <= 9999);
    assert.match(visitorName('web-abc', 'en'), /^Visitor #\d{4}$/);
    assert.match(visitorName('web-abc', 'zh'), /^访客 #\d{4}$/);
  });
});
