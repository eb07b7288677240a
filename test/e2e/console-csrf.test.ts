/**
 * CSRF and Origin checks on the console over real HTTP and WebSocket (issue 9: "from another port of
 * the same host a form POST claimed a conversation with the agent's cookie, and a WebSocket received
 * every handoff event"). A cookie-authenticated POST or socket needs the console's own origin (or
 * one of CONSOLE_ALLOWED_ORIGINS); Bearer calls need none; a cross-site login is refused. Behind a
 * trusted proxy (TRUST_PROXY) the forwarded host counts as the console's own, and the cookie is
 * `Secure` when the proxy says https.
 */
import assert from 'node:assert/strict';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { asPage, asScript, call, conv, login, openSocket, type Staff } from './console-support';

const CSRF = 'KEFU_ERR_CONSOLE_CSRF';

describe('console CSRF and Origin checks', function () {
  this.timeout(30_000);

  describe('default settings', () => {
    let s: RunningApp;
    let anna: Staff;
    let otherPort: string;
    before(async () => {
      s = await startApp({}, { classifier: createKeywordClassifier() });
      for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
      await postMessage(s.url, { conversationId: 'x1', text: 'I need a human' });
      anna = await login(s.url, 'anna');
      const port = Number(new URL(s.url).port);
      otherPort = `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
    });
    after(() => s?.stop());

    it('refuses a cookie POST from another origin, another port of the host, "null", or naming none', async () => {
      const tries: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { origin: otherPort }, { origin: 'null' }, {}, { referer: `${otherPort}/attack.html` }];
      for (const headers of tries) {
        const r = await asPage(s.url, anna, 'POST', conv('web:x1', 'claim'), {}, headers);
        assert.deepEqual([r.status, r.json.error?.code], [403, CSRF], JSON.stringify(headers));
      }
      assert.equal((await s.app.handoff.get('web:x1'))?.state, 'queued', 'nothing was claimed');
      const logout = await call(s.url, 'POST', '/console/api/logout', {}, { cookie: anna.cookie, origin: otherPort });
      assert.equal(logout.status, 403, 'logout too: a foreign page cannot end the session');
      assert.equal((await asPage(s.url, anna, 'GET', '/console/api/state')).status, 200, 'GETs change nothing and need no Origin');
    });

    it("takes a cookie POST from the console's own origin, or its Referer when there is no Origin; Bearer needs neither", async () => {
      const own = await asPage(s.url, anna, 'POST', '/console/api/status', { status: 'away' });
      assert.equal(own.status, 200);
      const viaReferer = await asPage(s.url, anna, 'POST', '/console/api/status', { status: 'away' }, { referer: `${s.url}/console/` });
      assert.equal(viaReferer.status, 200);
      const script = await asScript(s.url, anna, 'POST', conv('web:x1', 'claim'), {});
      assert.equal(script.status, 200);
    });

    it('refuses a login posted from another site, and takes one without an Origin (a script)', async () => {
      const foreign = await call(s.url, 'POST', '/console/api/login', { agentId: 'wang', password: 'wang-pass-12345' }, { origin: 'https://evil.example' });
      assert.deepEqual([foreign.status, foreign.json.error?.code], [403, CSRF]);
      await login(s.url, 'wang');
      await login(s.url, 'wang', undefined, { origin: s.url });
    });

    it('refuses the socket upgrade with the cookie from another origin (403, closed), opens it from its own', async () => {
      const foreign = await openSocket(s.url, { cookie: anna.cookie, origin: otherPort });
      assert.equal(foreign.status, 403);
      assert.equal((JSON.parse(foreign.body ?? '{}') as { error?: { code: string } }).error?.code, CSRF);
      const none = await openSocket(s.url, { cookie: anna.cookie });
      assert.equal(none.status, 403);
      const own = await openSocket(s.url, { cookie: anna.cookie, origin: s.url });
      assert.equal(own.status, 101);
      own.ws?.terminate();
      const bearer = await openSocket(s.url, { authorization: `Bearer ${anna.token}` });
      assert.equal(bearer.status, 101);
      bearer.ws?.terminate();
    });

    it('believes no X-Forwarded-* header without TRUST_PROXY: no Secure cookie, no forwarded host', async () => {
      const proxied = await login(s.url, 'lilei', undefined, { 'x-forwarded-proto': 'https' });
      assert.doesNotMatch(proxied.setCookie, /Secure/);
      assert.match(proxied.setCookie, /HttpOnly; SameSite=Strict/);
      const r = await asPage(
        s.url,
        proxied,
        'POST',
        '/console/api/status',
        { status: 'away' },
        { origin: 'https://support.example.com', 'x-forwarded-host': 'support.example.com' },
      );
      assert.equal(r.status, 403);
    });
  });

  describe('CONSOLE_ALLOWED_ORIGINS and TRUST_PROXY', () => {
    let s: RunningApp;
    before(async () => {
      s = await startApp({ CONSOLE_ALLOWED_ORIGINS: 'https://desk.example.com', TRUST_PROXY: 'loopback' }, { classifier: createKeywordClassifier() });
    });
    after(() => s?.stop());

    it('takes an allowed origin for POSTs and the socket', async () => {
      const anna = await login(s.url, 'anna');
      assert.equal((await asPage(s.url, anna, 'POST', '/console/api/status', { status: 'away' }, { origin: 'https://desk.example.com' })).status, 200);
      assert.equal((await asPage(s.url, anna, 'POST', '/console/api/status', { status: 'away' }, { origin: 'https://desk.example.com.evil.example' })).status, 403);
      const ws = await openSocket(s.url, { cookie: anna.cookie, origin: 'https://desk.example.com' });
      assert.equal(ws.status, 101);
      ws.ws?.terminate();
    });

    it("behind a trusted proxy: Secure cookie over https, the forwarded host is the console's own", async () => {
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'support.example.com' };
      const anna = await login(s.url, 'anna', undefined, { ...forwarded, origin: 'https://support.example.com' });
      assert.match(anna.setCookie, /; Secure/);
      const plain = await login(s.url, 'wang');
      assert.doesNotMatch(plain.setCookie, /Secure/, 'plain http stays without Secure (the cookie would not come back)');
      const r = await asPage(s.url, anna, 'POST', '/console/api/status', { status: 'away' }, { ...forwarded, origin: 'https://support.example.com' });
      assert.equal(r.status, 200);
      const ws = await openSocket(s.url, { ...forwarded, cookie: anna.cookie, origin: 'https://support.example.com' });
      assert.equal(ws.status, 101);
      ws.ws?.terminate();
      const wrong = await openSocket(s.url, { ...forwarded, cookie: anna.cookie, origin: 'https://evil.example' });
      assert.equal(wrong.status, 403);
    });
  });
});
