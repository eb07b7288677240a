/**
 * The WeChat channel end to end over HTTP: URL verification, passive replies (plain and encrypted),
 * the 5-second budget, WeChat retries, refused callbacks, the outbox and pushes outside a turn.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createWechatChannel, type WechatChannel, type WechatChannelOptions } from '../../adapters/wechat';
import {
  createEngine,
  createLogger,
  defineDialog,
  type IntentClassifier,
  isKefuError,
  isWebhookChannel,
  KefuError,
  loadConfig,
  NONE_INTENT,
  silentLogger,
  type TurnHandler,
} from '../../core';
import { wireWechat } from '../../server/wire-wechat';
import { eventually } from './conformance';
import {
  buildCallback,
  type CallbackSecrets,
  createWechatUser,
  deliverCallback,
  mountWebhook,
  sha1Signature,
  startWechatServer,
  type WechatServer,
  type WechatUser,
  wechatEncrypt,
  wechatXml,
} from '../support/wechat-server';

const TOKEN = 'kefuWebhookToken';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

const classifier: IntentClassifier = {
  async classify(text) {
    const intent = /menu/.test(text) ? 'menu' : /twice/.test(text) ? 'twice' : NONE_INTENT;
    return { intent, score: intent === NONE_INTENT ? 0 : 1, ranking: [], entities: [] };
  },
};
const dialogs = [
  defineDialog({ id: 'greeting', triggers: ['greeting'], texts: { en: { hi: 'Welcome!' }, zh: { hi: '欢迎！' } }, run: (ctx) => ctx.say('hi') }),
  defineDialog({
    id: 'menu',
    triggers: ['menu'],
    texts: { en: { pick: 'Pick one', a: 'Orders', b: 'Refunds' }, zh: { pick: '请选择', a: '订单', b: '退款' } },
    run: (ctx) =>
      ctx.say('pick', {}, [
        { label: ctx.t('a'), payload: 'intent:orders' },
        { label: ctx.t('b'), payload: 'intent:greeting' },
      ]),
  }),
  defineDialog({ id: 'orders', triggers: ['orders'], texts: { en: { hi: 'Orders dialog' }, zh: { hi: '订单对话' } }, run: (ctx) => ctx.say('hi') }),
  defineDialog({
    id: 'twice',
    triggers: ['twice'],
    texts: { en: { a: 'First', b: 'Second' }, zh: { a: '一', b: '二' } },
    run: (ctx) => {
      ctx.say('a');
      ctx.say('b');
    },
  }),
  defineDialog({
    id: 'fallback',
    triggers: [],
    texts: { en: { echo: 'You said: {text}' }, zh: { echo: '你说：{text}' } },
    run: (ctx) => ctx.say('echo', { text: ctx.message.text }),
  }),
];

interface Setup {
  api: WechatServer;
  channel: WechatChannel;
  user: WechatUser;
  secrets: CallbackSecrets;
  url: string;
  calls(): number;
  /** Holds every turn until the returned function is called. */
  hold(): () => void;
  /** Makes the next turn fail with this error. */
  failNextTurn(err: Error): void;
}

describe('wechat webhook', function () {
  this.timeout(20_000);
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(o: { safe?: boolean; channel?: Partial<WechatChannelOptions>; start?: boolean } = {}): Promise<Setup> {
    const api = await startWechatServer();
    const inner = createEngine({ classifier, dialogs });
    let calls = 0;
    let gate: Promise<void> | undefined;
    let failure: Error | undefined;
    const engine: TurnHandler = {
      async handle(m) {
        calls += 1;
        if (gate) await gate;
        const f = failure;
        failure = undefined;
        if (f) throw f;
        return inner.handle(m);
      },
    };
    const secrets: CallbackSecrets = { token: TOKEN, appId: api.appId, ...(o.safe ? { encodingAESKey: AES_KEY } : {}) };
    const channel = createWechatChannel({
      token: TOKEN,
      appId: api.appId,
      appSecret: api.appSecret,
      apiBase: api.url,
      retryBaseMs: 5,
      ...(o.safe ? { encodingAESKey: AES_KEY } : {}),
      ...o.channel,
    });
    if (o.start !== false) await channel.start(engine);
    const hook = await mountWebhook(channel);
    cleanups.push(
      api.close,
      hook.close,
      () => channel.stop(),
      () => inner.close(),
    );
    return {
      api,
      channel,
      secrets,
      url: hook.url,
      user: createWechatUser({ url: hook.url, secrets }),
      calls: () => calls,
      hold() {
        let release = () => {};
        gate = new Promise<void>((r) => {
          release = r;
        });
        return () => {
          gate = undefined;
          release();
        };
      },
      failNextTurn(err) {
        failure = err;
      },
    };
  }

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
      assert.equal(s.calls(), 1, 'the retry did not run a second turn');
    });

    it('answers a retry of an answered message with the same passive reply, running the turn once', async () => {
      const s = await setup({ safe: true });
      const first = await s.user.text('once');
      const again = await s.user.resend();
      assert.equal((again.reply as Record<string, unknown>).Content, (first.reply as Record<string, unknown>).Content);
      assert.equal(s.calls(), 1);
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
    it('keeps a reply the API would not take in the outbox and delivers it on the next flush', async () => {
      const s = await setup({ channel: { replyMode: 'api', maxAttempts: 2 } });
      s.api.failSends('http500', 2);
      await s.user.text('keep me');
      await s.channel.idle();
      assert.equal(s.api.messages.length, 0);
      assert.deepEqual(
        s.channel.outbox().map((e) => [e.state, e.lastError]),
        [['pending', 'HTTP 500']],
      );
      assert.equal(await s.channel.flushOutbox(), 1);
      assert.equal(s.api.messages[0]?.text?.content, 'You said: keep me');
      assert.equal(s.channel.outbox().length, 0);
    });

    it('pushes messages outside a turn, and reports a permanent refusal as KEFU_ERR_CHANNEL_SEND_FAILED', async () => {
      const s = await setup();
      const ref = { channel: 'wechat', conversationId: 'oAgentTarget', userId: 'oAgentTarget', address: { openId: 'oAgentTarget' } };
      await s.channel.send(ref, [{ text: 'An agent will help you', locale: 'en', from: 'agent', quickReplies: [{ label: 'OK', payload: 'ok' }] }]);
      assert.deepEqual(s.api.messages[0]?.msgmenu?.list, [{ id: s.channel.quickReplies('oAgentTarget')[0]?.id, content: '1. OK' }]);
      s.api.failSends('out-of-window', 1);
      await assert.rejects(
        s.channel.send(ref, [{ text: 'too late', locale: 'en' }]),
        (err: unknown) => err instanceof KefuError && err.code === 'KEFU_ERR_CHANNEL_SEND_FAILED' && /45015/.test(err.message),
      );
      assert.deepEqual(
        s.channel.outbox().map((e) => [e.state, e.lastError]),
        [['undelivered', 'errcode 45015']],
      );
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
      const log = lines.join('');
      assert.match(log, /KEFU_ERR_CHANNEL_SEND_FAILED/);
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
