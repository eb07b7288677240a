/** The few texts the Telegram adapter says itself (everything else comes from dialogs). */
import type { Locale } from '../../core';

export const TELEGRAM_TEXTS: Record<Locale, { buttonExpired: string }> = {
  en: { buttonExpired: 'This button has expired. Please type your question instead.' },
  zh: { buttonExpired: '这个按钮已失效，请直接输入您的问题。' },
};
