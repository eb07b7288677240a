/**
 * OutboundMessage → the text a personal WeChat account sends. There are no buttons: quick replies
 * become numbered lines and the customer answers with the number (see menus.ts).
 */
import type { Locale, OutboundMessage } from '../../core';

const HINT: Record<Locale, string> = { en: 'Reply with the number of your choice.', zh: '请回复选项前的数字。' };

export function renderText(message: OutboundMessage): string {
  const links = (message.attachments ?? []).filter((a) => a.url).map((a) => `${a.name ?? a.kind}: ${a.url}`);
  const body = [message.text, ...links].filter(Boolean).join('\n');
  const options = message.quickReplies ?? [];
  if (!options.length) return body;
  return [body, '', ...options.map((q, i) => `${i + 1}. ${q.label}`), HINT[message.locale]].join('\n').trim();
}
