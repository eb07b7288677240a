/**
 * Refunds, step 1: which order? Only delivered orders can be refunded; for the others the
 * customer is told why and what to do instead. An eligible order continues in `refund-details`
 * (reason, confirmation), so the reason is never asked for an order that cannot be refunded.
 */
import { defineDialog } from '../core';
import { dayPhrase, describeItems, formatMoney } from './data/orders';
import { lookupOrder, ORDER_NUMBER_TEXTS, orderNumberSlot } from './order-number';
import { PROOF_TEXTS, requireProof } from './order-proof';
import { REFUND_DETAILS_ID } from './refund-details';
import { readRefundState, writeRefundState } from './refund-state';
import { intentButtons } from './topics';

const ID = 'refund-request';

export const refundRequest = defineDialog({
  id: ID,
  triggers: ['refund.request'],
  label: { en: 'Request a refund', zh: '申请退款' },
  slots: { orderNo: orderNumberSlot('askOrderNo') },
  texts: {
    en: {
      ...ORDER_NUMBER_TEXTS.en,
      ...PROOF_TEXTS.en,
      askOrderNo: 'Which order would you like a refund for? Please send the 6-digit order number, like 100234.',
      notShipped:
        'Order {no} hasn’t shipped yet, so there’s nothing to refund at the moment. If you’d rather not receive it, a colleague can cancel it for you before it leaves the warehouse, and you’ll get the full {total} back.',
      inTransit:
        'Order {no} is still on its way and should arrive {eta}. Refunds can be requested once an order has been delivered, and you then have 30 days. If it hasn’t arrived by then, tell me and we’ll chase the courier.',
      alreadyCancelled:
        'Order {no} was already cancelled {cancelled}, and the full {total} went back to your original payment method automatically, so there’s nothing more to do.',
      alreadyFiled: 'You’ve already requested a refund for order {no}: your reference is {ref}. We’ll email you as soon as there’s news.',
      eligible: 'Found it: order {no} ({items}, {total}), delivered {delivered}.',
    },
    zh: {
      ...ORDER_NUMBER_TEXTS.zh,
      ...PROOF_TEXTS.zh,
      askOrderNo: '请问要为哪个订单申请退款？请发送6位数字的订单号，比如 100234。',
      notShipped: '订单 {no} 还没有发货，目前不需要退款。如果您不想要了，可以让人工客服在发货前帮您取消订单，{total}会全额退回。',
      inTransit: '订单 {no} 还在运输途中，预计{eta}送达。订单签收后才能申请退款，签收后30天内都可以申请。如果到时还没收到，请告诉我，我们会帮您催促快递。',
      alreadyCancelled: '订单 {no} 已于{cancelled}取消，{total}已经自动原路退回，无需再申请退款。',
      alreadyFiled: '订单 {no} 已经提交过退款申请，退款单号是 {ref}。有进展我们会第一时间邮件通知您。',
      eligible: '找到了：订单 {no}（{items}，{total}），{delivered}签收。',
    },
  },
  run(ctx, { orderNo }) {
    const order = lookupOrder(ctx, ID, orderNo);
    // Nothing about the order (items, tracking, dates, amounts) before the customer proves it is theirs.
    if (!order || !requireProof(ctx, order, ID)) return;
    const at = (offset: number) => dayPhrase(ctx.now, offset, ctx.locale);
    const common = { no: order.orderNo, total: formatMoney(order.total) };
    const state = readRefundState(ctx.data);
    switch (order.status) {
      case 'processing':
        ctx.say('notShipped', common, intentButtons(ctx, ['agent.request']));
        return;
      case 'shipped':
        ctx.say('inTransit', { ...common, eta: at(order.shipment.etaDaysFromNow) });
        return;
      case 'cancelled':
        ctx.say('alreadyCancelled', { ...common, cancelled: at(-order.cancelledDaysAgo) });
        return;
      case 'delivered': {
        const ref = state.filed[order.orderNo];
        if (ref) {
          ctx.say('alreadyFiled', { ...common, ref });
          return;
        }
        ctx.say('eligible', { ...common, items: describeItems(order, ctx.locale), delivered: at(-order.shipment.deliveredDaysAgo) });
        writeRefundState(ctx.data, { ...state, pendingOrderNo: order.orderNo });
        ctx.start(REFUND_DETAILS_ID);
        return;
      }
    }
  },
});
