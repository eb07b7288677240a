/**
 * WeChat Official Account adapter through the shared conformance suite, in plain and safe
 * (encrypted) mode: real signed/encrypted callbacks over HTTP into the webhook (mounted like
 * server/ does), replies through a local server speaking WeChat's customer-service API.
 * The suite counts API send attempts, so these runs use replyMode 'api'; passive replies (the
 * default 'auto' mode) are covered in wechat-webhook.test.ts.
 */
import { createWechatChannel } from '../../adapters/wechat';
import type { Engine } from '../../core';
import { type CallbackSecrets, type CustomMessage, createWechatUser, mountWebhook, startWechatServer } from '../support/wechat-server';
import { type AdapterHarness, eventually, runAdapterConformance, type SentMessage } from './conformance';

const TEST_TOKEN = 'kefuTestToken2024';
const TEST_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

function toSent(m: CustomMessage): SentMessage {
  if (m.msgtype === 'msgmenu') return { text: m.msgmenu?.head_content ?? '', buttons: (m.msgmenu?.list ?? []).map((i) => i.content.replace(/^\d+\.\s*/, '')) };
  if (m.msgtype === 'image') return { text: '', buttons: [], image: true };
  return { text: m.text?.content ?? '', buttons: [] };
}

function passiveToSent(r: Record<string, unknown>): SentMessage {
  return r.MsgType === 'image' ? { text: '', buttons: [], image: true } : { text: String(r.Content ?? ''), buttons: [] };
}

async function startHarness(engine: Engine, mode: 'plain' | 'safe'): Promise<AdapterHarness> {
  const api = await startWechatServer();
  const secrets: CallbackSecrets = { token: TEST_TOKEN, appId: api.appId, ...(mode === 'safe' ? { encodingAESKey: TEST_AES_KEY } : {}) };
  const create = () =>
    createWechatChannel({
      token: TEST_TOKEN,
      appId: api.appId,
      appSecret: api.appSecret,
      ...(mode === 'safe' ? { encodingAESKey: TEST_AES_KEY } : {}),
      apiBase: api.url,
      replyMode: 'api',
      retryBaseMs: 5,
    });
  let channel = create();
  engine.addChannel(channel);
  await channel.start(engine);
  // Mounted once, like server/ does; a restart swaps the channel behind the same URL.
  const hook = await mountWebhook({ ...channel, handleWebhook: (req) => channel.handleWebhook(req) });
  const user = createWechatUser({ url: hook.url, secrets });
  const forger = createWechatUser({ url: hook.url, secrets: { ...secrets, token: 'not-the-token' }, openId: user.openId });

  const expectOk = async (p: Promise<{ status: number; body: string }>) => {
    const res = await p;
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body}`);
  };
  const sent = () => [...user.passiveReplies.map(passiveToSent), ...api.messages.map(toSent)];

  return {
    sendText: (text) => expectOk(user.text(text)),
    sendImage: () => expectOk(user.image()),
    sendUnknown: () => expectOk(user.location()),
    async pressQuickReply(payload) {
      // What WeChat sends when a msgmenu item is tapped: a text with the item's content and bizmsgmenuid.
      await channel.idle(); // the menu is recorded in the session once sent
      const items = await channel.menu(user.openId);
      const index = items.findIndex((i) => i.payload === payload);
      const item = items[index];
      const shown = api.messages
        .filter((m) => m.msgtype === 'msgmenu')
        .at(-1)
        ?.msgmenu?.list.find((l) => l.id === item?.id);
      if (!item || !shown) throw new Error(`no menu item with payload ${payload} was shown to the user`);
      await expectOk(user.text(shown.content, { bizmsgmenuid: shown.id }));
    },
    sendWithBadSignature: async (text) => (await forger.text(text)).status,
    redeliverLast: () => expectOk(user.resend()),
    sent,
    waitForSent: (count) => eventually(() => (sent().length >= count ? sent() : undefined), 10_000, `${count} sent message(s)`),
    failSends(status, times) {
      api.failSends(status === 429 ? 'rate' : 'http500', times);
    },
    sendAttempts: () => api.sendAttempts(),
    async restart() {
      await channel.stop();
      channel = create();
      engine.addChannel(channel);
      await channel.start(engine);
    },
    async close() {
      await channel.stop?.();
      await hook.close();
      await api.close();
    },
  };
}

runAdapterConformance('wechat (plain mode)', (engine) => startHarness(engine, 'plain'));
runAdapterConformance('wechat (safe mode, encrypted)', (engine) => startHarness(engine, 'safe'));
