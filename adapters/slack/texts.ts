/** The few things the Slack adapter itself tells a customer (dialogs own every other text). */
import type { Locale } from '../../core';

export const SLACK_TEXTS: Record<Locale, { tooLong: string; unreadable: string }> = {
  en: {
    tooLong: 'Your message is too long ({length} characters; the limit is {max}). Please send it in shorter parts.',
    unreadable: 'Sorry, I could not read that message. Please try again with plain text.',
  },
  zh: {
    tooLong: '您的消息太长了（{length} 个字符，上限 {max}）。请分成几条较短的消息发送。',
    unreadable: '抱歉，我无法读取这条消息。请用纯文字再试一次。',
  },
};
