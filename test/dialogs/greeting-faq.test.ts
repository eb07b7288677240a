import assert from 'node:assert/strict';
import type { Engine } from '../../core';
import { converse } from '../harness';
import { createDemoEngine, labels, payloads } from './demo-engine';

const TOPICS = ['intent:order.status', 'intent:refund.request', 'intent:faq.shipping', 'intent:faq.returns', 'intent:faq.payment'];

const FAQS = [
  {
    intent: 'faq.shipping',
    en: ['how much is shipping?', /Standard delivery \(ZTO or YTO\) takes 2–4 days and is free on orders over ¥199/],
    zh: ['包邮吗', /订单满199元包邮，不满收12元运费/],
  },
  { intent: 'faq.returns', en: ['what’s your return policy?', /return most items within 30 days of delivery/], zh: ['怎么退货', /签收后30天内可以退货/] },
  { intent: 'faq.payment', en: ['can I pay with Alipay', /We accept Alipay, WeChat Pay, UnionPay cards/], zh: ['可以用支付宝吗', /支持支付宝、微信支付、银联卡/] },
  { intent: 'faq.hours', en: ['what are your opening hours?', /online every day from 9:00 to 21:00 Beijing time/], zh: ['客服几点上班', /人工客服每天9:00–21:00（北京时间）在线/] },
] as const;

describe('greeting, FAQ and small talk', () => {
  let engine: Engine;
  before(async () => {
    engine = await createDemoEngine();
  });
  after(() => engine.close());

  it('welcomes in English with the main topics as buttons, which work', async () => {
    await converse(engine)
      .say('hello')
      .expectIntent('greeting')
      .expect(/Hi, welcome to Lumen & Co\.!/)
      .check((r) => {
        assert.deepEqual(payloads(r), TOPICS);
        assert.deepEqual(labels(r), ['Where’s my order?', 'Request a refund', 'Shipping & delivery', 'Returns policy', 'Payment methods']);
      })
      .press('intent:faq.payment')
      .expect(/We accept Alipay/);
  });

  it('welcomes in Chinese with Chinese buttons', async () => {
    await converse(engine)
      .say('你好')
      .expect(/您好，欢迎光临流明商城！/)
      .check((r) => {
        assert.equal(r.locale, 'zh');
        assert.deepEqual(payloads(r), TOPICS);
        assert.deepEqual(labels(r), ['查询订单', '申请退款', '配送与运费', '退换货政策', '支付方式']);
      })
      .press('intent:order.status')
      .expect(/请告诉我您的订单号/);
  });

  for (const faq of FAQS) {
    for (const locale of ['en', 'zh'] as const) {
      const [text, answer] = faq[locale];
      it(`answers ${faq.intent} in ${locale} ("${text}")`, async () => {
        await converse(engine)
          .say(text)
          .expectIntent(faq.intent)
          .expect(answer)
          .check((r) => {
            assert.equal(r.locale, locale);
            assert.ok(payloads(r).length > 0, 'offers a next step');
          });
      });
    }
  }

  it('offers to start a refund under the returns policy', async () => {
    await converse(engine)
      .say('can I return an item?')
      .press('intent:refund.request')
      .expect(/Which order would you like a refund for\?/);
  });

  it('says goodbye and you are welcome in both languages', async () => {
    await converse(engine).say('thanks for the help').expect('You’re welcome! Is there anything else I can help with?');
    await converse(engine)
      .say('bye for now')
      .expect(/Thanks for stopping by Lumen & Co\./);
    await converse(engine).say('谢谢你的帮助').expect('不客气！还有什么可以帮您的吗？');
    await converse(engine)
      .say('好的拜拜')
      .expect(/感谢您光临流明商城/);
  });
});
