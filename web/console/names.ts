/**
 * What agents read instead of ids: the customer's verified name (or "Visitor #1234" / "访客 #1234",
 * the number derived from the conversation as core does), topics as labels instead of intent ids
 * ("None" is "—"), and times with their date.
 */
import { visitorName } from '../../plugins/handoff/customer';
import type { HandoffRecord } from '../../plugins/handoff/types';
import type { ConversationRef } from '../../core/model';
import { uiLocale } from './insights-i18n';

type Labels = Readonly<Record<string, { en: string; zh: string }>>;

/** The labels of kefu's kit dialogs, the demo shop's dialogs and its FAQs; other intents are spelt out from their id. */
const TOPICS: Labels = {
  greeting: { en: 'Greeting', zh: '打招呼' },
  goodbye: { en: 'Goodbye', zh: '结束对话' },
  thanks: { en: 'Thanks', zh: '致谢' },
  cancel: { en: 'Cancel', zh: '取消' },
  'agent.request': { en: 'Talk to a person', zh: '转人工客服' },
  'order.status': { en: 'Where’s my order?', zh: '查询订单' },
  'order.proof': { en: 'Confirm the order', zh: '核对订单信息' },
  'refund.request': { en: 'Refund', zh: '申请退款' },
  'faq.shipping': { en: 'Shipping & delivery', zh: '配送与运费' },
  'faq.returns': { en: 'Returns policy', zh: '退换货政策' },
  'faq.payment': { en: 'Payment methods', zh: '支付方式' },
  'faq.hours': { en: 'Service hours', zh: '客服时间' },
};

/** "order.status" → "Order status" for intents without a label. */
function spelledOut(intent: string): string {
  const words = intent
    .replace(/^faq\./, '')
    .replace(/[._-]+/g, ' ')
    .trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : intent;
}

export function topicLabel(intent: string | undefined): string {
  if (!intent || intent === 'None') return '—';
  return TOPICS[intent]?.[uiLocale()] ?? spelledOut(intent);
}

/** The customer's name for agents: verified name or email, else the numbered visitor in the view's language. */
export function customerName(c: HandoffRecord['customer'], ref: Pick<ConversationRef, 'conversationId'>): string {
  if (c.visitor || (!c.name && !c.email)) return visitorName(c.visitor ? c.userId : ref.conversationId, uiLocale());
  return c.name ?? c.email ?? c.userId;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** "3 Mar 2025, 14:05" / "2025/3/3 14:05": every time shown with its date. */
export function when(at: number): string {
  const lang = uiLocale() === 'zh' ? 'zh-CN' : 'en-GB';
  let f = formats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    formats.set(lang, f);
  }
  return f.format(at);
}
