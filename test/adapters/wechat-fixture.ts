/**
 * Shared set-up of the WeChat channel tests: a small deterministic bot, a local WeChat API server,
 * the channel mounted like server/ does, and one WeChat user; every piece is closed by `cleanup()`.
 */
import { createWechatChannel, type WechatChannel, type WechatChannelOptions } from '../../adapters/wechat';
import { type ChannelHost, createEngine, defineDialog, type Engine, type IntentClassifier, NONE_INTENT } from '../../core';
import { type CallbackSecrets, createWechatUser, mountWebhook, startWechatServer, type WechatServer, type WechatUser } from '../support/wechat-server';

export const TOKEN = 'kefuWebhookToken';
export const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

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

export interface Setup {
  api: WechatServer;
  channel: WechatChannel;
  /** The engine behind the channel (its data and outbox). */
  engine: Engine;
  user: WechatUser;
  secrets: CallbackSecrets;
  url: string;
  calls(): number;
  /** Holds every turn until the returned function is called. */
  hold(): () => void;
  /** Makes the next turn fail with this error. */
  failNextTurn(err: Error): void;
}

const cleanups: (() => Promise<void>)[] = [];

/** Closes everything the set-ups of the current test opened (call it in afterEach). */
export async function cleanup(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

export async function setup(o: { safe?: boolean; channel?: Partial<WechatChannelOptions>; start?: boolean } = {}): Promise<Setup> {
  const api = await startWechatServer();
  const inner = createEngine({ classifier, dialogs });
  let calls = 0;
  let gate: Promise<void> | undefined;
  let failure: Error | undefined;
  const engine: ChannelHost = {
    settleHeld: (result, outcome) => inner.settleHeld(result, outcome),
    updateSession: (ref, change) => inner.updateSession(ref, change),
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
  inner.addChannel(channel); // replies sent through the API leave through the engine's outbox
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
    engine: inner,
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
