/**
 * OutboundMessage → the text a personal WeChat account sends. There are no buttons: quick replies
 * become numbered lines and the customer answers with the number (the channel runtime maps it back).
 */
import { type Locale, MAX_MENU_OPTIONS, type OutboundMessage, optionLine } from '../../core';

const HINT: Record<Locale, string> = { en: 'Reply with the number of your choice.', zh: '请回复选项前的数字。' };

export function renderText(message: OutboundMessage): string {
  const links = (message.attachments ?? []).filter((a) => a.url).map((a) => `${a.name ?? a.kind}: ${a.url}`);
  const body = [message.text, ...links].filter(Boolean).join('\n');
  const options = (message.quickReplies ?? []).slice(0, MAX_MENU_OPTIONS);
  if (!options.length) return body;
  return [body, '', ...options.map((q, i) => optionLine(q.label, i)), HINT[message.locale]].join('\n').trim();
}
