/**
 * The texts of the page chrome (placeholder, buttons, labels) in both locales. The conversation
 * itself is in whatever language the server chose; the chrome follows the locale of the last reply
 * unless the customer flips the toggle.
 */
import type { Locale } from '../../core/model';

export const UI_TEXTS = {
  en: {
    shopName: 'Lumen & Co.',
    status: 'Replies in seconds',
    placeholder: 'Type your message…',
    send: 'Send',
    inputLabel: 'Your message',
    messagesLabel: 'Conversation',
    languageLabel: 'Language',
    newChat: 'New chat',
    newChatLabel: 'Start a new conversation',
    agent: 'Agent',
    you: 'You',
    bot: 'Assistant',
    typing: 'Assistant is typing',
    sending: 'Sending…',
    notSent: 'Not sent.',
    retry: 'Retry',
    offline: 'Could not reach the server. Check your connection and retry.',
    rejected: 'Not delivered:',
    reconnecting: 'Reconnecting…',
    queued: 'Waiting for an agent',
    queuedAt: 'Waiting for an agent · #{position} in line',
    withAgent: 'With {name}',
    ticket: 'Ticket {ticket} · we will reply here',
    agentTyping: '{name} is typing…',
    seen: 'Seen',
    confirmTitle: 'Start a new chat?',
    confirmBody: 'This conversation will be cleared from this page. An agent who is helping you will not see your new messages here.',
    confirmYes: 'Start new chat',
    confirmNo: 'Keep this chat',
    tooLong: 'characters',
    hint: 'Enter to send · Shift+Enter for a new line',
    quickReplies: 'Suggested replies',
    image: 'Image',
    file: 'File',
  },
  zh: {
    shopName: '流明商城',
    status: '通常秒回',
    placeholder: '请输入消息…',
    send: '发送',
    inputLabel: '您的消息',
    messagesLabel: '对话',
    languageLabel: '语言',
    newChat: '新对话',
    newChatLabel: '开始新的对话',
    agent: '客服',
    you: '我',
    bot: '智能助手',
    typing: '助手正在输入',
    sending: '发送中…',
    notSent: '未发送。',
    retry: '重试',
    offline: '无法连接服务器，请检查网络后重试。',
    rejected: '未送达：',
    reconnecting: '正在重新连接…',
    queued: '正在等待人工客服',
    queuedAt: '正在等待人工客服 · 排在第 {position} 位',
    withAgent: '{name} 为您服务',
    ticket: '工单 {ticket} · 我们会在这里回复您',
    agentTyping: '{name} 正在输入…',
    seen: '已读',
    confirmTitle: '开始新的对话？',
    confirmBody: '当前对话将从本页清除。正在为您服务的客服将看不到您在这里发的新消息。',
    confirmYes: '开始新对话',
    confirmNo: '保留当前对话',
    tooLong: '字',
    hint: 'Enter 发送 · Shift+Enter 换行',
    quickReplies: '推荐回复',
    image: '图片',
    file: '文件',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type UiKey = keyof (typeof UI_TEXTS)['en'];

/** Shown client-side before the first exchange, in both languages, since we do not know yet which one. */
export const WELCOME = {
  en: "Hi! 👋 I'm the shop assistant. How can I help you today? You can ask for a person at any time.",
  zh: '您好！👋 我是店铺助手，请问有什么可以帮您？随时可以转人工客服。',
} as const;

export function t(locale: Locale, key: UiKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return UI_TEXTS[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Guesses the first chrome locale from the browser, before any reply says otherwise. */
export function browserLocale(languages: readonly string[]): Locale {
  return languages[0]?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/**
 * Re-labels `root` and every element under it that names a text key: `data-i18n` sets textContent,
 * `data-i18n-placeholder`, `data-i18n-aria-label` and `data-i18n-title` set those attributes.
 */
export function applyUiLocale(root: ParentNode & Node, locale: Locale): void {
  const set = (attr: string, apply: (el: HTMLElement, text: string) => void) => {
    const self = root instanceof HTMLElement && root.hasAttribute(attr) ? [root] : [];
    for (const el of [...self, ...root.querySelectorAll<HTMLElement>(`[${attr}]`)]) {
      const key = el.getAttribute(attr) as UiKey;
      if (key in UI_TEXTS[locale]) apply(el, t(locale, key));
    }
  };
  set('data-i18n', (el, text) => {
    el.textContent = text;
  });
  set('data-i18n-placeholder', (el, text) => el.setAttribute('placeholder', text));
  set('data-i18n-aria-label', (el, text) => el.setAttribute('aria-label', text));
  set('data-i18n-title', (el, text) => el.setAttribute('title', text));
  const doc = root.ownerDocument ?? (root as Document);
  doc.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
}
