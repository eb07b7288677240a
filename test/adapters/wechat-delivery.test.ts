/**
 * The WeChat channel refusing what it must (replays, forged or malformed callbacks), keeping replies
 * the API would not take, pushing outside a turn, logging without personal data, and its wiring.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, isKefuError, isWebhookChannel, KefuError, loadConfig, silentLogger } from '../../core';
import { wireWechat } from '../../server/wire-wechat';
import { buildCallback, createWechatUser, deliverCallback, wechatXml } from '../support/wechat-server';
import { AES_KEY, cleanup, setup, TOKEN } from './wechat-fixture';

describe('wechat webhook refusals and delivery', function () {
  this.timeout(20_000);
  afterEach(cleanup);

  describe('refused callbacks process nothing', () => {
    it('refuses a stale timestamp (replay) with 401', async () => {
      const s = await setup();
      const old = createWechatUser({ url: s.url, secrets: s.secrets, now: () => Date.now() - 10 * 60_000 });
      const res = await old.text('replayed');
      assert.equal(res.status, 401);
      assert.match(JSON.parse(res.body).error.message, /timestamp/);
      assert.equal(s.calls(), 0);
    });

    it('refuses a safe-mode body whose msg_signature does not cover it', async () => {
      const s = await setup({ safe: true });
      const genuine = buildCallback(s.secrets, wechatXml({ ToUserName: 'gh', FromUserName: 'o1', CreateTime: 1, MsgType: 'text', Content: 'a', MsgId: 1 }));
      const swapped = buildCallback(s.secrets, wechatXml({ ToUserName: 'gh', FromUserName: 'o1', CreateTime: 1, MsgType: 'text', Content: 'b', MsgId: 2 }));
      const res = await deliverCallback(s.url, { query: genuine.query, body: swapped.body });
      assert.equal(res.status, 401);
      assert.equal(s.calls(), 0);
    });

    it('answers 400 with a coded error for malformed, incomplete or undecryptable bodies, 413 when oversize', async () => {
      const s = await setup({ safe: true });
      const cases: [string, number, string][] = [
        ['not xml at all', 400, 'KEFU_ERR_ADAPTER_PAYLOAD'],
        ['<xml><ToUserName>gh</ToUserName></xml>', 400, 'KEFU_ERR_ADAPTER_PAYLOAD'],
        ['<!DOCTYPE x [<!ENTITY e "e">]><xml><a>&e;</a></xml>', 400, 'KEFU_ERR_ADAPTER_PAYLOAD'],
        [`<xml><Content>${'x'.repeat(70_000)}</Content></xml>`, 413, 'KEFU_ERR_MESSAGE_TOO_LARGE'],
      ];
      for (const [xml, status, code] of cases) {
        const call = buildCallback({ token: TOKEN, appId: s.secrets.appId }, xml);
        const res = await deliverCallback(s.url, call);
        assert.equal(res.status, status, xml.slice(0, 30));
        assert.equal(JSON.parse(res.body).error.code, code);
      }
      const otherKey = buildCallback({ ...s.secrets, encodingAESKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210abcdefg' }, wechatXml({ MsgType: 'text' }));
      const res = await deliverCallback(s.url, otherKey);
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(res.body).error.code, 'KEFU_ERR_ADAPTER_DECRYPT');
      assert.equal(s.calls(), 0);
    });

    it('refuses an encrypted body when no EncodingAESKey is configured', async () => {
      const s = await setup();
      const call = buildCallback({ ...s.secrets, encodingAESKey: AES_KEY }, wechatXml({ ToUserName: 'gh', MsgType: 'text' }));
      const res = await deliverCallback(s.url, call);
      assert.equal(res.status, 400);
      assert.match(JSON.parse(res.body).error.message, /WECHAT_ENCODING_AES_KEY/);
    });
  });

  describe('delivery failures and pushes', () => {
    it('keeps a reply the API would not take in the outbox and delivers it on the next try', async () => {
      const s = await setup({ channel: { replyMode: 'api', maxAttempts: 2 } });
      s.api.failSends('http500', 2);
      await s.user.text('keep me');
      await s.channel.idle();
      await s.engine.delivery.idle();
      assert.equal(s.api.messages.length, 0);
      const [waiting] = await s.engine.data.messages.pending(`wechat:${s.user.openId}`, 10);
      assert.deepEqual([waiting?.text, waiting?.delivery?.attempts], ['You said: keep me', 1]);
      assert.equal(await s.engine.delivery.retryAll(), 0);
      assert.equal(s.api.messages[0]?.text?.content, 'You said: keep me');
    });

    it('a reply sent passively is marked sent and never sent again through the API', async () => {
      const s = await setup();
      const res = await s.user.text('hello');
      assert.equal((res.reply as Record<string, unknown>).Content, 'You said: hello');
      await s.engine.delivery.idle();
      assert.equal(await s.engine.data.messages.countPending(), 0);
      assert.equal(await s.engine.delivery.retryAll(), 0);
      assert.equal(s.api.messages.length, 0);
    });

    it('pushes messages outside a turn, and reports a permanent refusal as KEFU_ERR_CHANNEL_SEND_FAILED', async () => {
      const s = await setup();
      const ref = { channel: 'wechat', conversationId: 'oAgentTarget', userId: 'oAgentTarget', address: { openId: 'oAgentTarget' } };
      await s.channel.send(ref, [{ text: 'An agent will help you', locale: 'en', from: 'agent', quickReplies: [{ label: 'OK', payload: 'ok' }] }]);
      await s.channel.idle();
      assert.deepEqual(s.api.messages[0]?.msgmenu?.list, [{ id: (await s.channel.menu('oAgentTarget'))[0]?.id, content: '1. OK' }]);
      s.api.failSends('out-of-window', 1);
      await assert.rejects(
        s.channel.send(ref, [{ text: 'too late', locale: 'en' }]),
        (err: unknown) => err instanceof KefuError && err.code === 'KEFU_ERR_CHANNEL_SEND_FAILED' && /45015/.test(err.message),
      );
      s.api.failSends('out-of-window', 1);
      const refusal = await s.channel.send(ref, [{ text: 'still too late', locale: 'en' }]).catch((e: unknown) => e);
      assert.equal(s.channel.classifySendError?.(refusal).kind, 'permanent', 'outside the 48-hour window: retrying cannot help');
    });

    it('without API credentials joins the replies into one passive text', async () => {
      const s = await setup({ channel: { appSecret: undefined } });
      const res = await s.user.text('twice');
      assert.equal((res.reply as Record<string, unknown>).Content, 'First\n\nSecond');
      const menu = await s.user.text('menu');
      assert.equal((menu.reply as Record<string, unknown>).Content, 'Pick one\n\n1. Orders\n2. Refunds\nTap an option or reply with its number.');
      assert.equal(((await s.user.text('2')).reply as Record<string, unknown>).Content, 'Welcome!');
      assert.equal(s.api.tokenCalls(), 0);
    });

    it('logs no message text and no openid', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const s = await setup({ channel: { log: createLogger('debug', sink), replyMode: 'api', maxAttempts: 1 } });
      s.api.failSends('rate', 1);
      await s.user.text('my secret address is 42 Elm St');
      await s.user.text('menu');
      await createWechatUser({ url: s.url, secrets: { ...s.secrets, token: 'forged' } }).text('forged secret');
      await s.channel.idle();
      await s.engine.delivery.idle();
      const [waiting] = await s.engine.data.messages.pending(`wechat:${s.user.openId}`, 1);
      assert.equal(waiting?.delivery?.lastError, 'KEFU_ERR_CHANNEL_SEND_FAILED', 'the refused reply waits in the outbox with its code');
      const log = lines.join('');
      assert.match(log, /KEFU_ERR_ADAPTER_SIGNATURE/);
      for (const secret of ['42 Elm St', 'secret', s.user.openId, 'Pick one', TOKEN]) assert.ok(!log.includes(secret), `log contains ${secret}`);
    });
  });

  describe('wiring from config', () => {
    it('is off without WECHAT_TOKEN, on with it, and refuses safe mode without an AppID', async () => {
      const off = await wireWechat(loadConfig({}), silentLogger);
      assert.ok('off' in off && /WECHAT_TOKEN/.test(off.off));
      const on = await wireWechat(loadConfig({ WECHAT_TOKEN: 't', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', WECHAT_API_BASE: 'http://127.0.0.1:9' }), silentLogger);
      assert.ok(!('off' in on) && isWebhookChannel(on) && on.webhookPath === '/webhooks/wechat');
      await assert.rejects(wireWechat(loadConfig({ WECHAT_TOKEN: 't', WECHAT_ENCODING_AES_KEY: AES_KEY }), silentLogger), (err: unknown) =>
        isKefuError(err, 'KEFU_ERR_CONFIG_INVALID'),
      );
    });
  });
});
