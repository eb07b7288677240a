/**
 * End to end: the real server (real NLU, demo dialogs, embedded SQLite) on an ephemeral port,
 * conversations over HTTP in both languages, bad input, and a restart that keeps the session.
 */
import assert from 'node:assert/strict';
import { postMessage, replyText, type RunningApp, startApp } from '../support/server';

describe('e2e: demo bot over HTTP', function () {
  this.timeout(120_000);
  let s: RunningApp;
  before(async () => {
    s = await startApp();
  });
  after(async () => {
    await s?.stop();
  });

  const say = async (conversationId: string, text: string, extra: Record<string, unknown> = {}) => {
    const { status, json } = await postMessage(s.url, { conversationId, text, ...extra });
    assert.equal(status, 200, `HTTP ${status}: ${JSON.stringify(json)}`);
    return { text: replyText(json), json };
  };

  it('answers /healthz', async () => {
    const res = await fetch(`${s.url}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { ok: boolean; store: string };
    assert.equal(body.ok, true);
    assert.equal(body.store, 'sqlite');
  });

  it('holds an English conversation: order status with a wrong then a right number, and an interruption', async () => {
    const c = 'e2e-en';
    assert.match((await say(c, 'Hi there')).text, /welcome|hello|hi/i);
    assert.match((await say(c, 'where is my order?')).text, /order number/i);
    assert.match((await say(c, 'it is 12')).text, /6 digits/i);
    const interrupted = await say(c, 'how much does shipping cost?');
    assert.match(interrupted.text, /shipping|deliver/i);
    assert.match(interrupted.text, /order number/i, 'the order dialog resumes after the interruption');
    const asked = await say(c, '100234');
    assert.match(asked.text, /email address on order 100234, or the last 4 digits of the phone number/);
    assert.doesNotMatch(asked.text, /tracking|SF\d/, 'nothing of the order before the proof');
    const done = await say(c, 'ann.lee@example.com');
    assert.match(done.text, /100234/);
    assert.match(done.text, /on its way|shipped|tracking/i);
    assert.equal(done.json.locale, 'en');
  });

  it('holds a Chinese conversation: order status with a wrong then a right number', async () => {
    const c = 'e2e-zh';
    assert.match((await say(c, '你好')).text, /您好|你好|欢迎/);
    assert.match((await say(c, '我的快递到哪了')).text, /订单号/);
    assert.match((await say(c, '不记得了')).text, /6位数字/);
    assert.match((await say(c, '100234')).text, /订单 100234 的下单邮箱，或下单手机号的后4位/);
    const done = await say(c, '4521');
    assert.match(done.text, /100234/);
    assert.equal(done.json.locale, 'zh');
  });

  it('hands off on request in both languages', async () => {
    assert.match((await say('e2e-h-en', 'I want to talk to a human')).text, /colleague|agent|person|human|team/i);
    assert.match((await say('e2e-h-zh', '转人工')).text, /人工|客服|同事/);
  });

  it('processes a retried POST (same messageId) once and answers it with the first reply', async () => {
    const first = await say('e2e-dup', 'what are your opening hours', { messageId: 'm-1' });
    const again = await say('e2e-dup', 'what are your opening hours', { messageId: 'm-1' });
    assert.ok(first.json.replies?.length);
    assert.equal(again.json.duplicate, true);
    assert.deepEqual(again.json.replies, first.json.replies);
    const saved = await s.app.engine.data.sessions.read('web:e2e-dup');
    assert.equal(saved?.value?.turns, 1);
  });

  describe('bad input', () => {
    it('empty text → 400 with a clear code', async () => {
      const { status, json } = await postMessage(s.url, { conversationId: 'bad-1', text: '   ' });
      assert.equal(status, 400);
      assert.equal(json.error?.code, 'KEFU_ERR_HTTP_BODY_INVALID');
      assert.match(json.error?.message ?? '', /empty/);
    });

    it('100 KB text → 413', async () => {
      const { status, json } = await postMessage(s.url, { conversationId: 'bad-2', text: 'a'.repeat(100 * 1024) });
      assert.equal(status, 413);
      assert.equal(json.error?.code, 'KEFU_ERR_MESSAGE_TOO_LARGE');
    });

    it('invalid JSON → 400', async () => {
      const { status, json } = await postMessage(s.url, '{"conversationId": "x", "text": ');
      assert.equal(status, 400);
      assert.equal(json.error?.code, 'KEFU_ERR_HTTP_BODY_INVALID');
    });

    it('wrong content type → 415', async () => {
      const { status, json } = await postMessage(s.url, 'conversationId=x&text=hi', { 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(status, 415);
      assert.equal(json.error?.code, 'KEFU_ERR_HTTP_CONTENT_TYPE');
    });

    it('unknown fields → 400 naming them', async () => {
      const { status, json } = await postMessage(s.url, { conversationId: 'bad-3', text: 'hi', admin: true });
      assert.equal(status, 400);
      assert.match(json.error?.message ?? '', /admin/);
    });

    it('missing conversationId → 400 naming it', async () => {
      const { status, json } = await postMessage(s.url, { text: 'hi' });
      assert.equal(status, 400);
      assert.match(json.error?.message ?? '', /conversationId/);
    });

    it('control characters, emoji and mixed Chinese/English get sensible replies and the session survives', async () => {
      const c = 'bad-mixed';
      assert.ok((await say(c, 'hello\u0000\u0008\u001b[31m')).json.replies?.length);
      assert.ok((await say(c, '😀😀😀')).json.replies?.length);
      const mixed = await say(c, '我的order到哪里了');
      assert.equal(mixed.json.locale, 'zh');
      assert.match(mixed.text, /订单号/);
      assert.match((await say(c, '100234')).text, /100234/);
    });
  });
});

describe('e2e: restart keeps sessions', function () {
  this.timeout(120_000);
  it('resumes a half-filled slot after the server restarts on the same data dir', async () => {
    const first = await startApp();
    const c = 'restart-1';
    const before = await postMessage(first.url, { conversationId: c, text: 'where is my order' });
    assert.match(replyText(before.json), /order number/i);
    await first.stop(true);
    const second = await startApp({}, {}, first.dataDir);
    try {
      const asked = await postMessage(second.url, { conversationId: c, text: '100236' });
      assert.match(replyText(asked.json), /email address on order 100236/);
      const after = await postMessage(second.url, { conversationId: c, text: '3390' });
      assert.match(replyText(after.json), /100236/);
      assert.match(replyText(after.json), /delivered/i);
    } finally {
      await second.stop();
    }
  });
});
