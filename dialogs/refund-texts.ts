/** The refund dialog's own texts (the order-number and proof texts are spread in beside them). */
export const REFUND_TEXTS = {
  en: {
    askOrderNo: 'Which order would you like a refund for? Please send the 6-digit order number, like 100234.',
    notShipped:
      'Order {no} hasn’t shipped yet, so there’s nothing to refund at the moment. If you’d rather not receive it, a colleague can cancel it for you before it leaves the warehouse, and you’ll get the full {total} back.',
    inTransit:
      'Order {no} is still on its way and should arrive {eta}. Refunds can be requested once an order has been delivered, and you then have 30 days. If it hasn’t arrived by then, tell me and we’ll chase the courier.',
    alreadyCancelled: 'Order {no} was already cancelled {cancelled}, and the full {total} went back to your original payment method automatically, so there’s nothing more to do.',
    alreadyFiled: 'You’ve already requested a refund for order {no}: your reference is {ref}. We’ll email you as soon as there’s news.',
    eligible: 'Found it: order {no} ({items}, {total}), delivered {delivered}.',
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
    refundGiveUp: 'Let’s leave it there for now. If you still want a refund, just say “refund”, or type “human” to talk to a person.',
  },
  zh: {
    askOrderNo: '请问要为哪个订单申请退款？请发送6位数字的订单号，比如 100234。',
    notShipped: '订单 {no} 还没有发货，目前不需要退款。如果您不想要了，可以让人工客服在发货前帮您取消订单，{total}会全额退回。',
    inTransit: '订单 {no} 还在运输途中，预计{eta}送达。订单签收后才能申请退款，签收后30天内都可以申请。如果到时还没收到，请告诉我，我们会帮您催促快递。',
    alreadyCancelled: '订单 {no} 已于{cancelled}取消，{total}已经自动原路退回，无需再申请退款。',
    alreadyFiled: '订单 {no} 已经提交过退款申请，退款单号是 {ref}。有进展我们会第一时间邮件通知您。',
    eligible: '找到了：订单 {no}（{items}，{total}），{delivered}签收。',
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
    refundGiveUp: '那我们先到这里。如果还需要退款，直接说“退款”就行；想找人工客服请回复“人工”。',
  },
} as const;
