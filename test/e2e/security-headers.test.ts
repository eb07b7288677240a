/** Every page and API answer carries the security headers (issue 9): CSP without inline code, no framing, no sniffing, no referrer. */
import assert from 'node:assert/strict';
import { CONTENT_SECURITY_POLICY } from '../../server/security-headers';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type RunningApp, startApp } from '../support/server';

describe('security headers', function () {
  this.timeout(20_000);
  let s: RunningApp;
  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
  });
  after(async () => s?.stop());

  it('the chat page, the console, their scripts, the API and errors all carry them', async () => {
    const answers = await Promise.all([
      fetch(`${s.url}/`),
      fetch(`${s.url}/console/`),
      fetch(`${s.url}/chat/main.js`),
      fetch(`${s.url}/healthz`),
      fetch(`${s.url}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"conversationId":"h1","text":"hi"}' }),
      fetch(`${s.url}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }),
      fetch(`${s.url}/no/such/page`),
    ]);
    for (const res of answers) {
      const where = `${res.url} (${res.status})`;
      assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, where);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', where);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', where);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', where);
    }
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval/);
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
  });
});
