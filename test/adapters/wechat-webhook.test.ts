/**
 * The WeChat channel end to end over HTTP: URL verification, passive replies (plain and encrypted),
 * the 5-second budget and WeChat retries.
 */
import assert from 'node:assert/strict';
import { KefuError } from '../../core';
import { buildCallback, deliverCallback, sha1Signature, wechatEncrypt } from '../support/wechat-server';
import { eventually } from './conformance';
import { cleanup, setup, TOKEN } from './wechat-fixture';

describe('wechat webhook', function () {
  this.timeout(20_000);
  afterEach(cleanup);

  describe('URL verification (GET)', () => {
    it('answers echostr to a correctly signed request and 401 otherwise', async () => {
      const s = await setup();
      const ok = buildCallback(s.secrets, '');
      assert.deepEqual(await deliverCallback(s.url, { query: { ...ok.query, echostr: '8329432979' }, body: '' }, 'GET'), { status: 200, body: '8329432979' });
      const forged = { query: { ...ok.query, signature: sha1Signature('wrong', ok.query.timestamp ?? '', ok.query.nonce ?? ''), echostr: '1' }, body: '' };
      const res = await deliverCallback(s.url, forged, 'GET');
      assert.equal(res.status, 401);
      assert.equal(JSON.parse(res.body).error.code, 'KEFU_ERR_ADAPTER_SIGNATURE');
      assert.equal((await deliverCallback(s.url, ok, 'GET')).status, 400, 'no echostr');
    });

    it('decrypts a WeCom-style encrypted echostr checked with msg_signature', async () => {
      const s = await setup({ safe: true });
      const { timestamp = '', nonce = '' } = buildCallback(s.secrets, '').query;
      const echostr = wechatEncrypt(s.secrets, 'plain-echo-42');
      const query = { msg_signature: sha1Signature(TOKEN, timestamp, nonce, echostr), timestamp, nonce, echostr };
      assert.deepEqual(await deliverCallback(s.url, { query, body: '' }, 'GET'), { status: 200, body: 'plain-echo-42' });
      const bad = { ...query, msg_signature: sha1Signature(TOKEN, timestamp, nonce, 'other') };
      assert.equal((await deliverCallback(s.url, { query: bad, body: '' }, 'GET')).status, 401);
    });
  });

  describe('passive replies', () => {
    it('answers a text in the HTTP response, addressed back to the user, without an API call', async () => {
      const s = await setup();
      const res = await s.user.text('hello');
      assert.equal(res.status, 200);
      assert.deepEqual(
        { ...(res.reply as Record<string, unknown>), CreateTime: 'n' },
        { ToUserName: s.user.openId, FromUserName: 'gh_kefu_test', CreateTime: 'n', MsgType: 'text', Content: 'You said: hello' },
      );
      assert.equal(s.api.sendAttempts(), 0);
      assert.equal(s.api.tokenCalls(), 0);
    });

    it('encrypts the passive reply in safe mode, with a valid MsgSignature', async () => {
      const s = await setup({ safe: true });
      const res = await s.user.text('secret hello');
      assert.match(res.body, /<Encrypt>/);
      assert.doesNotMatch(res.body, /secret hello/);
      assert.equal((res.reply as Record<string, unknown>).Content, 'You said: secret hello');
    });

    it('sends several replies through the customer-service API in order and answers "success"', async () => {
      const s = await setup();
      assert.equal((await s.user.text('twice please')).reply, 'success');
      await eventually(() => (s.api.messages.length >= 2 ? true : undefined));
      assert.deepEqual(
        s.api.messages.map((m) => [m.touser, m.text?.content]),
        [
          [s.user.openId, 'First'],
          [s.user.openId, 'Second'],
        ],
      );
    });

    it('sends quick replies as a msgmenu and maps a typed number back to the payload', async () => {
      const s = await setup();
      await s.user.text('menu');
      const menu = await eventually(() => s.api.messages.find((m) => m.msgtype === 'msgmenu'));
      assert.deepEqual(
        menu.msgmenu?.list.map((i) => i.content),
        ['1. Orders', '2. Refunds'],
      );
      assert.equal(((await s.user.text('1')).reply as Record<string, unknown>).Content, 'Orders dialog');
      assert.equal(((await s.user.text('1')).reply as Record<string, unknown>).Content, 'You said: 1', 'the menu is gone once answered');
    });

    it('greets a new follower and follows a menu CLICK; ignores unsubscribe', async () => {
      const s = await setup();
      assert.equal(((await s.user.event('subscribe')).reply as Record<string, unknown>).Content, 'Welcome!');
      assert.equal(((await s.user.event('CLICK', 'intent:orders')).reply as Record<string, unknown>).Content, 'Orders dialog');
      const calls = s.calls();
      assert.equal((await s.user.event('unsubscribe')).reply, 'success');
      assert.equal(s.calls(), calls, 'unsubscribe reaches no dialog');
    });
  });

  describe('the 5-second window and WeChat retries', () => {
    it('answers "success" when the turn misses the budget, then sends the reply through the API', async () => {
      const s = await setup({ channel: { replyBudgetMs: 50 } });
      const release = s.hold();
      const res = await s.user.text('slow one');
      assert.equal(res.reply, 'success', 'answered while the turn was still held');
      assert.equal(s.api.messages.length, 0);
      assert.equal((await s.user.resend()).reply, 'success', 'a WeChat retry gets the same answer');
      release();
      await s.channel.idle();
      assert.deepEqual(
        s.api.messages.map((m) => m.text?.content),
        ['You said: slow one'],
      );
      const said = await s.engine.data.messages.before(`wechat:${s.user.openId}`, undefined, 10, 'staff');
      assert.equal(said.filter((m) => m.from === 'customer').length, 1, 'the retry ran no second turn (the engine dropped it by MsgId)');
    });

    it('answers a retry of an answered message with the same passive reply, running the turn once', async () => {
      const s = await setup({ safe: true });
      const first = await s.user.text('once');
      const again = await s.user.resend();
      assert.equal((again.reply as Record<string, unknown>).Content, (first.reply as Record<string, unknown>).Content);
      const said = await s.engine.data.messages.before(`wechat:${s.user.openId}`, undefined, 10, 'staff');
      assert.deepEqual(
        said.map((m) => m.from),
        ['customer', 'bot'],
        'one turn',
      );
    });

    it('answers 503 on a transient failure so WeChat retries, and the retry runs the turn', async () => {
      const s = await setup();
      s.failNextTurn(new KefuError('KEFU_ERR_STORE_UNAVAILABLE', 'store down'));
      const res = await s.user.text('try again');
      assert.equal(res.status, 503);
      assert.equal(((await s.user.resend()).reply as Record<string, unknown>).Content, 'You said: try again');
      assert.equal(s.calls(), 2);
    });

    it('answers 503 (WeChat retries) before the channel is started', async () => {
      const s = await setup({ start: false });
      const res = await s.user.text('too early');
      assert.equal(res.status, 503);
      assert.equal(JSON.parse(res.body).error.code, 'KEFU_ERR_CHANNEL_NOT_STARTED');
    });
  });
});
