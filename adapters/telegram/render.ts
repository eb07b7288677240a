/**
 * core `OutboundMessage` → the Bot API calls that show it (pure; the sender performs them).
 * - text → sendMessage (plain text, no parse_mode, so nothing needs escaping), split at 4096 chars;
 * - quick replies → an inline keyboard (one button per row) on the last call, callback_data ≤ 64 bytes;
 * - image attachments → sendPhoto (url or Telegram file_id), others → sendDocument;
 * - one image with a short text → a single photo with the text as caption.
 */
import type { Attachment, OutboundMessage } from '../../core';
import type { TelegramTarget } from './normalize';

export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export interface InlineKeyboard {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
}

export interface CallExtra {
  reply_markup?: InlineKeyboard;
  message_thread_id?: number;
  caption?: string;
}

export type TelegramCall =
  | { method: 'sendMessage'; chatId: string; text: string; extra: CallExtra }
  | { method: 'sendPhoto'; chatId: string; photo: string; extra: CallExtra }
  | { method: 'sendDocument'; chatId: string; document: string; extra: CallExtra };

export function renderOutbound(message: OutboundMessage, target: TelegramTarget, encode: (payload: string) => string): TelegramCall[] {
  const base: CallExtra = target.threadId ? { message_thread_id: Number(target.threadId) } : {};
  const keyboard = message.quickReplies?.length ? { inline_keyboard: message.quickReplies.map((q) => [{ text: q.label, callback_data: encode(q.payload) }]) } : undefined;
  const media = (message.attachments ?? []).filter((a) => a.url ?? a.mediaId);
  const text = message.text.trim();
  const [only] = media;
  if (media.length === 1 && only?.kind === 'image' && text.length <= CAPTION_LIMIT) {
    return [mediaCall(only, target.chatId, { ...base, ...(text ? { caption: text } : {}), ...(keyboard ? { reply_markup: keyboard } : {}) })];
  }
  const calls: TelegramCall[] = media.map((a) => mediaCall(a, target.chatId, { ...base }));
  for (const chunk of splitText(text, TEXT_LIMIT)) calls.push({ method: 'sendMessage', chatId: target.chatId, text: chunk, extra: { ...base } });
  const last = calls.at(-1);
  if (last && keyboard) last.extra.reply_markup = keyboard;
  return calls;
}

function mediaCall(a: Attachment, chatId: string, extra: CallExtra): TelegramCall {
  const file = a.mediaId ?? a.url ?? '';
  return a.kind === 'image' ? { method: 'sendPhoto', chatId, photo: file, extra } : { method: 'sendDocument', chatId, document: file, extra };
}

/** Splits at the last newline (else space) before the limit; never inside a surrogate pair. */
export function splitText(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = Math.max(rest.lastIndexOf('\n', limit), rest.lastIndexOf(' ', limit));
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}
