import assert from 'node:assert/strict';
import type { Engine } from '../../core';
import { converse } from '../harness';
import { createDemoEngine, payloads, recordHandoffs, sessionOf } from './demo-engine';

describe('order status dialog', () => {
  let engine: Engine;
  before(async () => {
    engine = await createDemoEngine();
  });
  after(() => engine.close());

  describe('in English', () => {
    it('re-asks after a wrong format, then answers for a right number', async () => {
      await converse(engine)
        .say('where is my order?')
        .expect(/What’s your order number\? It’s the 6-digit number/)
        .say('12')
        .expect(/An order number has 6 digits, like 100234\.\nWhat’s your order number\?/)
        .say('100234')
        .expect(
          'Good news: order 100234 (Linen table lamp ×1) is on its way! It left our warehouse yesterday with SF Express, tracking number SF1402837465921. It should arrive tomorrow.',
        )
        .check((r) => assert.equal(r.dialogId, 'order-status'));
    });

    it('says so when the number is unknown, and asks again', async () => {
      await converse(engine)
        .say('track my order')
        .expect(/order number/)
        .say('999999')
        .expect(/I couldn’t find an order numbered 999999\. Could you double-check it\?.*\nWhat’s your order number\?/s)
        .say('100236')
        .expect(/Order 100236 \(Ceramic bedside lamp ×1, Warm-white LED bulbs \(4-pack\) ×1\) was delivered on Saturday 22 November\./)
        .check((r) => assert.deepEqual(payloads(r), ['intent:refund.request', 'intent:faq.returns']));
    });

    it('takes the order number from the first message', async () => {
      await converse(engine)
        .say('where is order 100234')
        .expect(/order 100234 .* is on its way/)
        .expectNot(/What’s your order number/);
    });

    it('keeps asking, with a hint, when the customer does not know the number', async () => {
      await converse(engine)
        .say('where is my order?')
        .say('I don’t remember')
        .expect(/An order number has 6 digits.*\nWhat’s your order number\?/s);
      await converse(engine)
        .say('查订单')
        .say('不记得了')
        .expect(/订单号是6位数字.*\n请告诉我您的订单号/s);
    });

    it('says so when the first message has an unknown number', async () => {
      await converse(engine)
        .say('where is order 999999')
        .expect(/I couldn’t find an order numbered 999999\..*\nWhat’s your order number\?/s);
    });

    it('gives up after three unknown numbers in a row, offering a person', async () => {
      const id = 'order-unknown-give-up';
      await converse(engine, { conversationId: id })
        .say('where is order 999999')
        .say('888888')
        .expect(/numbered 888888/)
        .say('777777')
        .expect(/Sorry, I still can’t find that order\./)
        .check((r) => assert.deepEqual(payloads(r), ['intent:agent.request']))
        .expectNot(/What’s your order number/);
      const session = await sessionOf(engine, id);
      assert.equal(session?.dialog, undefined);
      assert.equal(session?.data.orderLookup, undefined, 'the miss count is cleared');
    });

    it('explains processing and cancelled orders', async () => {
      await converse(engine)
        .say('has 100235 been sent yet?')
        .expect(/Order 100235 \(Brass pendant light ×1, ¥1,280\) was placed today and is being packed/);
      await converse(engine)
        .say('check order 100237')
        .expect(/Order 100237 was cancelled on Saturday 22 November\. The full ¥699 went back to your original payment method/);
    });

    it('gives up after three bad answers and offers a person', async () => {
      const id = 'order-give-up-en';
      await converse(engine, { conversationId: id })
        .say('where is my order?')
        .say('12')
        .expect(/6 digits/)
        .say('1234')
        .expect(/6 digits/)
        .say('99')
        .expect(/Sorry, I still can’t find that order\. .* just type “human” to talk to a person\./)
        .expectNot(/What’s your order number/);
      assert.equal((await sessionOf(engine, id))?.dialog, undefined, 'the dialog ended');
    });
  });

  describe('in Chinese', () => {
    it('re-asks after a wrong format, then answers for a right number', async () => {
      await converse(engine)
        .say('我的快递到哪了')
        .expect(/请告诉我您的订单号/)
        .say('123')
        .expect(/订单号是6位数字，比如 100234。\n请告诉我您的订单号/)
        .say('100234')
        .expect('好消息：订单 100234（亚麻布艺台灯 ×1）已经在路上啦！昨天由顺丰速运发出，快递单号 SF1402837465921，预计明天送达。')
        .check((r) => assert.equal(r.locale, 'zh'));
    });

    it('says so when the number is unknown, and asks again', async () => {
      await converse(engine)
        .say('查物流')
        .say('888888')
        .expect(/没有查到订单号 888888，麻烦您再核对一下。.*\n请告诉我您的订单号/s)
        .say('100241')
        .expect('订单 100241（智能调光开关 ×2）已经在路上啦！11月25日周二由京东物流发出，快递单号 JDV004518273649，预计今天送达。');
    });

    it('takes the order number from the first message', async () => {
      await converse(engine)
        .say('订单100234到哪了')
        .expect(/订单 100234（亚麻布艺台灯 ×1）已经在路上啦/)
        .expectNot(/请告诉我您的订单号/);
      await converse(engine)
        .say('订单999999到哪了')
        .expect(/没有查到订单号 999999.*\n请告诉我您的订单号/s);
      await converse(engine)
        .say('帮我查下100236')
        .expect(/订单 100236（陶瓷床头灯 ×1、暖白光LED灯泡（4只装） ×1）已于11月22日周六签收/);
    });

    it('gives up after three bad answers and offers a person', async () => {
      const handoffs = recordHandoffs(engine);
      await converse(engine)
        .say('查订单')
        .say('12')
        .say('34')
        .say('56')
        .expect(/抱歉，还是没有找到这个订单。.*回复“人工”即可转接/)
        .say('人工')
        .expect(/正在为您转接人工客服/);
      assert.deepEqual(handoffs, [{ reason: 'requested' }]);
    });
  });
});
