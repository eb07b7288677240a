/**
 * Refunds, step 2 (started by `refund-request` for a delivered order): the reason, a
 * confirmation, then a refund reference and what happens next. No intent triggers it directly.
 */
import { defineDialog } from '../core';
import { flexibleChoice } from './choice';
import { demoOrders, formatMoney } from './data/orders';
import { readRefundState, refundReference, writeRefundState } from './refund-state';

export const REFUND_DETAILS_ID = 'refund-details';

/** Return shipping kept back when the customer simply changed their mind (CNY). */
const CHANGE_OF_MIND_FEE = 10;

const reason = flexibleChoice(
  {
    damaged: {
      label: 'reasonDamaged',
      words: {
        en: ['damaged', 'broken', 'broke', 'cracked', 'smashed', 'faulty', 'defective', "doesn't work", "don't work", 'not working'],
        zh: ['损坏', '坏', '破', '碎', '裂', '质量问题', '不亮'],
      },
    },
    wrong_item: { label: 'reasonWrongItem', words: { en: ['wrong', 'not what i ordered', 'incorrect item', 'different item'], zh: ['发错', '错了', '不是我买的', '不是我要的'] } },
    not_as_described: {
      label: 'reasonNotAsDescribed',
      words: {
        en: ['not as described', 'not like the picture', 'looks different', 'not as pictured', 'misleading'],
        zh: ['描述不符', '不符', '跟图片不一样', '和图片不一样', '色差', '货不对板'],
      },
    },
    changed_mind: {
      label: 'reasonChangedMind',
      words: {
        en: ['changed my mind', 'changed mind', "don't want", 'do not want', "don't like", 'no longer need'],
        zh: ['不想要', '不要了', '改变主意', '不喜欢', '不需要', '买多了'],
      },
    },
  },
  { prompt: 'askReason', invalid: 'badReason', match: 'contains' },
);

const confirm = flexibleChoice(
  {
    no: { label: 'optNo', words: { en: ['no', 'nope', 'not now', "don't", 'n'], zh: ['不', '否', '先不', '暂时不', '算了'] } },
    yes: {
      label: 'optYes',
      words: { en: ['yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'y', 'please do', 'go ahead', 'confirm'], zh: ['是', '对', '好', '确认', '可以', '行', '嗯', '提交', '要'] },
    },
  },
  { prompt: 'askConfirm', invalid: 'badConfirm' },
);

export const refundDetails = defineDialog({
  id: REFUND_DETAILS_ID,
  triggers: [],
  label: { en: 'Refund details', zh: '退款详情' },
  slots: { reason, confirm },
  texts: {
    en: {
      askReason: 'What’s the reason for the refund?',
      reasonDamaged: 'Arrived damaged',
      reasonWrongItem: 'Wrong item',
      reasonNotAsDescribed: 'Not as described',
      reasonChangedMind: 'Changed my mind',
      badReason: 'Please pick one of the reasons below, so the right team handles your request.',
      askConfirm: 'Shall I submit the refund request now?',
      optYes: 'Yes, submit it',
      optNo: 'No, not now',
      badConfirm: 'Sorry, was that a yes or a no?',
      filedFree:
        'Done! Your refund reference is {ref} (order {no}). What happens next: within 24 hours we’ll email you a free return label and book a courier pickup. Once the item is back at our warehouse, {amount} goes back to your original payment method within 3–5 working days.',
      filedFee:
        'Done! Your refund reference is {ref} (order {no}). What happens next: within 24 hours we’ll email you a return label. Please send the item back unused in its original packaging within 30 days. Once it’s back at our warehouse, {amount} (your {total} less {fee} return shipping) goes back to your original payment method within 3–5 working days.',
      notFiled: 'No problem, I haven’t submitted anything. If you change your mind, just say “refund”.',
      lost: 'Sorry, I lost track of which order this was about. Please tell me again that you’d like a refund and I’ll start over.',
      giveUp: 'Let’s leave it there for now. If you still want a refund, just say “refund”, or type “human” to talk to a person.',
    },
    zh: {
      askReason: '请问退款原因是什么？',
      reasonDamaged: '商品损坏',
      reasonWrongItem: '发错商品',
      reasonNotAsDescribed: '与描述不符',
      reasonChangedMind: '不想要了',
      badReason: '请从下面的选项里选一个原因，方便我们安排对应的同事处理。',
      askConfirm: '现在为您提交退款申请吗？',
      optYes: '确认提交',
      optNo: '先不用',
      badConfirm: '不好意思，请问是确认提交还是先不用？',
      filedFree: '已提交！退款单号 {ref}（订单 {no}）。接下来：我们会在24小时内把免费退货单发到您的邮箱，并预约快递上门取件。仓库收到商品后，{amount}会在3–5个工作日内原路退回。',
      filedFee:
        '已提交！退款单号 {ref}（订单 {no}）。接下来：我们会在24小时内把退货单发到您的邮箱，请在30天内寄回，商品需未使用、原包装完好。仓库收到后，{amount}（订单金额{total}扣除{fee}退货运费）会在3–5个工作日内原路退回。',
      notFiled: '好的，暂不提交。如果之后还需要，直接说“退款”就可以。',
      lost: '抱歉，我没记住是哪个订单。麻烦您再说一次要退款，我们重新开始。',
      giveUp: '那我们先到这里。如果还需要退款，直接说“退款”就行；想找人工客服请回复“人工”。',
    },
  },
  run(ctx, values) {
    const state = readRefundState(ctx.data);
    const order = state.pendingOrderNo ? demoOrders.find(state.pendingOrderNo) : undefined;
    writeRefundState(ctx.data, { filed: state.filed });
    if (!order) {
      ctx.say('lost');
      return;
    }
    if (values.confirm === 'no') {
      ctx.say('notFiled');
      return;
    }
    const ref = refundReference(order.orderNo, ctx.turnId);
    writeRefundState(ctx.data, { filed: { ...state.filed, [order.orderNo]: ref } });
    if (values.reason === 'changed_mind') {
      const amount = Math.max(0, order.total - CHANGE_OF_MIND_FEE);
      ctx.say('filedFee', { ref, no: order.orderNo, amount: formatMoney(amount), total: formatMoney(order.total), fee: formatMoney(CHANGE_OF_MIND_FEE) });
    } else {
      ctx.say('filedFree', { ref, no: order.orderNo, amount: formatMoney(order.total) });
    }
  },
});
