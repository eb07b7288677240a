/**
 * How a turn's replies reach a WeChat user. WeChat allows ONE passive reply per callback, in the
 * HTTP answer, within 5 seconds; everything else goes through the customer-service message API.
 *  - 'auto': a single text/image reply that is ready in time goes back passively; several replies,
 *    quick replies (msgmenu) and late replies go through the API (the callback is answered "success").
 *  - 'api': always the API (verified service accounts, WeCom).
 *  - 'passive': no API (accounts without the customer-service permission): everything is joined
 *    into one passive text, quick replies as numbered lines; a late reply cannot be delivered.
 */
import { menuItems, type OutboundMessage } from '../../core';
import { MAX_CONTENT_BYTES, menuAsText, renderOutbound, splitText, type WechatOutbound } from './render';

export type ReplyMode = 'auto' | 'api' | 'passive';

export const CUSTOM_SEND_PATH = 'cgi-bin/message/custom/send';

export interface ReplyPlan {
  passive?: WechatOutbound;
  api: WechatOutbound[];
}

/** Renders a batch of replies for one user (quick replies as numbered menus, see core/numbered-menus.ts) and splits it. */
export function planReplies(mode: ReplyMode, replies: readonly OutboundMessage[], inTime: boolean): ReplyPlan {
  const outs = replies.flatMap((r) => renderOutbound(r, menuItems(r.quickReplies ?? [])));
  if (outs.length === 0) return { api: [] };
  if (mode === 'passive') return inTime ? { passive: joinForPassive(outs), api: [] } : { api: [] };
  const [only] = outs;
  if (mode === 'auto' && inTime && outs.length === 1 && only && only.msgtype !== 'msgmenu') return { passive: only, api: [] };
  return { api: outs };
}

function joinForPassive(outs: readonly WechatOutbound[]): WechatOutbound {
  const texts = outs.flatMap((o) => (o.msgtype === 'text' ? [o.content] : o.msgtype === 'msgmenu' ? [menuAsText(o)] : []));
  if (texts.length === 0) return outs[0] as WechatOutbound;
  const chunks = splitText(texts.join('\n\n'), MAX_CONTENT_BYTES - 3);
  return { msgtype: 'text', content: chunks.length > 1 ? `${chunks[0]}…` : (chunks[0] ?? '') };
}
