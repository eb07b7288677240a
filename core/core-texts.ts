import type { Locale } from './model';

/** The few texts core itself says. Dialogs own every other text. */
export const CORE_TEXTS: Record<Locale, { turnFailed: string }> = {
  en: { turnFailed: 'Sorry, something went wrong on our side. Your message is saved; please try again in a moment.' },
  zh: { turnFailed: '抱歉，我们这边出了点问题。您的消息已保存，请稍后再试。' },
};
