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
        .expect(/To keep your order private, please confirm the email address on order 100234, or the last 4 digits of the phone number/)
        .expectNot(/SF1402837465921|Linen/)
        .say('4521')
        .expect(
          'Good news: order 100234 (Linen table lamp ×1) is on its way! It left our warehouse yesterday with SF Express, tracking number SF1402837465921. It should arrive tomorrow.',
        )
        .check((r) => assert.equal(r.dialogId, 'order-proof', 'the proof step answered, with the order-status text'));
    });

    it('says so when the number is unknown, and asks again', async () => {
      await converse(engine)
        .say('track my order')
        .expect(/order number/)
        .say('999999')
        .expect(/I couldn’t find an order numbered 999999\. Could you double-check it\?.*\nWhat’s your order number\?/s)
        .say('100236')
        .expect(/email address on order 100236/)
        .say('it’s li.lei@example.com')
        .expect(/Order 100236 \(Ceramic bedside lamp ×1, Warm-white LED bulbs \(4-pack\) ×1\) was delivered on Saturday 22 November\./)
        .check((r) => assert.deepEqual(payloads(r), ['intent:refund.request', 'intent:faq.returns']));
    });

    it('takes the order number from the first message', async () => {
      await converse(engine)
        .say('where is order 100234')
        .expectNot(/What’s your order number|on its way/)
        .say('Ann.Lee@example.com')
        .expect(/order 100234 .* is on its way/);
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
        .say('7788')
        .expect(/Order 100235 \(Brass pendant light ×1, ¥1,280\) was placed today and is being packed/);
      await converse(engine)
        .say('check order 100237')
        .say('0846')
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

  describe('proof that the order is the customer’s', () => {
    it('shows nothing of the order on a wrong proof, and stops after three, offering a person', async () => {
      const id = 'order-proof-wrong';
      await converse(engine, { conversationId: id })
        .say('where is order 100234')
        .expect(/email address on order 100234/)
        .say('1111')
        .expect(/That doesn’t match order 100234, so I can’t show its details\./)
        .expectNot(/Linen|SF Express|SF1402837465921|¥289|on its way/)
        .say('someone@example.com')
        .expect(/doesn’t match/)
        .say('2222')
        .expect(/That still doesn’t match, so for your security I’ve stopped here\./)
        .expectNot(/Linen|SF1402837465921|email address on order/)
        .check((r) => assert.deepEqual(payloads(r), ['intent:agent.request']))
        // the order stays locked in this conversation, even with the right proof
        .say('where is order 100234')
        .expect(/I can’t show order 100234 here/)
        .expectNot(/email address on order|on its way/)
        .check((r) => assert.deepEqual(payloads(r), ['intent:agent.request']));
      const data = (await sessionOf(engine, id))?.data as { orderProof?: unknown };
      assert.ok(!JSON.stringify(data).includes('someone@example.com'), 'proofs are not kept');
    });

    it('asks again when the answer is neither an email nor 4 digits', async () => {
      await converse(engine)
        .say('where is order 100234')
        .say('no idea')
        .expect(/Please send the order’s email address \(like name@example\.com\) or the last 4 digits/)
        .say('4521')
        .expect(/on its way/);
    });

    it('asks once per order and conversation', async () => {
      await converse(engine)
        .say('where is order 100234')
        .say('4521')
        .expect(/on its way/)
        .say('where is order 100234')
        .expect(/on its way/)
        .expectNot(/email address on order/)
        .say('and order 100235?')
        .expect(/email address on order 100235/);
    });

    it('a wrong proof for one order does not lock another', async () => {
      await converse(engine)
        .say('where is order 100234')
        .say('0000')
        .say('0000')
        .say('0000')
        .expect(/stopped here/)
        .say('where is order 100235')
        .say('wang.fang@example.com')
        .expect(/Order 100235 .* is being packed/);
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
        .expect(/为保护您的订单信息，请提供订单 100234 的下单邮箱，或下单手机号的后4位/)
        .say('后四位是4521')
        .expect('好消息：订单 100234（亚麻布艺台灯 ×1）已经在路上啦！昨天由顺丰速运发出，快递单号 SF1402837465921，预计明天送达。')
        .check((r) => assert.equal(r.locale, 'zh'));
    });

    it('says so when the number is unknown, and asks again', async () => {
      await converse(engine)
        .say('查物流')
        .say('888888')
        .expect(/没有查到订单号 888888，麻烦您再核对一下。.*\n请告诉我您的订单号/s)
        .say('100241')
        .say('6613')
        .expect('订单 100241（智能调光开关 ×2）已经在路上啦！11月25日周二由京东物流发出，快递单号 JDV004518273649，预计今天送达。');
    });

    it('takes the order number from the first message', async () => {
      await converse(engine)
        .say('订单100234到哪了')
        .expectNot(/请告诉我您的订单号|亚麻布艺台灯/)
        .say('4521')
        .expect(/订单 100234（亚麻布艺台灯 ×1）已经在路上啦/);
      await converse(engine)
        .say('订单999999到哪了')
        .expect(/没有查到订单号 999999.*\n请告诉我您的订单号/s);
      await converse(engine)
        .say('帮我查下100236')
        .say('3390')
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
