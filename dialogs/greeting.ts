/** Welcome message with the main topics as buttons. */
import { defineDialog } from '../core';
import { topicButtons } from './topics';

export const greeting = defineDialog({
  id: 'greeting',
  triggers: ['greeting'],
  label: { en: 'Say hello', zh: '打招呼' },
  texts: {
    en: {
      welcome:
        'Hi, welcome to Lumen & Co.! I’m the shop assistant. I can check where your order is, help with a return or refund, and answer questions about shipping and payment. What can I do for you?',
    },
    zh: {
      welcome: '您好，欢迎光临流明商城！我是智能客服小流，可以帮您查订单进度、办理退货退款，也能解答配送和支付方面的问题。请问有什么可以帮您？',
    },
  },
  run(ctx) {
    ctx.say('welcome', {}, topicButtons(ctx));
  },
});
