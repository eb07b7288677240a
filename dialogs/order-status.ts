/**
 * "Where is my order?": asks for (or takes from the first message) a 6-digit order number, then
 * for proof that the order is the customer's (its email or the phone's last 4 digits, see
 * order-proof.ts), and tells where the order stands, with carrier, tracking number and expected delivery.
 */
import { defineDialog } from '../core';
import { dayPhrase, describeItems, formatMoney } from './data/orders';
import { lookupOrder, ORDER_NUMBER_TEXTS, orderNumberSlot } from './order-number';
import { PROOF_TEXTS, requireProof } from './order-proof';
import { intentButtons } from './topics';

const ID = 'order-status';

export const orderStatus = defineDialog({
  id: ID,
  triggers: ['order.status'],
  label: { en: 'Where’s my order?', zh: '查询订单' },
  slots: { orderNo: orderNumberSlot('askOrderNo') },
  texts: {
    en: {
      ...ORDER_NUMBER_TEXTS.en,
      ...PROOF_TEXTS.en,
      askOrderNo: 'What’s your order number? It’s the 6-digit number in your confirmation email, like 100234.',
      processing:
        'Order {no} ({items}, {total}) was placed {placed} and is being packed at our warehouse. Orders usually leave within one working day, and we’ll text you the tracking number as soon as it ships.',
      shipped: 'Good news: order {no} ({items}) is on its way! It left our warehouse {shipped} with {carrier}, tracking number {tracking}. It should arrive {eta}.',
      delivered: 'Order {no} ({items}) was delivered {delivered}. If anything isn’t right with it, I can help you with a return or refund.',
      cancelled: 'Order {no} was cancelled {cancelled}. The full {total} went back to your original payment method; depending on your bank it shows up within 3–5 working days.',
    },
    zh: {
      ...ORDER_NUMBER_TEXTS.zh,
      ...PROOF_TEXTS.zh,
      askOrderNo: '请告诉我您的订单号，就是下单确认邮件里的6位数字，比如 100234。',
      processing: '订单 {no}（{items}，{total}）于{placed}下单，仓库正在打包。一般一个工作日内发出，发货后我们会第一时间短信告知快递单号。',
      shipped: '好消息：订单 {no}（{items}）已经在路上啦！{shipped}由{carrier}发出，快递单号 {tracking}，预计{eta}送达。',
      delivered: '订单 {no}（{items}）已于{delivered}签收。如果商品有任何问题，我可以帮您办理退货或退款。',
      cancelled: '订单 {no} 已于{cancelled}取消，{total}已全额原路退回，根据银行不同，一般3–5个工作日内到账。',
    },
  },
  run(ctx, { orderNo }) {
    const order = lookupOrder(ctx, ID, orderNo);
    // Nothing about the order (items, tracking, dates, amounts) before the customer proves it is theirs.
    if (!order || !requireProof(ctx, order, ID)) return;
    const at = (offset: number) => dayPhrase(ctx.now, offset, ctx.locale);
    const common = { no: order.orderNo, items: describeItems(order, ctx.locale), total: formatMoney(order.total) };
    switch (order.status) {
      case 'processing':
        ctx.say('processing', { ...common, placed: at(-order.placedDaysAgo) });
        return;
      case 'shipped': {
        const s = order.shipment;
        ctx.say('shipped', { ...common, shipped: at(-s.shippedDaysAgo), carrier: s.carrier[ctx.locale], tracking: s.tracking, eta: at(s.etaDaysFromNow) });
        return;
      }
      case 'delivered':
        ctx.say('delivered', { ...common, delivered: at(-order.shipment.deliveredDaysAgo) }, intentButtons(ctx, ['refund.request', 'faq.returns']));
        return;
      case 'cancelled':
        ctx.say('cancelled', { ...common, cancelled: at(-order.cancelledDaysAgo) });
        return;
    }
  },
});
