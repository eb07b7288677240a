/**
 * The four FAQ answers, one dialog each from one table. The returns answer offers to start a
 * refund; the others offer the main topics.
 */
import { type Dialog, defineDialog, type Locale } from '../core';
import { intentButtons } from './topics';

interface FaqEntry {
  intent: string;
  label: Record<Locale, string>;
  answer: Record<Locale, string>;
  /** Intents offered as buttons under the answer. */
  next: readonly string[];
}

const FAQ: readonly FaqEntry[] = [
  {
    intent: 'faq.shipping',
    label: { en: 'Shipping & delivery', zh: '配送与运费' },
    answer: {
      en: 'We ship from our warehouse in Hangzhou, usually within 24 hours on working days. Standard delivery (ZTO or YTO) takes 2–4 days and is free on orders over ¥199, otherwise ¥12. Express delivery with SF Express takes 1–2 days and costs ¥25. We deliver across mainland China, and to Hong Kong and Macau in 3–6 days for ¥45. As soon as your parcel leaves, we text and email you the tracking number.',
      zh: '我们从杭州仓库发货，工作日下单一般24小时内发出。普通快递（中通或圆通）2–4天送达，订单满199元包邮，不满收12元运费；顺丰特快1–2天送达，运费25元。配送范围覆盖中国大陆，港澳地区3–6天送达，运费45元。包裹一发出，我们就会通过短信和邮件把快递单号发给您。',
    },
    next: ['order.status', 'faq.returns'],
  },
  {
    intent: 'faq.returns',
    label: { en: 'Returns policy', zh: '退换货政策' },
    answer: {
      en: 'You can return most items within 30 days of delivery, as long as they’re unused and in their original packaging (bulbs and made-to-measure shades only if faulty). If something arrived damaged, faulty or wrong, the return is free and we send a courier to pick it up. For change-of-mind returns we deduct ¥10 for return shipping. Once the item is back at our warehouse, the money goes back to your original payment method within 3–5 working days.',
      zh: '大部分商品签收后30天内可以退货，需未使用且原包装完好（灯泡和定制灯罩仅限质量问题退货）。如果商品有破损、质量问题或发错货，退货免运费，我们会安排快递上门取件；个人原因退货的，退款时扣除10元退货运费。仓库收到退货后，3–5个工作日内原路退款。',
    },
    next: ['refund.request', 'agent.request'],
  },
  {
    intent: 'faq.payment',
    label: { en: 'Payment methods', zh: '支付方式' },
    answer: {
      en: 'We accept Alipay, WeChat Pay, UnionPay cards, and Visa, Mastercard and American Express. Apple Pay works in our app and in Safari. Orders over ¥600 can be split into 3 or 6 interest-free instalments with Huabei. We don’t offer cash on delivery. Need a fapiao (invoice)? Tick “Invoice” at checkout, or ask us within 30 days of delivery.',
      zh: '支持支付宝、微信支付、银联卡，以及 Visa、Mastercard 和美国运通信用卡；在 App 和 Safari 浏览器里也可以用 Apple Pay。单笔满600元可以用花呗分3期或6期免息。暂不支持货到付款。需要发票的话，下单时勾选“开具发票”，或在签收后30天内联系我们补开。',
    },
    next: ['order.status', 'agent.request'],
  },
  {
    intent: 'faq.hours',
    label: { en: 'Service hours', zh: '客服时间' },
    answer: {
      en: 'I’m here around the clock. Our customer-service team is online every day from 9:00 to 21:00 Beijing time, weekends included; on public holidays it’s 10:00 to 18:00. Messages sent outside those hours are answered the next morning. You can also email help@lumen.example (we reply within one working day) or call 400-820-1234.',
      zh: '我是智能客服，24小时在线。人工客服每天9:00–21:00（北京时间）在线，周末照常；法定节假日为10:00–18:00。非工作时间的留言，我们会在第二天上午回复。您也可以发邮件到 help@lumen.example（一个工作日内回复），或拨打客服热线 400-820-1234。',
    },
    next: ['agent.request', 'order.status'],
  },
];

function faqDialog(entry: FaqEntry): Dialog {
  return defineDialog({
    id: entry.intent.replace('.', '-'),
    triggers: [entry.intent],
    label: entry.label,
    texts: { en: { answer: entry.answer.en }, zh: { answer: entry.answer.zh } },
    run(ctx) {
      ctx.say('answer', {}, intentButtons(ctx, entry.next));
    },
  });
}

/** faq-shipping, faq-returns, faq-payment, faq-hours. */
export const faqDialogs: readonly Dialog[] = FAQ.map(faqDialog);
