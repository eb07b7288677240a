/**
 * Hand-written guards for what the server sends (the browser bundle carries no zod). Everything
 * from the network is `unknown` until it passes through here; bad parts are dropped, not trusted.
 */
import type { Attachment, Locale, OutboundMessage, QuickReply } from '../../core/model';

export interface ReplyResponse {
  conversationId: string;
  locale: Locale;
  duplicate: boolean;
  replies: OutboundMessage[];
}

export interface ErrorBody {
  code: string;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLocale = (v: unknown): v is Locale => v === 'en' || v === 'zh';
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseQuickReplies(v: unknown): QuickReply[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).flatMap((q) => {
    const label = str(q.label);
    const payload = str(q.payload);
    return label && payload ? [{ label, payload }] : [];
  });
}

const KINDS = ['image', 'file', 'audio', 'video'] as const;

export function parseAttachments(v: unknown): Attachment[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).flatMap((a) => {
    const kind = KINDS.find((k) => k === a.kind);
    if (!kind) return [];
    const out: Attachment = { kind };
    const url = str(a.url);
    const name = str(a.name);
    if (url) out.url = url;
    if (name) out.name = name;
    return [out];
  });
}

export function parseOutbound(v: unknown): OutboundMessage | undefined {
  if (!isRecord(v) || typeof v.text !== 'string') return undefined;
  const from = v.from === 'agent' || v.from === 'system' || v.from === 'bot' ? v.from : 'bot';
  const quickReplies = parseQuickReplies(v.quickReplies);
  const attachments = parseAttachments(v.attachments);
  return {
    text: v.text,
    locale: isLocale(v.locale) ? v.locale : 'en',
    from,
    ...(quickReplies.length ? { quickReplies } : {}),
    ...(attachments.length ? { attachments } : {}),
  };
}

export function parseReplyResponse(v: unknown): ReplyResponse | undefined {
  if (!isRecord(v) || !Array.isArray(v.replies) || !isLocale(v.locale)) return undefined;
  return {
    conversationId: str(v.conversationId) ?? '',
    locale: v.locale,
    duplicate: v.duplicate === true,
    replies: v.replies.map(parseOutbound).filter((m): m is OutboundMessage => m !== undefined),
  };
}

export function parseErrorBody(v: unknown): ErrorBody | undefined {
  if (!isRecord(v) || !isRecord(v.error)) return undefined;
  const message = str(v.error.message);
  return message ? { code: str(v.error.code) ?? 'KEFU_ERR_UNKNOWN', message } : undefined;
}
