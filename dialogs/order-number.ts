/**
 * The order-number slot shared by order status and refunds: one validator, one set of texts.
 * Takes the NLU's `orderNumber` entity when there is one, else a 6-digit run in the text,
 * and accepts it only if the order exists.
 */
import { fail, ok, type SlotInput, type SlotSpec } from '../core';
import { demoOrders, type OrderBook } from './data/orders';

/** The texts an order-number slot needs; spread them into the dialog's `texts`. */
export const ORDER_NUMBER_TEXTS = {
  en: {
    badOrderNo: "Hmm, that doesn't look like an order number. An order number has 6 digits, like 100234.",
    unknownOrderNo: "I couldn't find an order with that number. Could you double-check it? It's in your confirmation email and under “My orders” in the app.",
    giveUp: 'Sorry, I still can’t find that order. A colleague can look it up by your phone number or email: just type “human” to talk to a person.',
  },
  zh: {
    badOrderNo: '这个好像不是订单号哦。订单号是6位数字，比如 100234。',
    unknownOrderNo: '没有查到这个订单号，麻烦您再核对一下。订单号可以在下单确认邮件或 App 的“我的订单”里找到。',
    giveUp: '抱歉，还是没有找到这个订单。人工客服可以通过手机号或邮箱帮您查询，回复“人工”即可转接。',
  },
} as const;

const SIX_DIGITS = /(?<!\d)\d{6}(?!\d)/;

/** The 6-digit order number in a message: the NLU entity first, else the first 6-digit run. */
export function findOrderNumber(input: SlotInput): string | undefined {
  const entity = input.entities.find((e) => e.type === 'orderNumber');
  if (entity && (typeof entity.value === 'string' || typeof entity.value === 'number')) {
    const digits = String(entity.value).replace(/\D/g, '');
    if (/^\d{6}$/.test(digits)) return digits;
  }
  return (input.payload ?? input.text).match(SIX_DIGITS)?.[0];
}

/**
 * A slot holding an existing order's number. Prefills from the message that started the dialog
 * ("where is order 100234"). Wrong format → `badOrderNo`, unknown number → `unknownOrderNo`.
 * @example slots: { orderNo: orderNumberSlot('askOrderNo') }
 */
export function orderNumberSlot(prompt: string, book: OrderBook = demoOrders, maxAttempts = 3): SlotSpec<string> {
  return {
    kind: 'entity',
    prompt,
    prefill: true,
    maxAttempts,
    validate(input) {
      const no = findOrderNumber(input);
      if (!no) return fail('badOrderNo');
      return book.find(no) ? ok(no) : fail('unknownOrderNo');
    },
  };
}
