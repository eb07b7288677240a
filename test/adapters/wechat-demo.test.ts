/**
 * The demo bot (real NLU, demo dialogs and order book) holds its bilingual order-status
 * conversation on WeChat: on an Official Account in safe mode (encrypted callbacks, passive replies
 * and customer-service messages through the local WeChat server), and on a personal account through
 * wechaty with the mock puppet, in a group where the bot is @-mentioned.
 */
import assert from 'node:assert/strict';
import { types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatChannel, type WechatChannel } from '../../adapters/wechat';
import { createWechatyChannel, type WechatyChannel } from '../../adapters/wechaty';
import { createEngine, type Engine, type IntentClassifier } from '../../core';
import { demoDialogs } from '../../dialogs';
import { demoNlu } from '../support/demo-nlu';
import { type CallbackAnswer, type CustomMessage, createWechatUser, mountWebhook, startWechatServer, type WechatServer, type WechatUser } from '../support/wechat-server';
import { eventually } from './conformance';

const AES_KEY = 'Kefu0Demo1Aes2Key3For4Wechat5Safe6Mode7Test';

function shown(m: CustomMessage): string {
  if (m.msgtype === 'msgmenu') return [m.msgmenu?.head_content, ...(m.msgmenu?.list.map((i) => i.content) ?? [])].join('\n');
  return m.text?.content ?? '';
}

describe('the demo bot on WeChat, in English and Chinese', function () {
  this.timeout(120_000);
  let classifier: IntentClassifier;
  let engine: Engine;

  before(async () => {
    classifier = await demoNlu();
  });
  beforeEach(() => {
    engine = createEngine({ classifier, dialogs: demoDialogs });
  });
  afterEach(() => engine.close());

  describe('Official Account, safe mode', () => {
    let api: WechatServer;
    let channel: WechatChannel;
    let hook: { url: string; close(): Promise<void> };
    beforeEach(async () => {
      api = await startWechatServer();
      channel = createWechatChannel({ token: 'demoToken', appId: api.appId, appSecret: api.appSecret, encodingAESKey: AES_KEY, apiBase: api.url });
      engine.addChannel(channel);
      await channel.start(engine);
      hook = await mountWebhook(channel);
    });
    afterEach(async () => {
      await channel.stop();
      await hook.close();
      await api.close();
    });

    const newUser = () => createWechatUser({ url: hook.url, secrets: { token: 'demoToken', appId: api.appId, encodingAESKey: AES_KEY } });

    /** One callback; returns everything the user then saw: the passive reply and any API messages. */
    async function turn(user: WechatUser, act: () => Promise<CallbackAnswer>): Promise<string> {
      const before = api.messages.filter((m) => m.touser === user.openId).length;
      const res = await act();
      assert.equal(res.status, 200, res.body);
      await channel.idle();
      const passive = res.reply && res.reply !== 'success' ? [String(res.reply.Content ?? '')] : [];
      const pushed = api.messages
        .filter((m) => m.touser === user.openId)
        .slice(before)
        .map(shown);
      return [...passive, ...pushed].join('\n');
    }

    it('a new follower is welcomed with the topics, taps "Where’s my order?", gives a wrong then a right number', async () => {
      const en = newUser();
      const welcome = await turn(en, () => en.event('subscribe'));
      assert.match(welcome, /welcome to Lumen & Co/);
      const menu = api.messages.at(-1)?.msgmenu;
      const item = menu?.list.find((i) => i.content.endsWith('Where’s my order?'));
      assert.ok(item, `the welcome offers the order topic: ${JSON.stringify(menu)}`);
      assert.match(await turn(en, () => en.text(item.content, { bizmsgmenuid: item.id })), /order number\? It’s the 6-digit number/);
      assert.match(await turn(en, () => en.text('it is 12345')), /doesn't look like an order number/);
      assert.match(await turn(en, () => en.text('999999')), /couldn’t find an order numbered 999999/);
      assert.match(await turn(en, () => en.text('100234')), /email address on order 100234/);
      const answer = await turn(en, () => en.text('ann.lee@example.com'));
      assert.match(answer, /order 100234 \(Linen table lamp[^)]*\) is on its way/);
      assert.match(answer, /SF Express, tracking number SF1402837465921/);
    });

    it('a Chinese customer types the question, then a wrong and a right order number', async () => {
      const zh = newUser();
      assert.match(await turn(zh, () => zh.text('帮我查一下订单到哪了')), /请告诉我您的订单号/);
      assert.match(await turn(zh, () => zh.text('12345')), /这个好像不是订单号/);
      assert.match(await turn(zh, () => zh.text('订单号是100234')), /请提供订单 100234 的下单邮箱/);
      const answer = await turn(zh, () => zh.text('4521'));
      assert.match(answer, /订单 100234（亚麻布艺台灯[^）]*）已经在路上啦/);
      assert.match(answer, /顺丰速运发出，快递单号 SF1402837465921/);
    });
  });

  describe('personal account through wechaty', () => {
    let channel: WechatyChannel;
    let mocker: mock.Mocker;
    let botUser: mock.ContactMock;
    beforeEach(async () => {
      mocker = new mock.Mocker();
      const puppet = new PuppetMock({ mocker });
      channel = createWechatyChannel({ puppet, name: 'kefu-demo' });
      engine.addChannel(channel);
      await channel.start(engine);
      botUser = mocker.createContact({ name: '小流' });
      mocker.login(botUser);
      puppet.emit('ready', { data: 'ready' });
      await channel.ready();
    });
    afterEach(() => channel.stop());

    /** Says `text` to `where` and returns the bot's next message there. */
    async function turn(from: mock.ContactMock, where: mock.ContactMock | mock.RoomMock, text: string, mention = false): Promise<string> {
      const fromBot: string[] = [];
      const listen = (m: mock.MessageMock) => {
        if (m.payload.talkerId === botUser.id && m.payload.type === types.Message.Text) fromBot.push(m.payload.text ?? '');
      };
      const target = where instanceof mocker.RoomMock ? where : from;
      target.on('message', listen);
      try {
        if (mention) from.say(`@小流 ${text}`, [botUser]).to(where);
        else from.say(text).to(where);
        await eventually(() => (fromBot.length ? true : undefined), 20_000, 'a bot reply');
        await channel.idle();
        return fromBot.join('\n');
      } finally {
        target.off('message', listen);
      }
    }

    it('answers in English in a direct chat, with the topics as numbered options', async () => {
      const en = mocker.createContact({ name: 'Alice' });
      const welcome = await turn(en, botUser, 'hello');
      assert.match(welcome, /welcome to Lumen & Co/);
      const number = /(\d+)\. Where’s my order\?/.exec(welcome)?.[1];
      assert.ok(number, welcome);
      assert.match(await turn(en, botUser, number), /order number\? It’s the 6-digit number/);
      assert.match(await turn(en, botUser, '999999'), /couldn’t find an order numbered 999999/);
      assert.match(await turn(en, botUser, '100234'), /email address on order 100234/);
      assert.match(await turn(en, botUser, '4521'), /order 100234 \(Linen table lamp[^)]*\) is on its way/);
    });

    it('answers in Chinese in a group when @-mentioned, mentioning the customer', async () => {
      const zh = mocker.createContact({ name: '小明' });
      const room = mocker.createRoom({ topic: '流明商城会员群', memberIdList: [botUser.id, zh.id] });
      assert.match(await turn(zh, room, '帮我查一下订单到哪了', true), /^@小明 .*请告诉我您的订单号/s);
      assert.match(await turn(zh, room, '12345', true), /这个好像不是订单号/);
      assert.match(await turn(zh, room, '订单号是100234', true), /请提供订单 100234 的下单邮箱/);
      const answer = await turn(zh, room, '尾号4521', true);
      assert.match(answer, /订单 100234（亚麻布艺台灯[^）]*）已经在路上啦/);
    });
  });
});
