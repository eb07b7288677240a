import assert from 'node:assert/strict';
import type { Engine } from '../../core';
import { converse } from '../harness';
import { createDemoEngine, labels, payloads, sessionOf } from './demo-engine';

const REASONS = ['damaged', 'wrong_item', 'not_as_described', 'changed_mind'];

describe('refund dialogs', () => {
  let engine: Engine;
  before(async () => {
    engine = await createDemoEngine();
  });
  after(() => engine.close());

  describe('in English', () => {
    it('files a refund for a delivered order through the buttons', async () => {
      let ref = '';
      const id = 'refund-happy-en';
      await converse(engine, { conversationId: id })
        .say('I want a refund')
        .expect(/Which order would you like a refund for\? Please send the 6-digit order number/)
        .say('100236')
        .expect(/To keep your order private, please confirm the email address on order 100236/)
        .expectNot(/Ceramic|¥418/)
        .say('li.lei@example.com')
        .expect(
          /Found it: order 100236 \(Ceramic bedside lamp ×1, Warm-white LED bulbs \(4-pack\) ×1, ¥418\), delivered on Saturday 22 November\.\nWhat’s the reason for the refund\?/,
        )
        .check((r) => {
          assert.deepEqual(payloads(r), REASONS);
          assert.deepEqual(labels(r), ['Arrived damaged', 'Wrong item', 'Not as described', 'Changed my mind']);
        })
        .press('damaged')
        .expect('Shall I submit the refund request now?')
        .check((r) => assert.deepEqual(payloads(r), ['no', 'yes']))
        .press('yes')
        .expect(/Done! Your refund reference is RF-100236-[0-9A-Z]{4} \(order 100236\)\. .*free return label.*¥418 goes back to your original payment method/)
        .check((r) => {
          ref = r.replies[0]?.text.match(/RF-100236-[0-9A-Z]{4}/)?.[0] ?? '';
        })
        .say('refund order 100236')
        .check((r) => assert.match(r.replies[0]?.text ?? '', new RegExp(`already requested a refund for order 100236: your reference is ${ref}`)));
      const session = await sessionOf(engine, id);
      assert.deepEqual(session?.data.refund, { filed: { '100236': ref } });
    });

    it('keeps ¥10 return shipping when the customer changed their mind', async () => {
      await converse(engine)
        .say('I need a refund for 100295')
        .say('6730')
        .expect(/Found it: order 100295/)
        .press('changed_mind')
        .press('yes')
        .expect(/¥49 \(your ¥59 less ¥10 return shipping\)/);
    });

    it('understands a typed reason, re-asks an unclear one, and files nothing on no', async () => {
      await converse(engine)
        .say('refund please')
        .say('100248')
        .say('zhao.min@example.com')
        .say('purple')
        .expect(/Please pick one of the reasons below/)
        .check((r) => assert.deepEqual(payloads(r), REASONS))
        .say('the wrong colour was delivered')
        .expect('Shall I submit the refund request now?')
        .say('no')
        .expect('No problem, I haven’t submitted anything.')
        .expectNot(/RF-/);
    });

    it('asks again for an unknown number without leaving the refund', async () => {
      await converse(engine)
        .say('I want a refund')
        .say('999999')
        .expect(/I couldn’t find an order numbered 999999\..*\nWhich order would you like a refund for\?/s)
        .check((r) => assert.equal(r.dialogId, 'refund-request'))
        .say('100236')
        .say('3390')
        .expect(/Found it: order 100236/);
    });

    it('does not ask for the order number again after an order lookup', async () => {
      await converse(engine)
        .say('where is order 100236')
        .say('3390')
        .expect(/Order 100236 .* was delivered on Saturday 22 November/)
        .say('I want a refund')
        .expect(/^Found it: order 100236 .*\nWhat’s the reason for the refund\?/s)
        .expectNot(/Which order|email address/)
        .say('yes please, it arrived broken')
        .expect('Shall I submit the refund request now?')
        .say('yes please')
        .expect(/Done! Your refund reference is RF-100236-/);
    });

    it('asks again when the looked-up number was unknown', async () => {
      await converse(engine)
        .say('where is order 999999')
        .expect(/numbered 999999/)
        .say('I want a refund')
        .expect(/Which order would you like a refund for\?/)
        .expectNot(/999999/);
    });

    it('refuses orders that are not delivered, and says why', async () => {
      await converse(engine)
        .say('refund order 100235')
        .say('7788')
        .expect(/Order 100235 hasn’t shipped yet, so there’s nothing to refund.*a colleague can cancel it/)
        .check((r) => assert.deepEqual(payloads(r), ['intent:agent.request']))
        .expectNot(/reason/);
      await converse(engine)
        .say('refund order 100234')
        .say('4521')
        .expect(/Order 100234 is still on its way and should arrive tomorrow\. Refunds can be requested once an order has been delivered/);
      await converse(engine)
        .say('refund order 100237')
        .say('0846')
        .expect(/Order 100237 was already cancelled on Saturday 22 November, and the full ¥699 went back/);
    });
  });

  describe('in Chinese', () => {
    it('files a refund from typed answers', async () => {
      await converse(engine)
        .say('申请退款')
        .expect(/请问要为哪个订单申请退款？/)
        .say('100248')
        .expect(/请提供订单 100248 的下单邮箱，或下单手机号的后4位/)
        .say('手机尾号9152')
        .expect(/找到了：订单 100248（羊毛盖毯 ×1、雪松香薰蜡烛 ×1，¥548），11月17日周一签收。\n请问退款原因是什么？/)
        .check((r) => assert.deepEqual(labels(r), ['商品损坏', '发错商品', '与描述不符', '不想要了']))
        .say('坏了')
        .expect('现在为您提交退款申请吗？')
        .check((r) => assert.deepEqual(labels(r), ['先不用', '确认提交']))
        .say('是的')
        .expect(/已提交！退款单号 RF-100248-[0-9A-Z]{4}（订单 100248）。.*免费退货单.*¥548会在3–5个工作日内原路退回/)
        .check((r) => assert.equal(r.locale, 'zh'));
    });

    it('takes the order number from an earlier lookup and a typed button label', async () => {
      await converse(engine)
        .say('订单100248到哪了')
        .say('9152')
        .say('我要退款')
        .expect(/^找到了：订单 100248/)
        .say('不想要了')
        .expect('现在为您提交退款申请吗？')
        .say('确认提交')
        .expect(/已提交！退款单号 RF-100248-.*订单金额¥548扣除¥10退货运费/);
    });

    it('files a refund through the buttons', async () => {
      await converse(engine)
        .say('订单100236退款')
        .say('3390')
        .expect(/找到了：订单 100236/)
        .press('not_as_described')
        .press('yes')
        .expect(/已提交！退款单号 RF-100236-/);
    });

    it('refuses orders that are not delivered, and says why', async () => {
      await converse(engine)
        .say('我要退100235')
        .say('7788')
        .expect(/订单 100235 还没有发货，目前不需要退款。/)
        .expectNot(/退款原因/);
      await converse(engine)
        .say('我要退100234')
        .say('4521')
        .expect(/订单 100234 还在运输途中，预计明天送达。订单签收后才能申请退款/);
      await converse(engine)
        .say('我要退100237')
        .say('0846')
        .expect(/订单 100237 已于11月22日周六取消，¥699已经自动原路退回/);
    });
  });
});
