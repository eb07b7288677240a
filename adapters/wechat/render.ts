/**
 * OutboundMessage → what WeChat accepts: a passive XML reply (one text or image, in the HTTP answer)
 * or customer-service messages (`text`, `msgmenu` for quick replies, `image`) for the API.
 * Long texts are split below WeChat's 2048-byte content limit.
 */
import { type Locale, type MenuItem, type OutboundMessage, optionLine } from '../../core';
import { buildWechatXml } from './xml';

export type WechatOutbound =
  | { msgtype: 'text'; content: string }
  | { msgtype: 'msgmenu'; head: string; items: readonly MenuItem[]; tail: string }
  | { msgtype: 'image'; mediaId: string };

/** WeChat counts content length in bytes; stay under its 2048. */
export const MAX_CONTENT_BYTES = 2000;

const HINT: Record<Locale, string> = { en: 'Tap an option or reply with its number.', zh: '请点击选项或回复序号。' };

/** One message with its quick replies (already numbered in `items`) → WeChat messages, in order. */
export function renderOutbound(message: OutboundMessage, items: readonly MenuItem[]): WechatOutbound[] {
  const out: WechatOutbound[] = [];
  for (const a of message.attachments ?? []) {
    if (a.kind === 'image' && a.mediaId) out.push({ msgtype: 'image', mediaId: a.mediaId });
  }
  // Attachments WeChat cannot take by id go out as links in the text.
  const links = (message.attachments ?? []).filter((a) => !(a.kind === 'image' && a.mediaId) && a.url).map((a) => `${a.name ?? a.kind}: ${a.url}`);
  const text = [message.text, ...links].filter(Boolean).join('\n');
  const chunks = splitText(text, MAX_CONTENT_BYTES);
  if (items.length) {
    const head = chunks.pop() ?? '';
    for (const c of chunks) out.push({ msgtype: 'text', content: c });
    out.push({ msgtype: 'msgmenu', head, items, tail: HINT[message.locale] });
  } else {
    for (const c of chunks) out.push({ msgtype: 'text', content: c });
  }
  return out;
}

/** A menu as plain text, for passive replies where msgmenu is not allowed. */
export function menuAsText(m: Extract<WechatOutbound, { msgtype: 'msgmenu' }>): string {
  return [m.head, '', ...m.items.map((item, i) => optionLine(item.label, i)), m.tail].join('\n').trim();
}

/** JSON body of `cgi-bin/message/custom/send`. */
export function customMessageBody(openId: string, m: WechatOutbound): object {
  switch (m.msgtype) {
    case 'text':
      return { touser: openId, msgtype: 'text', text: { content: m.content } };
    case 'image':
      return { touser: openId, msgtype: 'image', image: { media_id: m.mediaId } };
    case 'msgmenu':
      return {
        touser: openId,
        msgtype: 'msgmenu',
        msgmenu: { head_content: m.head, list: m.items.map((item, i) => ({ id: item.id, content: optionLine(item.label, i) })), tail_content: m.tail },
      };
  }
}

/** A passive reply document (plain; the caller encrypts it in safe mode). */
export function passiveReplyXml(m: WechatOutbound, to: { openId: string; account: string; createTime: number }): string {
  const head = { ToUserName: to.openId, FromUserName: to.account, CreateTime: to.createTime };
  if (m.msgtype === 'image') return buildWechatXml({ ...head, MsgType: 'image', Image: { MediaId: m.mediaId } });
  const content = m.msgtype === 'text' ? m.content : menuAsText(m);
  return buildWechatXml({ ...head, MsgType: 'text', Content: content });
}

/** Splits text into chunks of at most `maxBytes` UTF-8 bytes, at a newline or space when one is near. */
export function splitText(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    let end = 0;
    let bytes = 0;
    for (const ch of rest) {
      const b = Buffer.byteLength(ch, 'utf8');
      if (bytes + b > maxBytes) break;
      bytes += b;
      end += ch.length;
    }
    const cut = Math.max(rest.lastIndexOf('\n', end), rest.lastIndexOf(' ', end));
    const at = cut > end * 0.6 ? cut : end;
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest || chunks.length === 0) chunks.push(rest);
  return chunks;
}
