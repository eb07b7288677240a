/** What the customer is told during a handoff, in their language. A flat table (house-style exception). */
import { fillTemplate } from '../../core/dialog';
import type { Locale, OutboundMessage, QuickReply } from '../../core/model';

export const CANCEL_PAYLOAD = 'handoff.cancel';
/** A waiting customer's "Leave a ticket" button. */
export const TICKET_PAYLOAD = 'handoff.ticket';
export const CSAT_PAYLOAD_PREFIX = 'csat:';

const TEXTS = {
  en: {
    connecting: 'I am passing this to a person from our team.',
    soothe: 'I am really sorry about this, and I understand how frustrating it is.',
    offered: 'An agent will be with you shortly. You are number {position} in the queue (about {minutes} min).',
    queued:
      'All our agents are busy right now. You are number {position} in the queue; the estimated wait is about {minutes} min. You can also leave a ticket, or type "cancel" to go back to the bot.',
    queuedAway: 'Our agents are away from their desks right now. You are number {position} in the queue; you can wait, leave a ticket, or type "cancel" to go back to the bot.',
    noLanguageAgent: 'No agent who speaks English is available right now. You are number {position} in the queue; you can also leave a ticket and we will answer you here.',
    ticketButton: 'Leave a ticket',
    ticketLeft: 'I created ticket {ticket}; an agent will answer you here.',
    ticketOpen: 'Your ticket {ticket} is open; I added your message and an agent will answer you here.',
    ticketReopened: 'Your ticket {ticket} is open again; I added your message and an agent will answer you here.',
    assigned: '{agent} from our support team is now with you.',
    position: 'You are now number {position} in the queue (about {minutes} min).',
    waiting: 'Your message is saved for the agent. You are number {position} in the queue.',
    cancelled: 'OK, you are back with the bot. How can I help?',
    limited: 'You have asked for a person several times in a short while. Please try again in about {minutes} min; meanwhile, tell me what you need and I will do my best.',
    cancelButton: 'Cancel',
    ticketClosed: 'Our support team is not available right now. I created ticket {ticket}; an agent will answer you here.',
    ticketNoAgent: 'No agent is available right now. I created ticket {ticket}; an agent will answer you here.',
    ticketAnswer: 'Answer to your ticket {ticket}:\n{text}',
    transferred: 'I am passing you to a colleague who can help with this.',
    expertQueued: 'I am passing you to one of our specialists, who will look into this in detail. Please stay with us.',
    csatAsk: 'Thanks for contacting us. How satisfied are you with the help you got? 1 (poor) to 5 (excellent).',
    csatThanks: 'Thank you for your rating!',
    endedBySystem: 'The agent is no longer available. I created ticket {ticket}; an agent will answer you here.',
  },
  zh: {
    connecting: '我会把您的问题转交给人工客服。',
    soothe: '非常抱歉给您带来了不好的体验，您的心情我完全理解。',
    offered: '客服马上就来。您目前排在第 {position} 位（约 {minutes} 分钟）。',
    queued: '客服目前都在忙。您在队列中排第 {position} 位，预计等待约 {minutes} 分钟。您也可以留下工单，或输入“取消”返回机器人。',
    queuedAway: '客服暂时离开了座位。您在队列中排第 {position} 位；您可以继续等待、留下工单，或输入“取消”返回机器人。',
    noLanguageAgent: '目前没有会说中文的客服可以接待。您在队列中排第 {position} 位；您也可以留下工单，客服会在这里回复您。',
    ticketButton: '留下工单',
    ticketLeft: '已为您创建工单 {ticket}，客服会在这里回复您。',
    ticketOpen: '您的工单 {ticket} 正在处理中，您的消息已添加，客服会在这里回复您。',
    ticketReopened: '您的工单 {ticket} 已重新打开，您的消息已添加，客服会在这里回复您。',
    assigned: '客服{agent}已接入，正在为您服务。',
    position: '您现在排在第 {position} 位（约 {minutes} 分钟）。',
    waiting: '您的消息已留给客服。您现在排在第 {position} 位。',
    cancelled: '好的，已为您返回机器人服务。请问还有什么可以帮您？',
    limited: '您短时间内已多次请求人工客服，请约 {minutes} 分钟后再试；这期间请告诉我您需要什么，我会尽力帮您。',
    cancelButton: '取消',
    ticketClosed: '客服暂时不在线。已为您创建工单 {ticket}，客服会在这里回复您。',
    ticketNoAgent: '目前没有可接待的客服。已为您创建工单 {ticket}，客服会在这里回复您。',
    ticketAnswer: '关于您的工单 {ticket} 的回复：\n{text}',
    transferred: '正在为您转接另一位更合适的同事。',
    expertQueued: '正在为您转接专家客服，他们会详细处理您的问题，请稍候。',
    csatAsk: '感谢您的咨询。请为本次服务打分：1（很不满意）到 5（非常满意）。',
    csatThanks: '感谢您的评价！',
    endedBySystem: '客服已离开。已为您创建工单 {ticket}，客服会在这里回复您。',
  },
} satisfies Record<Locale, Record<string, string>>;

export type HandoffTextKey = keyof (typeof TEXTS)['en'];

export function handoffText(locale: Locale, key: HandoffTextKey, vars?: Record<string, string | number>): string {
  return fillTemplate(TEXTS[locale][key], vars);
}

export function systemMessage(locale: Locale, key: HandoffTextKey, vars?: Record<string, string | number>, quickReplies?: QuickReply[]): OutboundMessage {
  const text = handoffText(locale, key, vars);
  return quickReplies ? { text, locale, from: 'system', quickReplies } : { text, locale, from: 'system' };
}

export function cancelButton(locale: Locale): QuickReply[] {
  return [{ label: TEXTS[locale].cancelButton, payload: CANCEL_PAYLOAD }];
}

/** What a waiting customer may do: leave a ticket instead, or go back to the bot. */
export function waitingButtons(locale: Locale): QuickReply[] {
  return [{ label: TEXTS[locale].ticketButton, payload: TICKET_PAYLOAD }, ...cancelButton(locale)];
}

const TICKET_WORDS = /^\s*(leave a ticket|ticket|留下工单|留工单|工单|留言)\s*[.!。！]?\s*$/i;

/** True when a waiting customer asks to leave a ticket (the button, or the words). */
export function wantsTicket(text: string, payload: string | undefined): boolean {
  return payload === TICKET_PAYLOAD || TICKET_WORDS.test(text);
}

export function csatButtons(): QuickReply[] {
  return [1, 2, 3, 4, 5].map((n) => ({ label: String(n), payload: `${CSAT_PAYLOAD_PREFIX}${n}` }));
}

const CANCEL_WORDS = /^\s*(cancel|stop waiting|never ?mind|back to (the )?bot|取消|不用了|算了|返回机器人)\s*[.!。！]?\s*$/i;

/** True when the customer wants to leave the queue (button, the NLU's cancel intent, or a cancel word). */
export function isCancel(text: string, payload: string | undefined, intent: string): boolean {
  return payload === CANCEL_PAYLOAD || intent === 'cancel' || CANCEL_WORDS.test(text);
}

const ZH_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };

/** A 1-5 rating from a button payload, "4", "4/5", "4分", "四", "四星"; undefined otherwise. */
export function parseCsat(text: string, payload: string | undefined): number | undefined {
  if (payload?.startsWith(CSAT_PAYLOAD_PREFIX)) {
    const n = Number(payload.slice(CSAT_PAYLOAD_PREFIX.length));
    return Number.isInteger(n) && n >= 1 && n <= 5 ? n : undefined;
  }
  const m = /^\s*([1-5]|[一二三四五])\s*(\/\s*5|分|星|stars?)?\s*[.!。！]?\s*$/i.exec(text);
  if (!m) return undefined;
  const d = m[1] as string;
  return ZH_DIGITS[d] ?? Number(d);
}
