/**
 * The demo bot (real NLU, demo dialogs and order book) holds its bilingual order-status
 * conversation on Telegram: /start, a topic button, a wrong and then a right order number, in
 * English and in Chinese, through telegraf against the local Bot API server (webhook mode).
 */
import assert from 'node:assert/strict';
import { createEngine, type Engine, type IntentClassifier } from '../../core';
import { demoDialogs } from '../../dialogs';
import { demoNlu } from '../support/demo-nlu';
import { startTelegramHarness, type TelegramHarness } from '../support/telegram-harness';
import type { TelegramUser } from '../support/telegram-user';

describe('telegram: the demo bot in English and Chinese', function () {
  this.timeout(120_000);
  let classifier: IntentClassifier;
  let engine: Engine;
  let h: TelegramHarness;

  before(async () => {
    classifier = await demoNlu();
  });
  beforeEach(async () => {
    engine = createEngine({ classifier, dialogs: demoDialogs });
    h = await startTelegramHarness(engine, { mode: 'webhook' });
  });
  afterEach(async () => {
    await h.close();
    await engine.close();
  });

  /** Sends as `user` and returns the texts of the bot's new messages in their chat. */
  async function turn(user: TelegramUser, act: () => Promise<unknown>): Promise<string> {
    const before = h.server.botMessages(user.chat.id).length;
    await act();
    const pending = async () => {
      for (let i = 0; i < 500; i++) {
        const fresh = h.server.botMessages(user.chat.id).slice(before);
        if (fresh.length) return fresh;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the bot did not answer');
    };
    const fresh = await pending();
    return fresh.map((m) => m.text ?? m.caption ?? '').join('\n');
  }

  it('checks an order in English: /start, the topic button, a wrong then a right order number', async () => {
    const en = h.user;
    const welcome = await turn(en, () => h.checked(en.say('/start')));
    assert.match(welcome, /welcome to Lumen & Co/);
    const buttons = h.server.botMessages(en.chat.id).at(-1)?.reply_markup?.inline_keyboard.flat() ?? [];
    assert.ok(buttons.some((b) => b.text === 'Where’s my order?' && b.callback_data === 'intent:order.status'));
    assert.match(await turn(en, () => h.checked(en.press('Where’s my order?'))), /order number\? It’s the 6-digit number/);
    assert.match(await turn(en, () => h.checked(en.say('it is 12345'))), /doesn't look like an order number/);
    assert.match(await turn(en, () => h.checked(en.say('999999'))), /couldn’t find an order numbered 999999/);
    assert.match(await turn(en, () => h.checked(en.say('100234'))), /email address on order 100234/);
    const answer = await turn(en, () => h.checked(en.say('ann.lee@example.com')));
    assert.match(answer, /order 100234 \(Linen table lamp[^)]*\) is on its way/);
    assert.match(answer, /SF Express, tracking number SF1402837465921/);
  });

  it('checks an order in Chinese, typed, with a wrong then a right order number', async () => {
    const zh = h.newUser({ id: 3003, firstName: '小明', languageCode: 'zh-hans' });
    assert.match(await turn(zh, () => h.checked(zh.say('帮我查一下订单到哪了'))), /请告诉我您的订单号/);
    assert.match(await turn(zh, () => h.checked(zh.say('12345'))), /这个好像不是订单号/);
    assert.match(await turn(zh, () => h.checked(zh.say('订单号是100234'))), /请提供订单 100234 的下单邮箱/);
    const answer = await turn(zh, () => h.checked(zh.say('手机尾号4521')));
    assert.match(answer, /订单 100234（亚麻布艺台灯[^）]*）已经在路上啦/);
    assert.match(answer, /顺丰速运发出，快递单号 SF1402837465921/);
  });
});
