/** Small dialogs that exercise the engine: a slot-filling order lookup, an interruption, a cancel. */
import { defineDialog, fail, ok, slot } from '../../core';
import type { KeywordRules } from '../support/keyword-classifier';

export const orderDialog = defineDialog({
  id: 'order',
  triggers: ['order'],
  slots: {
    orderNo: slot.text({
      prompt: 'ask',
      prefill: true,
      validate: (text) => {
        const m = text.match(/\b\d{6}\b/);
        return m ? ok(m[0]) : fail('format');
      },
    }),
  },
  texts: {
    en: { ask: 'What is your order number?', format: 'An order number has 6 digits.', done: 'Order {no} is on its way.', giveUp: 'Let me get you a person.' },
    zh: { ask: '请问您的订单号是多少？', format: '订单号是6位数字。', done: '订单{no}正在配送中。', giveUp: '我帮您转人工。' },
  },
  run(ctx, { orderNo }) {
    ctx.say('done', { no: orderNo });
  },
});

export const shippingDialog = defineDialog({
  id: 'shipping',
  triggers: ['shipping'],
  label: { en: 'Shipping', zh: '配送' },
  texts: { en: { a: 'Shipping takes 3 days.' }, zh: { a: '配送需要3天。' } },
  run: (ctx) => ctx.say('a'),
});

export const cancelDialog = defineDialog({
  id: 'cancel',
  triggers: ['cancel'],
  texts: { en: { a: 'Cancelled.' }, zh: { a: '已取消。' } },
  run(ctx) {
    ctx.cancelAll();
    ctx.say('a');
  },
});

export const explodingDialog = defineDialog({
  id: 'explode',
  triggers: ['explode'],
  texts: { en: {}, zh: {} },
  run() {
    throw new Error('boom');
  },
});

export const fallbackDialog = defineDialog({
  id: 'fallback',
  triggers: [],
  texts: { en: { a: 'Sorry, I did not get that.' }, zh: { a: '抱歉，我没听懂。' } },
  run: (ctx) => ctx.say('a'),
});

export const testIntents: KeywordRules = [
  ['order', /order|订单/],
  ['shipping', /shipping|配送|发货/],
  ['cancel', /cancel|取消/],
  ['explode', /explode/],
];

export const testDialogs = [orderDialog, shippingDialog, cancelDialog, explodingDialog, fallbackDialog];
