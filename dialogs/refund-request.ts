/**
 * Refunds, in one dialog: which order (not asked again when the customer just looked one up),
 * proof that it is theirs, then a branch on the order. Only a delivered order not yet refunded
 * goes on to the reason and a confirmation; for the others the customer is told why and what to
 * do instead, so the reason is never asked for an order that cannot be refunded.
 */
import { type DialogContext, defineDialog } from '../core';
import { dayPhrase, demoOrders, describeItems, formatMoney, type Order } from './data/orders';
import { lookupOrder, ORDER_NUMBER_TEXTS, orderNumberSlot } from './order-number';
import { PROOF_TEXTS, requireProof } from './order-proof';
import { REFUND_TEXTS } from './refund-texts';
import { readRefundState, refundReference, writeRefundState } from './refund-state';
import { intentButtons } from './topics';

const ID = 'refund-request';

/** Return shipping kept back when the customer simply changed their mind (CNY). */
const CHANGE_OF_MIND_FEE = 10;

/** What the order allows: a refund, or the reason it does not. */
export type RefundVerdict = 'eligible' | 'notShipped' | 'inTransit' | 'alreadyCancelled' | 'alreadyFiled';

/** The branch point's value: the proven order and its verdict (small, it is kept in the session). */
interface RefundCase {
  orderNo: string;
  verdict: RefundVerdict;
}

function verdictFor(order: Order, filed: Readonly<Record<string, string>>): RefundVerdict {
  if (order.status === 'processing') return 'notShipped';
  if (order.status === 'shipped') return 'inTransit';
  if (order.status === 'cancelled') return 'alreadyCancelled';
  return filed[order.orderNo] ? 'alreadyFiled' : 'eligible';
}

const isEligible = (filled: { check?: unknown }) => (filled.check as RefundCase | undefined)?.verdict === 'eligible';

const REASONS = [
  {
    value: 'damaged',
    label: 'reasonDamaged',
    synonyms: {
      en: ['damaged', 'broken', 'broke', 'cracked', 'smashed', 'faulty', 'defective', "doesn't work", "don't work", 'not working'],
      zh: ['损坏', '坏', '破', '碎', '裂', '质量问题', '不亮'],
    },
  },
  {
    value: 'wrong_item',
    label: 'reasonWrongItem',
    synonyms: { en: ['wrong', 'not what i ordered', 'incorrect item', 'different item'], zh: ['发错', '错了', '不是我买的', '不是我要的'] },
  },
  {
    value: 'not_as_described',
    label: 'reasonNotAsDescribed',
    synonyms: {
      en: ['not as described', 'not like the picture', 'looks different', 'not as pictured', 'misleading'],
      zh: ['描述不符', '不符', '跟图片不一样', '和图片不一样', '色差', '货不对板'],
    },
  },
  {
    value: 'changed_mind',
    label: 'reasonChangedMind',
    synonyms: {
      en: ['changed my mind', 'changed mind', "don't want", 'do not want', "don't like", 'no longer need'],
      zh: ['不想要', '不要了', '改变主意', '不喜欢', '不需要', '买多了'],
    },
  },
] as const;

type RefundTexts = typeof REFUND_TEXTS.en & typeof ORDER_NUMBER_TEXTS.en & typeof PROOF_TEXTS.en;

/** The branch point: finds and proves the order (else ends the dialog), and says what it allows. */
function checkOrder(ctx: DialogContext<RefundTexts>, orderNo: string): RefundCase | undefined {
  const order = lookupOrder(ctx, ID, orderNo);
  // Nothing about the order (items, tracking, dates, amounts) before the customer proves it is theirs.
  if (!order || !requireProof(ctx, order, ID)) return undefined;
  const verdict = verdictFor(order, readRefundState(ctx.data).filed);
  if (verdict === 'eligible') {
    const delivered = order.status === 'delivered' ? dayPhrase(ctx.now, -order.shipment.deliveredDaysAgo, ctx.locale) : '';
    ctx.say('eligible', { no: order.orderNo, total: formatMoney(order.total), items: describeItems(order, ctx.locale), delivered });
  }
  return { orderNo: order.orderNo, verdict };
}

/** Why this order cannot be refunded, and what to do instead. */
function explain(ctx: DialogContext<RefundTexts>, order: Order, verdict: Exclude<RefundVerdict, 'eligible'>): void {
  const at = (offset: number) => dayPhrase(ctx.now, offset, ctx.locale);
  const common = { no: order.orderNo, total: formatMoney(order.total) };
  if (verdict === 'notShipped') ctx.say('notShipped', common, intentButtons(ctx, ['agent.request']));
  else if (verdict === 'inTransit' && order.status === 'shipped') ctx.say('inTransit', { no: order.orderNo, eta: at(order.shipment.etaDaysFromNow) });
  else if (verdict === 'alreadyCancelled' && order.status === 'cancelled') ctx.say('alreadyCancelled', { ...common, cancelled: at(-order.cancelledDaysAgo) });
  else if (verdict === 'alreadyFiled') ctx.say('alreadyFiled', { no: order.orderNo, ref: readRefundState(ctx.data).filed[order.orderNo] ?? '' });
}

/** Files the refund and says what happens next. */
function file(ctx: DialogContext<RefundTexts>, order: Order, reason: string): void {
  const state = readRefundState(ctx.data);
  const ref = refundReference(order.orderNo, ctx.turnId);
  writeRefundState(ctx.data, { filed: { ...state.filed, [order.orderNo]: ref } });
  if (reason === 'changed_mind') {
    const amount = Math.max(0, order.total - CHANGE_OF_MIND_FEE);
    ctx.say('filedFee', { ref, no: order.orderNo, amount: formatMoney(amount), total: formatMoney(order.total), fee: formatMoney(CHANGE_OF_MIND_FEE) });
  } else {
    ctx.say('filedFree', { ref, no: order.orderNo, amount: formatMoney(order.total) });
  }
}

export const refundRequest = defineDialog({
  id: ID,
  version: 2,
  triggers: ['refund.request'],
  label: { en: 'Request a refund', zh: '申请退款' },
  texts: {
    en: { ...ORDER_NUMBER_TEXTS.en, ...PROOF_TEXTS.en, ...REFUND_TEXTS.en },
    zh: { ...ORDER_NUMBER_TEXTS.zh, ...PROOF_TEXTS.zh, ...REFUND_TEXTS.zh },
  },
  slots: (slot) => ({
    orderNo: orderNumberSlot('askOrderNo', { fromMemory: true }),
    check: slot.step((ctx, { orderNo }) => checkOrder(ctx, String(orderNo))),
    reason: slot.choice(REASONS, { prompt: 'askReason', invalid: 'badReason', match: 'contains', giveUp: 'refundGiveUp', when: isEligible }),
    confirm: slot.choice(
      [
        { value: 'no', label: 'optNo' },
        { value: 'yes', label: 'optYes' },
      ],
      { prompt: 'askConfirm', invalid: 'badConfirm', giveUp: 'refundGiveUp', when: isEligible },
    ),
  }),
  run(ctx, { check, reason, confirm }) {
    const order = demoOrders.find(check.orderNo);
    if (!order) return;
    if (check.verdict !== 'eligible') explain(ctx, order, check.verdict);
    else if (confirm === 'no' || !reason) ctx.say('notFiled');
    else file(ctx, order, reason);
  },
});
