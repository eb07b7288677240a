import assert from 'node:assert/strict';
import type { Engine } from '../../core';
import { converse } from '../harness';
import { createDemoEngine, payloads, recordHandoffs, sessionOf } from './demo-engine';

describe('interruptions, cancel and handoff', () => {
  let engine: Engine;
  before(async () => {
    engine = await createDemoEngine();
  });
  after(() => engine.close());

  it('answers a shipping question mid order-status, then resumes (en)', async () => {
    await converse(engine)
      .say('where is my order?')
      .expect(/What’s your order number/)
      .say('how much is shipping?')
      .expect(/free on orders over ¥199.*\nWhat’s your order number\?/s)
      .say('100234')
      .expect(/email address on order 100234/)
      .say('how much is shipping?')
      .expect(/free on orders over ¥199.*\nTo keep your order private, please confirm the email address on order 100234/s)
      .say('4521')
      .expect(/order 100234 .* is on its way/);
  });

  it('answers a shipping question mid order-status, then resumes (zh)', async () => {
    await converse(engine)
      .say('查订单')
      .say('运费多少')
      .expect(/订单满199元包邮.*\n请告诉我您的订单号/s)
      .say('100259')
      .say('5538')
      .expect(/订单 100259（纸艺灯罩 ×2）已经在路上啦！.*中通快递.*预计11月29日周六送达/);
  });

  it('hands off on "talk to a human" mid-dialog without asking the interrupted question over the agent (en)', async () => {
    const handoffs = recordHandoffs(engine);
    const id = 'interrupt-human-en';
    await converse(engine, { conversationId: id })
      .say('track my order')
      .say('I want to talk to a human')
      .expect(/I’m connecting you with a member of our customer-service team now\./s)
      .expectNot(/order number/);
    assert.deepEqual(handoffs, [{ reason: 'requested' }]);
    assert.equal((await sessionOf(engine, id))?.stack.at(-1)?.id, 'order-status', 'order status stays interrupted, not re-asked');
  });

  it('hands off on 转人工 mid-dialog (zh)', async () => {
    const handoffs = recordHandoffs(engine);
    await converse(engine)
      .say('我的订单到哪了')
      .say('转人工')
      .expect(/正在为您转接人工客服/s)
      .expectNot(/订单号/)
      .say('100236')
      .say('3390')
      .expect(/已于11月22日周六签收/);
    assert.deepEqual(handoffs, [{ reason: 'requested' }]);
  });

  it('cancels the dialog in progress and everything it interrupted (en)', async () => {
    const id = 'cancel-en';
    await converse(engine, { conversationId: id })
      .say('where is my order?')
      .say('what are your opening hours?')
      .expect(/9:00 to 21:00.*\nWhat’s your order number/s)
      .say('never mind')
      .expect(/OK, I’ve stopped that\./)
      .check((r) => assert.ok(payloads(r).includes('intent:order.status')))
      .say('thanks')
      .expect(/You’re welcome!/)
      .expectNot(/order number/);
    const session = await sessionOf(engine, id);
    assert.equal(session?.dialog, undefined);
    assert.deepEqual(session?.stack, []);
  });

  it('cancels a refund at the reason question (zh)', async () => {
    const id = 'cancel-zh';
    await converse(engine, { conversationId: id })
      .say('我要退款')
      .say('100236')
      .say('3390')
      .expect(/请问退款原因是什么/)
      .say('算了')
      .expect('好的，已经帮您取消了。还有其他可以帮您的吗？');
    const session = await sessionOf(engine, id);
    assert.equal(session?.dialog, undefined);
    assert.deepEqual(session?.stack, []);
  });

  it('says when there is nothing to cancel', async () => {
    await converse(engine)
      .say('cancel')
      .expect(/There’s nothing in progress to cancel/);
    await converse(engine)
      .say('取消')
      .expect(/目前没有正在办理的事项/);
  });

  it('ends the dialog in progress on goodbye', async () => {
    const id = 'goodbye-mid';
    await converse(engine, { conversationId: id })
      .say('我的快递到哪了')
      .say('再见')
      .expect('感谢您光临流明商城，祝您生活愉快！有需要随时来找我。')
      .expectNot(/订单号/);
    assert.equal((await sessionOf(engine, id))?.dialog, undefined);
  });
});
