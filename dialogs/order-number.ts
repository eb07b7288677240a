/**
 * The order number shared by order status and refunds: one slot, one lookup, one set of texts.
 *
 * The slot only checks the format (the NLU's `orderNumber` entity, else 6 digits in the text).
 * Whether the order exists is checked by {@link lookupOrder} in the dialog's `run`, which says
 * so (naming the number) and asks again by restarting the dialog. Checking existence in the
 * validator instead would (a) ignore an unknown number in the first message silently, because
 * a failed prefill just asks the question, and (b) let the NLU's guess for a bare number
 * ("999999" → order.status) interrupt a refund, because a failed answer may be interrupted.
 */
import './memory';
import { createSlotBuilders, type DialogContext, type DialogDataRecord, fail, ok, type SlotInput, type SlotSpec } from '../core';
import { demoOrders, type Order, type OrderBook } from './data/orders';
import { intentButtons } from './topics';

/** The texts an order-number dialog needs; spread them into its `texts`. */
export const ORDER_NUMBER_TEXTS = {
  en: {
    badOrderNo: "Hmm, that doesn't look like an order number. An order number has 6 digits, like 100234.",
    unknownOrderNo: 'I couldn’t find an order numbered {no}. Could you double-check it? It’s in your confirmation email and under “My orders” in the app.',
    giveUp: 'Sorry, I still can’t find that order. A colleague can look it up by your phone number or email: just type “human” to talk to a person.',
  },
  zh: {
    badOrderNo: '这个好像不是订单号哦。订单号是6位数字，比如 100234。',
    unknownOrderNo: '没有查到订单号 {no}，麻烦您再核对一下。订单号可以在下单确认邮件或 App 的“我的订单”里找到。',
    giveUp: '抱歉，还是没有找到这个订单。人工客服可以通过手机号或邮箱帮您查询，回复“人工”即可转接。',
  },
} as const;

/** Unknown numbers in a row before the dialog gives up (like a slot's maxAttempts). */
export const MAX_UNKNOWN_ORDER_NUMBERS = 3;

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
 * A slot holding a well-formed order number. Prefills from the message that started the dialog
 * ("where is order 100234"), and with `fromMemory` from the number the customer gave earlier in
 * the conversation; remembers the number it gets. A wrong format re-asks with `badOrderNo`.
 * @example slots: (slot) => ({ orderNo: orderNumberSlot('askOrderNo') })
 */
export function orderNumberSlot<P extends string>(prompt: P, opts: { fromMemory?: boolean; maxAttempts?: number } = {}): SlotSpec<string, P | 'badOrderNo' | 'giveUp'> {
  return createSlotBuilders<Record<P | 'badOrderNo' | 'giveUp', string>>().text({
    prompt,
    prefill: true,
    maxAttempts: opts.maxAttempts ?? 3,
    giveUp: 'giveUp',
    remember: 'orderNo',
    ...(opts.fromMemory ? { fromMemory: 'orderNo' as const } : {}),
    validate: (_text, input) => {
      const no = findOrderNumber(input);
      return no ? ok(no) : fail('badOrderNo');
    },
  });
}

interface Misses {
  count: number;
  /** `session.turns` when the last unknown number was given; a gap resets the count. */
  turn: number;
}

declare module '../core' {
  interface DialogData {
    orderLookup: Misses;
  }
}

function readMisses(data: DialogDataRecord, turn: number): number {
  const m: Partial<Misses> | undefined = data.orderLookup;
  return typeof m?.count === 'number' && m.turn === turn - 1 ? m.count : 0;
}

type LookupTexts = { unknownOrderNo: string; giveUp: string };

/**
 * Finds the order, or tells the customer the number is unknown and restarts `dialogId` so it
 * asks again; after {@link MAX_UNKNOWN_ORDER_NUMBERS} unknown numbers in a row it gives up and
 * offers a person. Returns the order only when found.
 */
export function lookupOrder(ctx: DialogContext<LookupTexts>, dialogId: string, orderNo: string, book: OrderBook = demoOrders): Order | undefined {
  const order = book.find(orderNo);
  const turn = ctx.session.turns;
  if (order) {
    delete ctx.data.orderLookup;
    return order;
  }
  ctx.forget('orderNo'); // a number that names no order is not worth carrying to the next dialog
  const count = readMisses(ctx.data, turn) + 1;
  if (count >= MAX_UNKNOWN_ORDER_NUMBERS) {
    delete ctx.data.orderLookup;
    ctx.say('giveUp', {}, intentButtons(ctx, ['agent.request']));
    return undefined;
  }
  ctx.data.orderLookup = { count, turn };
  ctx.say('unknownOrderNo', { no: orderNo });
  ctx.start(dialogId);
  return undefined;
}
